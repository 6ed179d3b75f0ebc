import { describe, expect, it } from '@jest/globals';
import { datasetPath, findDataset } from '../adapters/feeds/datasets.ts';
import { loadBarsFile } from '../adapters/feeds/files.ts';
import { runBacktest, type BacktestResult } from '../backtest/index.ts';
import { findMarket } from '../markets/venues.ts';
import { gridStrategy } from '../strategies/grid/index.ts';
import type { HistoryEvent } from '../model/events.ts';
import type { StrategyDefinition, StrategyEvent, StrategyResult } from './strategy.ts';

// Real Binance BTC/USDT 1h candles, June–July 2021 (a 29k–42k range): many fills, trailing and stops.
const from = Date.UTC(2021, 5, 1);
const to = Date.UTC(2021, 7, 1);

/** Grid params covering every phase the grid reducer has: plain, trailing both ways, pump, stops, armed. */
const GRID_CASES: Record<string, Record<string, unknown>> = {
  plain: { lowPrice: '30000', highPrice: '42000', gridCount: 20, gridMode: 'geometric', investment: '5000' },
  trailing: {
    lowPrice: '33000',
    highPrice: '36000',
    gridCount: 10,
    gridMode: 'arithmetic',
    investment: '5000',
    trailingUp: { enabled: true },
    trailingDown: { enabled: true, maxExtraQuote: '2000' },
    pumpProtection: { enabled: true, windowSec: 3600, maxMovePct: '2', cooldownSec: 7200 },
  },
  pnlStops: {
    lowPrice: '30000',
    highPrice: '40000',
    gridCount: 12,
    gridMode: 'geometric',
    investment: '5000',
    takeProfit: { pnlPct: '4' },
  },
  priceStop: {
    lowPrice: '34000',
    highPrice: '40000',
    gridCount: 8,
    gridMode: 'arithmetic',
    investment: '5000',
    stopLoss: { price: '31000' },
  },
  armed: {
    lowPrice: '30000',
    highPrice: '40000',
    gridCount: 10,
    gridMode: 'arithmetic',
    investment: '5000',
    triggerPrice: '33000',
  },
};

type Grid = StrategyDefinition<unknown, unknown>;
const { ignoredOrderEvents: _declared, ...undeclared } = gridStrategy as Grid;

async function backtest(strategy: Grid, params: unknown): Promise<BacktestResult> {
  const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT', '1h')!));
  return runBacktest({
    strategy,
    params,
    market: findMarket('paper', 'BTC/USDT')!,
    series,
    from,
    to,
    balances: { USDT: '10000' },
  });
}

async function eventsOf(result: BacktestResult): Promise<readonly HistoryEvent[]> {
  return (await result.store.readRun(result.botKey, result.runId)).items;
}

/** The grid with every reducer step recorded: the event, the state it got and the result. */
function recordingGrid(): { strategy: Grid; steps: [StrategyEvent, unknown, StrategyResult<unknown>][] } {
  const steps: [StrategyEvent, unknown, StrategyResult<unknown>][] = [];
  const strategy: Grid = {
    ...undeclared,
    onEvent(state, event, ctx) {
      const result = undeclared.onEvent(state, event, ctx);
      steps.push([event, state, result]);
      return result;
    },
  };
  return { strategy, steps };
}

describe('order events a strategy declares it ignores', () => {
  it('the grid declares accepted events ignorable', () => {
    expect(gridStrategy.ignoredOrderEvents).toEqual(['accepted']);
  });

  it.each(Object.keys(GRID_CASES))(
    'the grid reducer returns the same state, no intents and its previous wake on every accepted event (%s)',
    async (name) => {
      const { strategy, steps } = recordingGrid();

      await backtest(strategy, GRID_CASES[name]);

      let checked = 0;
      for (let i = 1; i < steps.length; i++) {
        const [event, state, result] = steps[i]!;
        if (event.type !== 'order' || event.status !== 'accepted') continue;
        expect(event.fill).toBeUndefined();
        expect(result.state).toBe(state);
        expect(result.intents).toEqual([]);
        expect(result.roundTrips).toBeUndefined();
        expect(result.wake).toEqual(steps[i - 1]![2].wake);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    },
  );

  it.each(Object.keys(GRID_CASES))(
    'the kernel skips them while every stored event stays the same (%s)',
    async (name) => {
      const delivered: StrategyEvent[] = [];
      const declared: Grid = {
        ...(gridStrategy as Grid),
        onEvent: (state, event, ctx) => {
          delivered.push(event);
          return gridStrategy.onEvent(state as never, event, ctx);
        },
      };

      const skipping = await backtest(declared, GRID_CASES[name]);
      const full = await backtest(undeclared, GRID_CASES[name]);

      expect(delivered.some((e) => e.type === 'order' && e.status === 'accepted')).toBe(false);
      expect(delivered.some((e) => e.type === 'order' && e.status === 'filled')).toBe(true);
      expect(await eventsOf(skipping)).toEqual(await eventsOf(full));
      expect(skipping.metrics).toEqual(full.metrics);
    },
  );
});
