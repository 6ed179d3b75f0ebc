// Exact trailing through the kernel and the paper bar walk (Wake.trail): DCA-SPOT-1T of
// strategies/dca-twap-risk.md §2.7 on hand-made bars, and the one-event-per-segment contract itself.
import { describe, expect, it } from '@jest/globals';
import { parseOhlcvCsv } from '../adapters/feeds/columns.ts';
import type { StrategyDefinition, StrategyEvent } from '../kernel/strategy.ts';
import { dcaStrategy } from '../strategies/dca/index.ts';
import { aDcaParams, aMarket } from '../strategies/dca/test-builders.ts';
import { runBacktest } from './backtest.ts';

const HOUR = 3_600_000;

/** Hourly bars from `[open, high, low, close]` rows. */
function bars(rows: readonly (readonly [number, number, number, number])[]) {
  const lines = rows.map(([o, h, l, c], i) => `${i * HOUR},${o},${h},${l},${c},1000000`);
  return parseOhlcvCsv(`timestamp,open,high,low,close,volume\n${lines.join('\n')}\n`);
}

async function trailingDeal(rows: readonly (readonly [number, number, number, number])[]) {
  const params = aDcaParams({ takeProfit: { trailing: { enabled: true, deviationPct: '0.5' } } });
  const result = await runBacktest({
    strategy: dcaStrategy,
    params,
    market: aMarket(),
    series: bars(rows),
    slippageBps: 0,
  });
  const exits = result.trades.filter((t) => t.side === 'sell');
  return { result, exits };
}

describe('a DCA trailing take profit through the bar walk (DCA-SPOT-1T)', () => {
  it('exits at exactly peak × (1 − 0.5 %) where the peak is the bar high reached after activation', async () => {
    // Base fills at 100; TP 101.5 activates trailing on bar 1's up leg, which peaks at 102 (not a level step).
    const { exits } = await trailingDeal([
      [100, 100, 100, 100],
      [100, 102, 99.9, 101.9],
      [101.9, 101.95, 100, 100.2],
    ]);

    expect(exits).toHaveLength(1);
    expect(exits[0]!.price).toBe('101.49'); // 102 × 0.995
  });

  it('follows a later, higher peak across bars', async () => {
    const { exits } = await trailingDeal([
      [100, 100, 100, 100],
      [100, 102, 99.9, 101.9],
      [101.9, 103.37, 101.8, 103],
      [103, 103.1, 101, 101.2],
    ]);

    expect(exits.map((t) => t.price)).toEqual(['102.85315']); // 103.37 × 0.995
  });

  it('exits at the open when the bar opens through the trailing stop', async () => {
    const { exits } = await trailingDeal([
      [100, 100, 100, 100],
      [100, 102, 99.9, 101.9],
      [101, 101.2, 100.5, 100.8],
    ]);

    expect(exits.map((t) => t.price)).toEqual(['101']);
  });
});

/** Records the price events a strategy that trails its peak receives. */
function peakTracker(seen: StrategyEvent[]): StrategyDefinition<unknown, { peak: string }> {
  return {
    kind: 'dca',
    futures: false,
    normalizeParams: (raw) => raw,
    validate: () => [],
    init: () => ({ peak: '0' }),
    phase: () => 'RUNNING',
    onEvent: (state, event) => {
      if (event.type === 'price') seen.push(event);
      const peak =
        event.type === 'price' || event.type === 'start'
          ? Number(event.price) > Number(state.peak)
            ? event.price
            : state.peak
          : state.peak;
      return { state: { peak }, intents: [], wake: { above: peak, trail: 'above', bars: false } };
    },
  };
}

describe('a trailing wake level (Wake.trail)', () => {
  it('delivers one price event per path segment beyond the peak, at the segment extreme', async () => {
    const seen: StrategyEvent[] = [];

    await runBacktest({
      strategy: peakTracker(seen),
      params: {},
      market: aMarket(),
      series: bars([
        [100, 100, 100, 100],
        [100, 150, 99, 149], // open → low → high: one up leg of 51 beyond the peak
        [149, 149.5, 120, 121], // open → high (below the peak) → low: nothing new
        [121, 160, 120, 155], // up leg beyond 150 once
      ]),
    });

    expect(seen.map((e) => (e.type === 'price' ? e.price : ''))).toEqual(['150', '160']);
  });
});
