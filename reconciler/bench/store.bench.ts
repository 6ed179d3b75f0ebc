/**
 * History store append throughput. SQLite: events appended in kernel-sized batches (50, mixed types,
 * several bots) through the store, against a floor of raw `node:sqlite` prepared INSERTs of the same
 * rows into the same table in one transaction. Cosmos: the same path against the local in-memory
 * server (informational only: it is not real Cosmos DB), floor = raw sequential creates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CosmosClient } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';
import type { HistoryEvent } from '@tradingtower/engine';
import { SqliteHistoryStore } from '@tradingtower/engine/adapters/store/sqlite.ts';
import { openCosmosStore } from '@tradingtower/engine/adapters/store/cosmos.ts';
import { clientOptions } from '@tradingtower/engine/adapters/store/cosmos-connect.ts';
import { auditSortKey } from '@tradingtower/engine/adapters/store/documents.ts';
import { eventId } from '@tradingtower/engine/adapters/store/cosmos-docs.ts';
import { bestOf, rate, type Benchmark, type BenchResult } from './harness.ts';

const BATCH = 50;
const KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** Events as the kernel writes them: per bot, runs of intents, submits, fills and snapshots. */
function kernelEvents(count: number, bots = 4): HistoryEvent[][] {
  const batches: HistoryEvent[][] = [];
  const seqs = new Array<number>(bots).fill(0);
  for (let i = 0; i < count; i += BATCH) {
    const bot = (i / BATCH) % bots;
    const batch: HistoryEvent[] = [];
    for (let j = 0; j < BATCH && i + j < count; j++) batch.push(eventAt(bot, (seqs[bot] = seqs[bot]! + 1)));
    batches.push(batch);
  }
  return batches;
}

function eventAt(bot: number, seq: number): HistoryEvent {
  const base = {
    schemaVersion: 1,
    botKey: `bench/bot-${bot}`,
    runId: 'run-1',
    seq,
    ts: 1_700_000_000_000 + seq * 250,
    revision: 'a1b2c3d',
  };
  const clientOrderId = `tt${bot.toString(36).padStart(5, '0')}${seq.toString(36).padStart(10, '0')}`;
  const price = (30000 + (seq % 97) * 0.5).toFixed(2);
  switch (seq % 5) {
    case 0:
      return {
        ...base,
        type: 'OrderIntent',
        data: {
          request: { clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.001', price },
          role: 'grid',
          idx: seq % 40,
        },
      };
    case 1:
      return { ...base, type: 'OrderSubmitted', data: { clientOrderId, exchangeOrderId: `x${seq}` } };
    case 2:
      return {
        ...base,
        type: 'OrderFilled',
        data: {
          symbol: 'BTC/USDT',
          fill: {
            tradeId: `t${seq}`,
            clientOrderId,
            ts: base.ts,
            side: 'buy',
            price,
            qty: '0.001',
            fee: '0.000001',
            feeAsset: 'BTC',
            liquidity: 'maker',
          },
        },
      };
    case 3:
      return {
        ...base,
        type: 'PositionSnapshot',
        data: { symbol: 'BTC/USDT', base: '0.013', quote: '9612.25' },
      };
    default:
      return {
        ...base,
        type: 'MetricsSnapshot',
        data: { metrics: { totalPnl: '12.5', maxDrawdownPct: '1.2', trades: seq } },
      };
  }
}

async function sqliteResults(dir: string): Promise<BenchResult[]> {
  const n = 60_000;
  const batches = kernelEvents(n);
  let files = 0;
  const fresh = (): string => join(dir, `s${(files += 1)}.db`);
  const floorMs = await bestOf(3, async () => {
    const path = fresh();
    await new SqliteHistoryStore(path).close(); // same schema and indexes as the store
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    const insert = db.prepare(
      'INSERT INTO events (bot_key, run_id, seq, ts, type, namespace, audit_key, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    db.exec('BEGIN');
    for (const batch of batches) {
      for (const e of batch)
        insert.run(
          e.botKey,
          e.runId,
          e.seq,
          e.ts,
          e.type,
          'bench',
          e.type === 'AuditEvent' ? auditSortKey(e) : null,
          JSON.stringify(e),
        );
    }
    db.exec('COMMIT');
    db.close();
  });
  const storeMs = await bestOf(3, async () => {
    const store = new SqliteHistoryStore(fresh());
    for (const batch of batches) await store.append(batch);
    await store.close();
  });
  const powerMs = await bestOf(1, async () => {
    const store = new SqliteHistoryStore(fresh(), { durability: 'power' });
    for (const batch of batches.slice(0, 200)) await store.append(batch);
    await store.close();
  });
  return [
    rate(`sqlite append, batches of ${BATCH} (vs raw inserts, 1 tx)`, n, storeMs, floorMs, 'events/s', 2),
    {
      // Same floor rate, scaled to the smaller sample: fsync per batch makes a full run too slow.
      ...rate(
        'sqlite append, durability=power (fsync per batch)',
        200 * BATCH,
        powerMs,
        (floorMs * 200 * BATCH) / n,
        'events/s',
      ),
      notes: 'informational',
    },
  ];
}

async function cosmosResults(): Promise<BenchResult[]> {
  const server = createHttpServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const n = 1_000;
    const batches = kernelEvents(n);
    const store = await openCosmosStore({ endpoint, key: KEY, database: 'bench-store' });
    const storeMs = await bestOf(1, async () => {
      for (const batch of batches) await store.append(batch);
    });
    await store.close();
    await openCosmosStore({ endpoint, key: KEY, database: 'bench-floor' }).then((s) => s.close());
    const client = new CosmosClient(await clientOptions({ endpoint, key: KEY }));
    const container = client.database('bench-floor').container('events');
    const floorMs = await bestOf(1, async () => {
      for (const batch of batches)
        for (const e of batch) await container.items.create({ ...e, id: eventId(e), pk: e.botKey });
    });
    client.dispose();
    return [
      {
        ...rate('cosmos append via local server (vs raw creates)', n, storeMs, floorMs, 'events/s'),
        notes: 'informational: local in-memory server, not real Cosmos DB',
      },
    ];
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export const storeAppend: Benchmark = {
  name: 'store-append',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'tower-bench-store-'));
    try {
      return [...(await sqliteResults(dir)), ...(await cosmosResults())];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
