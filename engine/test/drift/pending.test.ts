import { afterEach, describe, expect, it } from '@jest/globals';
import { readAllEvents } from '../../src/backtest/backtest.ts';
import type { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import type { LiveEngine } from '../../src/live/engine.ts';
import { aDcaSpec, aSteppedEngine, type SteppedReplay } from './harness.ts';

const DCA = 'alpha/dca-btc';
const base = aDcaSpec();
const wider = {
  ...(base.params as Record<string, unknown>),
  safetyOrders: { size: '100', maxCount: 3, deviationPct: '2' },
};

async function pendingOf(engine: LiveEngine): Promise<readonly string[]> {
  return (await engine.observe()).find((b) => b.botKey === DCA)?.pendingUntilNextCycle ?? [];
}

async function closedDeals(store: MemoryHistoryStore, runId = `${DCA}#1`): Promise<number> {
  const events = await readAllEvents(store, DCA, runId);
  return events.filter((e) => e.type === 'StateTransition' && (e.data as { to?: string }).to === 'DealClosed')
    .length;
}

/** Walks bars until the bot reports nothing pending; returns the closed deals seen at each step before that. */
async function walkUntilNotPending(
  engine: LiveEngine,
  replay: SteppedReplay,
  store: MemoryHistoryStore,
): Promise<{ closedWhilePending: number[]; closedWhenCleared: number }> {
  const closedWhilePending: number[] = [];
  for (let i = 0; i < 3000; i++) {
    await replay.step();
    const closed = await closedDeals(store);
    if ((await pendingOf(engine)).length === 0) return { closedWhilePending, closedWhenCleared: closed };
    closedWhilePending.push(closed);
  }
  throw new Error('the field stayed pending for 3000 bars');
}

describe('next-cycle fields pending until the next deal', () => {
  let engine: LiveEngine | undefined;

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('shows a next-cycle change as pending until the running DCA deal closes, then clears it', async () => {
    const setup = await aSteppedEngine();
    engine = setup.engine;
    await engine.create(base);
    await setup.replay.walked(1);
    const dealsBefore = await closedDeals(setup.store);

    await engine.update(DCA, wider, [{ path: 'safetyOrders.deviationPct', class: 'next-cycle' }], 'r2');
    const pendingNow = await pendingOf(engine);
    const walk = await walkUntilNotPending(engine, setup.replay, setup.store);

    expect(pendingNow).toEqual(['safetyOrders.deviationPct']);
    expect(walk.closedWhilePending.length).toBeGreaterThan(0);
    expect(walk.closedWhilePending.every((n) => n === dealsBefore)).toBe(true);
    expect(walk.closedWhenCleared).toBe(dealsBefore + 1);
  });

  it('never marks hot or amend changes as pending', async () => {
    const setup = await aSteppedEngine();
    engine = setup.engine;
    await engine.create(base);

    await engine.update(
      DCA,
      { ...wider, takeProfit: { pct: '0.4' } },
      [
        { path: 'takeProfit.pct', class: 'amend' },
        { path: 'deal.cooldownSec', class: 'hot' },
      ],
      'r2',
    );

    expect(await pendingOf(engine)).toEqual([]);
  });

  it('keeps several pending fields sorted and forgets them when a fresh run starts', async () => {
    const setup = await aSteppedEngine();
    engine = setup.engine;
    await engine.create(base);
    await engine.update(
      DCA,
      { ...wider, baseOrder: { size: '120' } },
      [
        { path: 'safetyOrders.deviationPct', class: 'next-cycle' },
        { path: 'baseOrder.size', class: 'next-cycle' },
      ],
      'r2',
    );
    const before = await pendingOf(engine);

    await engine.recreate(aDcaSpec('dca-btc', 'r3'));

    expect(before).toEqual(['baseOrder.size', 'safetyOrders.deviationPct']);
    expect(await pendingOf(engine)).toEqual([]);
  });
});
