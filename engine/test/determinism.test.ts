import { describe, expect, it } from '@jest/globals';
import { datasetPath, findDataset } from '../src/adapters/feeds/datasets.ts';
import { loadBarsFile } from '../src/adapters/feeds/files.ts';
import { readAllEvents, runBacktest, type BacktestOptions } from '../src/backtest/backtest.ts';
import { strategyOf } from '../src/strategies/index.ts';
import { aDcaParams, aMarket } from './builders.ts';
import { buyLowSellHigh } from './toy-strategies.ts';

const dcaParams = aDcaParams();

async function twice(options: Omit<BacktestOptions, 'series' | 'market'>) {
  const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT', '1m')!));
  const run = async () => {
    const result = await runBacktest({ ...options, series, market: aMarket('BTC/USDT') });
    const events = await readAllEvents(result.store, result.botKey, result.runId);
    return { json: JSON.stringify(events), metrics: JSON.stringify(result.metrics), result, events };
  };
  return [await run(), await run()] as const;
}

describe('backtest determinism', () => {
  it('gives byte-identical event streams and metrics for the same toy-strategy backtest run twice', async () => {
    const [a, b] = await twice({
      strategy: buyLowSellHigh,
      params: { buyAt: '49000', sellAt: '50000', qty: '0.01' },
    });

    expect(a.result.trades.length).toBeGreaterThan(4);
    expect(b.json).toBe(a.json);
    expect(b.metrics).toBe(a.metrics);
  });

  it('gives byte-identical event streams and metrics for the same DCA backtest over real 1-minute data', async () => {
    const [a, b] = await twice({ strategy: strategyOf('dca')!, params: dcaParams });

    expect(a.result.trades.length).toBeGreaterThan(10);
    expect(a.events.length).toBeGreaterThan(50);
    expect(b.json).toBe(a.json);
    expect(b.metrics).toBe(a.metrics);
  });
});
