import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runBacktest } from '../src/backtest/backtest.ts';
import type { StrategyDefinition } from '../src/kernel/strategy.ts';
import { aMarket, barsOf } from './builders.ts';

/** Rests one limit order at `price` when the run starts. */
function oneLimit(side: 'buy' | 'sell', price: string): StrategyDefinition<unknown, unknown> {
  return {
    kind: 'grid',
    futures: false,
    normalizeParams: (raw) => raw,
    validate: () => [],
    budget: () => ({ quote: '1000000', base: '100' }),
    init: () => ({}),
    phase: () => 'X',
    onEvent: (state, event) =>
      event.type === 'start'
        ? {
            state,
            intents: [
              { type: 'place', key: 'o', role: 'entry', idx: 0, side, orderType: 'limit', price, qty: '1' },
            ],
          }
        : { state, intents: [] },
  };
}

// A valid candle in whole cents: low ≤ open, close ≤ high.
const candle = fc
  .tuple(
    fc.integer({ min: 9_000, max: 11_000 }),
    fc.integer({ min: 9_000, max: 11_000 }),
    fc.nat(500),
    fc.nat(500),
  )
  .map(
    ([a, b, down, up]) =>
      [a / 100, (Math.max(a, b) + up) / 100, (Math.min(a, b) - down) / 100, b / 100] as const,
  );

const market = aMarket('BTC/USDT', { maker: '0', taker: '0', limits: { amount: {}, cost: {} } });

async function fillsOf(side: 'buy' | 'sell', price: number, bar: readonly [number, number, number, number]) {
  // The first bar only establishes the start price (100) at which the order is placed.
  const series = barsOf([[100, 100, 100, 100], bar]);
  const result = await runBacktest({
    strategy: oneLimit(side, price.toFixed(2)),
    params: {},
    market,
    series,
    balances: { USDT: '1000000', BTC: '100' },
  });
  return result.trades;
}

describe('paper fill model properties (DESIGN §6.1)', () => {
  it('fills a resting buy below the price iff the bar reaches it, at its limit or at a lower open', async () => {
    await fc.assert(
      fc.asyncProperty(candle, fc.integer({ min: 8_500, max: 9_999 }), async (bar, cents) => {
        const price = cents / 100;
        const fills = await fillsOf('buy', price, bar);
        const [open, , low] = bar;
        expect(fills.length).toBe(low <= price ? 1 : 0);
        if (fills[0]) expect(Number(fills[0].price)).toBe(open <= price ? open : price);
      }),
      { numRuns: 150 },
    );
  });

  it('fills a resting sell above the price iff the bar reaches it, at its limit or at a higher open', async () => {
    await fc.assert(
      fc.asyncProperty(candle, fc.integer({ min: 10_001, max: 11_500 }), async (bar, cents) => {
        const price = cents / 100;
        const fills = await fillsOf('sell', price, bar);
        const [open, high] = bar;
        expect(fills.length).toBe(high >= price ? 1 : 0);
        if (fills[0]) expect(Number(fills[0].price)).toBe(open >= price ? open : price);
      }),
      { numRuns: 150 },
    );
  });
});
