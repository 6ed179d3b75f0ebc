import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, parseStoreSetting } from '../../src/adapters/store/index.ts';
import { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { aRun } from './builders.ts';
import { EMULATOR_KEY, startCosmosServer, type Running } from './cosmos-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tower-open-'));
let server: Running;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('defaults to SQLite at .tower/state.db under the working directory', async () => {
    const store = await openStore(undefined, { cwd: dir, env: {} });
    await store.close();

    expect(store).toBeInstanceOf(SqliteHistoryStore);
    expect(existsSync(join(dir, '.tower', 'state.db'))).toBe(true);
  });

  it('follows TOWER_STORE when no setting is passed', async () => {
    const store = await openStore(undefined, { env: { TOWER_STORE: 'memory:' } });

    expect(store).toBeInstanceOf(MemoryHistoryStore);
  });

  it('opens Cosmos from a cosmos: setting with its database, writing through the same port', async () => {
    const store = await openStore(`cosmos:${server.endpoint}/?database=factory`, {
      env: { TOWER_COSMOS_KEY: EMULATOR_KEY },
    });
    await store.append(aRun(1, 2));

    expect((await store.readRun('alpha/grid-1', 'run-1')).items).toHaveLength(2);
    expect(store.constructor.name).toBe('CosmosHistoryStore');
    await store.close();
  });

  it('parses settings and names a bad one in its error', () => {
    expect(parseStoreSetting('sqlite:/var/tower.db')).toEqual({ kind: 'sqlite', path: '/var/tower.db' });
    expect(parseStoreSetting('cosmos:https://acct.documents.azure.com:443/?database=prod')).toEqual({
      kind: 'cosmos',
      endpoint: 'https://acct.documents.azure.com/',
      database: 'prod',
    });
    expect(() => parseStoreSetting('postgres://x')).toThrow(/TOWER_STORE="postgres:\/\/x": expected sqlite:/);
  });
});
