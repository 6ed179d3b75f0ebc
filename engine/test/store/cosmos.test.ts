import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CosmosClient } from '@azure/cosmos';
import { clientOptions } from '../../src/adapters/store/cosmos-connect.ts';
import { COSMOS_CONTAINERS } from '../../src/adapters/store/cosmos-containers.ts';
import { eventId, statusDocId } from '../../src/adapters/store/cosmos-docs.ts';
import { openCosmosStore, type CosmosHistoryStore } from '../../src/adapters/store/cosmos.ts';
import type { TowerStore } from '../../src/ports/store.ts';
import { anEvent, aRun, aStatus } from './builders.ts';
import { describeStoreContract, readAll } from './contract.ts';
import { EMULATOR_KEY, startCosmosServer, type Running } from './cosmos-server.ts';

let server: Running;
let databases = 0;
const databaseOf = new Map<TowerStore, string>();

beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

async function freshStore(endpoint = server.endpoint): Promise<CosmosHistoryStore> {
  databases += 1;
  const database = `db${databases}`;
  const store = await openCosmosStore({ endpoint, key: EMULATOR_KEY, database });
  databaseOf.set(store, database);
  return store;
}

/** A raw client on the same database, to write documents the store itself would not. */
async function rawContainer(store: TowerStore, container: keyof typeof COSMOS_CONTAINERS) {
  const client = new CosmosClient(await clientOptions({ endpoint: server.endpoint, key: EMULATOR_KEY }));
  return {
    client,
    container: client.database(databaseOf.get(store)!).container(COSMOS_CONTAINERS[container].id),
  };
}

describeStoreContract('cosmos', {
  open: () => freshStore(),
  writeStatusV1: async (store, botKey, doc) => {
    const { client, container } = await rawContainer(store, 'bots');
    await container.items.create({
      id: statusDocId(botKey),
      pk: botKey,
      ns: botKey.split('/')[0],
      docType: 'status',
      schemaVersion: 1,
      status: doc,
    });
    client.dispose();
  },
  propertyRuns: 8,
});

describe('cosmos store recovery', () => {
  it('trusts events written after the run hint when a writer died before moving it', async () => {
    const store = await freshStore();
    await store.append(aRun(1, 3));
    const { client, container } = await rawContainer(store, 'events');
    for (const event of aRun(4, 5))
      await container.items.create({ ...event, id: eventId(event), pk: event.botKey });
    client.dispose();

    const runs = await store.listRuns('alpha/grid-1');
    const restarted = await freshReopen(store);
    await restarted.append(aRun(4, 7));

    expect(runs[0]?.lastSeq).toBe(5);
    expect((await readAll(restarted, 'alpha/grid-1', 'run-1')).map((e) => e.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect((await restarted.listRuns('alpha/grid-1'))[0]?.lastSeq).toBe(7);
    await restarted.close();
    await store.close();
  });

  it('detects a conflicting event left behind the run hint', async () => {
    const store = await freshStore();
    await store.append(aRun(1, 2));
    const { client, container } = await rawContainer(store, 'events');
    const other = anEvent({
      seq: 3,
      type: 'StateTransition',
      data: { from: 'x', to: 'y', reason: 'other writer' },
    });
    await container.items.create({ ...other, id: eventId(other), pk: other.botKey });
    client.dispose();

    await expect(store.append(aRun(3, 4))).rejects.toThrow(/seq 3: a different event/);
    await store.close();
  });

  it('keeps the status conflict when two writers race with the same version', async () => {
    const store = await freshStore();
    const base = await store.putStatus(aStatus('alpha/grid-1'));

    const results = await Promise.allSettled([
      store.putStatus(aStatus('alpha/grid-1', { phase: 'A' }), base.etag),
      store.putStatus(aStatus('alpha/grid-1', { phase: 'B' }), base.etag),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await store.close();
  });
});

async function freshReopen(store: TowerStore): Promise<CosmosHistoryStore> {
  return openCosmosStore({ endpoint: server.endpoint, key: EMULATOR_KEY, database: databaseOf.get(store)! });
}
