import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { readCheckpoint } from '../../src/kernel/checkpoint.ts';
import { DCA, GRID, historyOf, startEngine } from './specs.ts';
import { expectOneContinuousRun, fillsAfter, resumeSeqs } from './invariants.ts';

const dir = mkdtempSync(join(tmpdir(), 'tower-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful shutdown and resume (issue 6)', () => {
  it('continues both runs after shutdown: same run id, seq continues, open orders tracked, no order sent twice, trading goes on', async () => {
    const path = join(dir, 'graceful.db');
    const first = await startEngine(new SqliteHistoryStore(path));
    await first.engine.create(GRID);
    await first.engine.create(DCA);
    await first.barsDone(300);
    await first.engine.shutdown();
    await expect(first.engine.create(GRID)).rejects.toThrow(/shutting down/);

    const store = new SqliteHistoryStore(path);
    const before = await historyOf(store, GRID.botKey);
    const checkpoint = readCheckpoint(
      (await store.loadCheckpoint(GRID.botKey, 'alpha/grid-btc#1'))?.body,
      'test',
    );
    const second = await startEngine(store);
    await second.engine.create(GRID);
    await second.engine.create(DCA);
    const observed = await second.engine.observe();
    await second.barsDone(300);
    await second.engine.stop(GRID.botKey, 'cancelOrders', 'test over', 'rev-1');
    await second.engine.stop(DCA.botKey, 'cancelOrders', 'test over', 'rev-1');
    await second.engine.close();

    expect(observed.map((o) => o.runId)).toEqual(['alpha/grid-btc#1', 'beta/dca-btc#1']);
    expect(checkpoint.seq).toBe(before.events.length);
    expect(checkpoint.orders.length).toBeGreaterThan(0);
    for (const bot of [GRID, DCA]) {
      const { runIds, events } = await historyOf(store, bot.botKey);
      expectOneContinuousRun(bot.botKey, runIds, events);
      const resumedAt = resumeSeqs(events);
      expect(resumedAt).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('BotRunStopped');
      const recovered = events.find((e) => e.type === 'StateTransition' && e.data.from === 'RECOVERING');
      expect(recovered?.type === 'StateTransition' && recovered.data.reason).toMatch(
        / 0 not placed, 0 orphans/,
      );
      if (bot === GRID) expect(fillsAfter(events, resumedAt[0]!)).toBeGreaterThan(0);
    }
    const grid = await historyOf(store, GRID.botKey);
    expect(grid.events.slice(0, before.events.length)).toEqual(before.events);
    const recovered = grid.events.find((e) => e.type === 'StateTransition' && e.data.from === 'RECOVERING');
    expect(recovered?.type === 'StateTransition' && recovered.data.reason).toContain(
      `${checkpoint.orders.length} open orders tracked`,
    );
    await store.close();
  }, 60_000);

  it('resolves events stored after the last checkpoint (Cosmos crash window): superseded, the log continues after them', async () => {
    const store = new MemoryHistoryStore();
    const first = await startEngine(store);
    await first.engine.create(GRID);
    await first.barsDone(50);
    await first.engine.shutdown();
    const [run] = await store.listRuns(GRID.botKey);
    const stray = (await historyOf(store, GRID.botKey)).events.at(-1)!;
    await store.append([
      {
        ...stray,
        seq: run!.lastSeq + 1,
        type: 'AuditEvent',
        data: { actor: 'engine', action: 'x', reason: 'written before a crash' },
      },
    ]);

    const second = await startEngine(store);
    await second.engine.create({ ...GRID, revision: 'rev-2' });
    const [observed] = await second.engine.observe();
    await second.barsDone(50);
    await second.engine.close();

    // Resumed as it ran; the reconciler sees the older revision and applies rev-2 itself.
    expect([observed?.runId, observed?.revision]).toEqual(['alpha/grid-btc#1', 'rev-1']);

    const { runIds, events } = await historyOf(store, GRID.botKey);
    expectOneContinuousRun(GRID.botKey, runIds, events);
    const resumed = events.find((e) => e.seq === resumeSeqs(events)[0]);
    expect(resumed?.seq).toBe(run!.lastSeq + 2);
    expect(resumed?.type === 'AuditEvent' && resumed.data.reason).toContain(
      `events ${run!.lastSeq + 1}..${run!.lastSeq + 1} after the checkpoint are superseded`,
    );
  });
});
