/**
 * Reconcile benchmarks (issue 6).
 * (1) Edit-to-apply latency: a manifest file write until the change is applied to the running bot,
 *     p50 and p99 over many edits; floor = chokidar's own event latency for the same writes, measured
 *     by a second watcher on the same folder in the same run.
 * (2) Convergence: 1,000 running bots, a revision that changes 100 of them, until every bot's status
 *     is written; floor = loading and planning that revision alone. Measured on the real paper engine
 *     (1,000 running paper bots, replay frozen so only the reconciler's calls move the venue) and on
 *     the in-memory fake engine, whose rows isolate the reconciler's own cost.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { watch } from 'chokidar';
import type { EngineControl, HistoryStore } from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { SqliteHistoryStore } from '@tradingtower/engine/adapters/store/sqlite.ts';
import { silentLogger } from '../src/log/logger.ts';
import { ReconcileController } from '../src/reconcile/controller.ts';
import { projectPlanning } from '../src/reconcile/default-planning.ts';
import { EventBus, type TowerEvent } from '../src/reconcile/events.ts';
import { Reconciler } from '../src/reconcile/reconciler.ts';
import { DirectorySource } from '../src/sources/directory.ts';
import { FakeEngine } from '../test/reconcile/helpers/fake-engine.ts';
import { aDcaBot, aPaperAccount } from '../test/reconcile/helpers/manifests.ts';
import { aPaperEngine } from '../test/reconcile/helpers/paper-engine.ts';

/** An engine whose control calls are recorded (the fake, or the real paper engine behind a recorder). */
type RecordingEngine = EngineControl & { readonly calls: readonly { readonly method: string }[] };
import { latency, type Benchmark, type BenchResult } from './harness.ts';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function loopOver(
  engine: EngineControl,
  bus: EventBus,
  store: HistoryStore = new MemoryHistoryStore(),
): Reconciler {
  return new Reconciler({
    engine,
    store,
    planning: projectPlanning(),
    bus,
    logger: silentLogger,
    now: () => Date.now(),
    random: Math.random,
    resyncMs: 0,
  });
}

async function editLatency(edits: number, bots: number): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), 'tower-bench-'));
  await writeFile(join(root, 'account.yaml'), aPaperAccount());
  for (let i = 0; i < bots; i++) await writeFile(join(root, `dca-${i}.yaml`), aDcaBot({ name: `dca-${i}` }));
  const bus = new EventBus();
  const reconciler = loopOver(new FakeEngine(), bus);
  const controller = new ReconcileController({
    source: new DirectorySource(root),
    reconciler,
    bus,
    logger: silentLogger,
  });
  const floorWatcher = watch(root, { ignoreInitial: true });
  await new Promise<void>((resolve) => floorWatcher.once('ready', () => resolve()));
  await controller.start();
  await reconciler.idle();
  const applied: number[] = [];
  const floor: number[] = [];
  try {
    for (let i = 0; i < edits; i++) {
      const file = join(root, `dca-${i % bots}.yaml`);
      const pct = `${2 + (i % 50) / 10}`;
      const seen = new Promise<number>((resolve) =>
        floorWatcher.once('change', () => resolve(performance.now())),
      );
      const done = bus.next(
        (e: TowerEvent) => e.type === 'applied' && e.botKey === `default/dca-${i % bots}`,
      );
      const start = performance.now();
      await writeFile(file, aDcaBot({ name: `dca-${i % bots}`, takeProfitPct: pct === '1.5' ? '1.6' : pct }));
      floor.push((await seen) - start);
      await done;
      applied.push(performance.now() - start);
      await reconciler.idle();
    }
  } finally {
    await floorWatcher.close();
    await controller.stop();
    await rm(root, { recursive: true, force: true });
  }
  const note = `${edits} edits, ${bots} bots in the folder`;
  return [
    {
      ...latency('edit→applied p50 (vs chokidar event)', percentile(applied, 50), percentile(floor, 50)),
      notes: note,
    },
    {
      ...latency('edit→applied p99 (vs chokidar event)', percentile(applied, 99), percentile(floor, 99)),
      notes: note,
    },
  ];
}

function snapshotOf(
  bots: number,
  changed: number,
  revision: string,
): { revision: string; files: Map<string, string> } {
  // Every bot can pay for its whole DCA budget (1,000 USDT each): no bot is refused for funds.
  const files = new Map<string, string>([
    ['team/account.yaml', aPaperAccount('paper-main', String(bots * 1000))],
  ]);
  for (let i = 0; i < bots; i++) {
    files.set(
      `team/dca-${i}.yaml`,
      aDcaBot({ name: `dca-${i}`, takeProfitPct: i < changed ? '2.5' : '1.5' }),
    );
  }
  return { revision, files };
}

async function convergence(
  bots: number,
  changed: number,
  storeName: 'memory' | 'sqlite',
  engineName: 'paper' | 'fake',
): Promise<BenchResult[]> {
  const planning = projectPlanning();
  const paper = engineName === 'paper' ? await aPaperEngine() : undefined;
  const engine: RecordingEngine = paper?.engine ?? new FakeEngine();
  const bus = new EventBus();
  const folder = await mkdtemp(join(tmpdir(), 'tower-bench-store-'));
  const store =
    storeName === 'memory' ? new MemoryHistoryStore() : new SqliteHistoryStore(join(folder, 'state.db'));
  const reconciler = loopOver(engine, bus, store);
  await reconciler.start();
  reconciler.accept(snapshotOf(bots, 0, 'r0'));
  await reconciler.idle();
  const next = snapshotOf(bots, changed, 'r1');
  const current = (await engine.observe()).map((o) => ({
    key: o.botKey,
    strategy: o.strategy,
    account: o.account,
    market: o.market,
    state: o.state,
    params: o.params,
  }));
  let floorMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    planning.plan(current, planning.load(next).desired);
    floorMs = Math.min(floorMs, performance.now() - start);
  }
  const updatesBefore = engine.calls.filter((c) => c.method === 'update').length;
  const start = performance.now();
  reconciler.accept(next);
  await reconciler.idle();
  const ms = performance.now() - start;
  const updates = engine.calls.filter((c) => c.method === 'update').length - updatesBefore;
  await reconciler.shutdown();
  await paper?.close();
  await store.close();
  await rm(folder, { recursive: true, force: true });
  if (updates !== changed) throw new Error(`convergence bench: expected ${changed} updates, saw ${updates}`);
  const name = `converge ${bots} ${engineName} bots, ${changed} changed, ${storeName} store (vs load+plan)`;
  return [{ ...latency(name, ms, floorMs), notes: `${bots} statuses written` }];
}

export const reconcileBenchmarks: Benchmark = {
  name: 'reconcile',
  async run() {
    return [
      ...(await editLatency(200, 20)),
      ...(await convergence(1000, 100, 'sqlite', 'paper')),
      ...(await convergence(1000, 100, 'memory', 'fake')),
      ...(await convergence(1000, 100, 'sqlite', 'fake')),
    ];
  },
};
