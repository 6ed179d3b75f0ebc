import { describe, expect, it } from '@jest/globals';
import { datasetPath, findDataset } from '../../adapters/feeds/datasets.ts';
import { loadBarsFile } from '../../adapters/feeds/files.ts';
import { runBacktest } from '../../backtest/index.ts';
import type { StrategyDefinition } from '../../kernel/strategy.ts';
import { findMarket } from '../../markets/venues.ts';
import { strategyOf } from '../index.ts';

// Real Binance BTC/USDT 1h candles, June–July 2021 (a 29k–42k range), through the real kernel and paper exchange.
const from = Date.UTC(2021, 5, 1);
const to = Date.UTC(2021, 7, 1);

async function backtest(kind: 'grid' | 'loop' | 'futures-grid', params: unknown, symbol: string) {
  const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT', '1h')!));
  const strategy = strategyOf(kind) as StrategyDefinition<unknown, unknown>;
  return runBacktest({
    strategy,
    params,
    market: findMarket('paper', symbol)!,
    series,
    from,
    to,
    balances: { USDT: '10000' },
  });
}

describe('grid-family strategies through the kernel on real candles', () => {
  it('a spot grid keeps running, closes profitable pairs only and books them as round trips', async () => {
    const params = {
      lowPrice: '30000',
      highPrice: '42000',
      gridCount: 20,
      gridMode: 'geometric',
      investment: '5000',
    };

    const result = await backtest('grid', params, 'BTC/USDT');

    expect(result.phase).toBe('RUNNING');
    expect(result.metrics.roundTrips).toBeGreaterThan(50);
    expect(result.metrics.winRate).toBe(1);
    expect(Number(result.metrics.realizedPnl)).toBeGreaterThan(0);
  });

  it('a loop bot buys below and sells above its fixed entry only', async () => {
    const params = {
      entryPrice: '36000',
      orderDistancePct: '3',
      ordersPerSide: 5,
      lowPrice: '20000',
      investment: '5000',
    };

    const result = await backtest('loop', params, 'BTC/USDT');

    expect(result.metrics.roundTrips).toBeGreaterThan(0);
    expect(
      result.trades.every((t) => (t.side === 'buy' ? Number(t.price) < 36000 : Number(t.price) > 36000)),
    ).toBe(true);
  });

  it('a neutral futures grid at 2× trades both sides without liquidation', async () => {
    const params = {
      direction: 'NEUTRAL',
      lowPrice: '30000',
      highPrice: '42000',
      gridCount: 10,
      gridMode: 'geometric',
      investment: '5000',
      leverage: 2,
    };

    const result = await backtest('futures-grid', params, 'BTC/USDT:USDT');

    expect(result.phase).toBe('RUNNING');
    expect(result.metrics.liquidations).toBe(0);
    expect(new Set(result.trades.map((t) => t.side))).toEqual(new Set(['buy', 'sell']));
    expect(result.metrics.roundTrips).toBeGreaterThan(0);
  });
});
