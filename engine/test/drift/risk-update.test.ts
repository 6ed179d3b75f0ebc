import { afterEach, describe, expect, it } from '@jest/globals';
import { readAllEvents } from '../../src/backtest/backtest.ts';
import type { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import type { LiveEngine } from '../../src/live/engine.ts';
import { aDcaSpec, aSteppedEngine, type SteppedReplay } from './harness.ts';

const DCA = 'alpha/dca-btc';

async function deniedBy(store: MemoryHistoryStore, check: string): Promise<number> {
  const events = await readAllEvents(store, DCA, `${DCA}#1`);
  return events.filter((e) => e.type === 'RiskDenied' && (e.data as { check?: string }).check === check)
    .length;
}

async function walk(replay: SteppedReplay, bars: number): Promise<void> {
  for (let i = 0; i < bars; i++) await replay.step();
}

describe('risk-limit edits on a running bot', () => {
  let engine: LiveEngine | undefined;

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function dcaAfter(risk: unknown): Promise<{ store: MemoryHistoryStore }> {
    const setup = await aSteppedEngine();
    engine = setup.engine;
    await engine.create(aDcaSpec());
    await setup.replay.walked(1);
    await engine.update(DCA, aDcaSpec().params, [], 'r2', risk);
    await walk(setup.replay, 400);
    return { store: setup.store };
  }

  it('applies a new spec.risk to the bot’s risk gate: the next deal’s 100 USDT base order is denied above a 50 USDT cap', async () => {
    const { store } = await dcaAfter({ maxOrderNotional: '50' });

    expect(await deniedBy(store, 'order-notional')).toBeGreaterThan(0);
  });

  it('leaves the gate as it was when the update carries no risk', async () => {
    const { store } = await dcaAfter(undefined);

    expect(await deniedBy(store, 'order-notional')).toBe(0);
  });
});
