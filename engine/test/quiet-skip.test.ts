import { describe, expect, it } from '@jest/globals';
import { datasetPath, findDataset } from '../src/adapters/feeds/datasets.ts';
import { loadBarsFile } from '../src/adapters/feeds/files.ts';
import { readAllEvents, runBacktest, type BacktestOptions } from '../src/backtest/backtest.ts';
import type { StrategyDefinition } from '../src/kernel/strategy.ts';
import { strategyOf } from '../src/strategies/index.ts';
import { aDcaParams, aMarket } from './builders.ts';
import { leveragedLong } from './toy-strategies.ts';

type Subject = Omit<BacktestOptions, 'series' | 'walkEveryBar'>;

/** Runs the same backtest skipping quiet bars and walking every bar; returns both outcomes. */
async function bothWays(subject: Subject) {
  const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT', '1m')!));
  const run = async (walkEveryBar: boolean) => {
    const result = await runBacktest({ ...subject, series, walkEveryBar });
    const events = await readAllEvents(result.store, result.botKey, result.runId);
    return {
      result,
      events: JSON.stringify(events),
      metrics: JSON.stringify(result.metrics),
      curve: JSON.stringify({
        ts: Array.from(result.equity.ts),
        equity: Array.from(result.equity.equity),
        exposure: Array.from(result.equity.exposure),
      }),
    };
  };
  return { skipped: await run(false), walked: await run(true) };
}

const gridParams = {
  lowPrice: 46000,
  highPrice: 60000,
  gridCount: 28,
  gridMode: 'arithmetic',
  investment: 2800,
  orderSizeMode: 'quote',
  stopLoss: { price: 44000 },
  closeAction: 'sellBase',
};

const dcaParams = aDcaParams({ deal: { cooldownSec: 3600 } });

/** A leveraged long that asks for no bar events: only its liquidation price can stop the walk. */
const quietLong = {
  ...leveragedLong,
  onEvent: (state: never, event: never, ctx: never) => ({
    ...leveragedLong.onEvent(state, event, ctx),
    wake: { bars: false },
  }),
} as unknown as StrategyDefinition<unknown, unknown>;

describe('skipping quiet bars in a backtest', () => {
  it.each([
    ['a spot grid', { strategy: strategyOf('grid')!, params: gridParams, market: aMarket('BTC/USDT') }],
    [
      'a DCA with a cooldown timer',
      { strategy: strategyOf('dca')!, params: dcaParams, market: aMarket('BTC/USDT') },
    ],
  ] as const)('changes no event, metric or equity sample of %s', async (_name, subject) => {
    const { skipped, walked } = await bothWays(subject);

    expect(skipped.result.trades.length).toBeGreaterThan(10);
    expect(skipped.result.barsWalked).toBeLessThan(skipped.result.bars / 4);
    expect(walked.result.barsWalked).toBe(walked.result.bars);
    expect(skipped.events).toBe(walked.events);
    expect(skipped.metrics).toBe(walked.metrics);
    expect(skipped.curve).toBe(walked.curve);
  });

  it('still stops at a leveraged position’s liquidation price and liquidates it exactly as the full walk does', async () => {
    const perp = aMarket('BTC/USDT:USDT', { limits: { amount: { min: '0.001' }, cost: { min: '5' } } });

    const { skipped, walked } = await bothWays({
      strategy: quietLong,
      params: { leverage: '50', qty: '0.01' },
      market: perp,
      balances: { USDT: '1000' },
    });

    expect(skipped.result.metrics.liquidations).toBe(1);
    expect(skipped.result.barsWalked).toBeLessThan(skipped.result.bars / 4);
    expect(skipped.events).toBe(walked.events);
    expect(skipped.metrics).toBe(walked.metrics);
    expect(skipped.curve).toBe(walked.curve);
  });
});
