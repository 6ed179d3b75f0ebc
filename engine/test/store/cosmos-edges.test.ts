import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { clientOptions, isLocalEndpoint } from '../../src/adapters/store/cosmos-connect.ts';
import { containersDocument } from '../../src/adapters/store/cosmos-containers.ts';
import { openCosmosStore } from '../../src/adapters/store/cosmos.ts';
import { anAudit, aRun } from './builders.ts';
import { EMULATOR_KEY, startCosmosServer, startProxy, type Running, type Seen } from './cosmos-server.ts';

let server: Running;
let databases = 0;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

const isDocumentCreate = (s: Seen): boolean =>
  s.method === 'POST' && /\/docs$/.test(s.url) && !s.body.includes('"query"') && s.body.includes('"seq"');

describe('cosmos throttling', () => {
  it('retries a 429 after the retry-after the server asked for, then succeeds', async () => {
    let throttled = 0;
    const proxy = await startProxy(server.endpoint, (seen, res) => {
      if (!isDocumentCreate(seen) || throttled > 0) return false;
      throttled += 1;
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-ms-retry-after-ms': '300',
        'x-ms-substatus': '3200',
      });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large' }));
      return true;
    });
    databases += 1;
    const store = await openCosmosStore({
      endpoint: proxy.endpoint,
      key: EMULATOR_KEY,
      database: `t${databases}`,
    });

    await store.append(aRun(1, 2));

    const creates = proxy.seen.filter(isDocumentCreate);
    expect(throttled).toBe(1);
    expect(creates.length).toBe(3);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(290);
    expect((await store.readRun('alpha/grid-1', 'run-1')).items.map((e) => e.seq)).toEqual([1, 2]);
    await store.close();
    await proxy.close();
  });

  it('gives up with the 429 after the configured attempts so the caller can back off', async () => {
    const proxy = await startProxy(server.endpoint, (seen, res) => {
      if (!isDocumentCreate(seen)) return false;
      res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': '5' });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large' }));
      return true;
    });
    databases += 1;
    const store = await openCosmosStore({
      endpoint: proxy.endpoint,
      key: EMULATOR_KEY,
      database: `t${databases}`,
      throttleRetries: { attempts: 2, maxWaitSec: 5 },
    });

    await expect(store.append(aRun(1, 1))).rejects.toMatchObject({ code: 429 });
    expect(proxy.seen.filter(isDocumentCreate).length).toBe(3);
    await store.close();
    await proxy.close();
  });
});

describe('cosmos queries', () => {
  it('filters every single-bot and audit query by the partition key in WHERE', async () => {
    const proxy = await startProxy(server.endpoint);
    databases += 1;
    const store = await openCosmosStore({
      endpoint: proxy.endpoint,
      key: EMULATOR_KEY,
      database: `t${databases}`,
    });
    await store.append([...aRun(1, 3), anAudit({ seq: 4 })]);

    await store.readRun('alpha/grid-1', 'run-1', { limit: 2 });
    await store.readRunByTime('alpha/grid-1', 'run-1', { from: 0, to: 1e15 });
    await store.listRuns('alpha/grid-1');
    await store.latestSnapshots('alpha/grid-1');
    await store.readAudit('alpha', { from: 0, to: 1e15 });
    await store.append(aRun(6, 7)).catch(() => undefined);

    const queries = proxy.seen
      .filter((s) => s.body.includes('"query"'))
      .map((s) => (JSON.parse(s.body) as { query: string }).query);
    expect(queries.length).toBeGreaterThanOrEqual(7);
    for (const query of queries) expect(query).toMatch(/WHERE c\.pk = @pk/);
    await store.close();
    await proxy.close();
  });
});

describe('cosmos credentials', () => {
  it('refuses an account key for an endpoint that is not on this machine', async () => {
    await expect(
      clientOptions({ endpoint: 'https://prod.documents.azure.com:443/', key: EMULATOR_KEY }),
    ).rejects.toThrow(/account key is accepted only for a local server/);
  });

  it('uses the Azure AD credential, never a key, for a cloud endpoint', async () => {
    const credential = { getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: 0 }) };

    const options = await clientOptions({ endpoint: 'https://prod.documents.azure.com:443/', credential });

    expect(options.aadCredentials).toBe(credential);
    expect(options.key).toBeUndefined();
    expect(options.connectionPolicy?.enableEndpointDiscovery).toBe(true);
  });

  it('falls back to DefaultAzureCredential when no credential is given', async () => {
    const options = await clientOptions({ endpoint: 'https://prod.documents.azure.com:443/' });

    expect(options.aadCredentials?.constructor.name).toBe('DefaultAzureCredential');
  });

  it('treats only loopback hosts as local', () => {
    expect(['http://127.0.0.1:1', 'http://localhost:2', 'http://[::1]:3'].map(isLocalEndpoint)).toEqual([
      true,
      true,
      true,
    ]);
    expect(isLocalEndpoint('https://127.0.0.1.example.com/')).toBe(false);
  });
});

describe('cosmos container definitions', () => {
  it('match the JSON copy the infrastructure templates read', () => {
    const json: unknown = JSON.parse(
      readFileSync(new URL('../../src/adapters/store/cosmos-containers.json', import.meta.url), 'utf8'),
    );

    expect(json).toEqual(containersDocument());
  });

  it('partition every container by /pk and keep the audit trail forever', () => {
    const { containers } = containersDocument();

    expect(containers.map((c) => c.partitionKeyPath)).toEqual(['/pk', '/pk', '/pk', '/pk']);
    expect(containers.find((c) => c.id === 'audit')?.defaultTtl).toBeUndefined();
  });
});
