import { describe, expect, it } from '@jest/globals';
import type { HistoryEventOf } from '../model/events.ts';
import { aMarket, barsOf } from '../../test/builders.ts';
import { buyLowSellHigh } from '../../test/toy-strategies.ts';
import { readAllEvents, runBacktest } from './backtest.ts';

describe('backtest trades table', () => {
  it('lists every fill of the run with its symbol, in fill order, the same rows on every read', async () => {
    const market = aMarket('BTC/USDT', { maker: '0.001', taker: '0.001' });
    const result = await runBacktest({
      strategy: buyLowSellHigh,
      params: { buyAt: '95', sellAt: '115', qty: '1' },
      market,
      series: barsOf([
        [100, 120, 90, 110],
        [110, 118, 92, 100],
      ]),
      balances: { USDT: '1000' },
    });
    const events = await readAllEvents(result.store, result.botKey, result.runId);
    const filled = events.filter((e): e is HistoryEventOf<'OrderFilled'> => e.type === 'OrderFilled');

    expect(result.trades.length).toBeGreaterThanOrEqual(2);
    expect(result.trades).toEqual(filled.map((e) => ({ ...e.data.fill, symbol: 'BTC/USDT' })));
    expect(Object.keys(result.trades[0]!).at(-1)).toBe('symbol');
    expect(result.trades).toBe(result.trades);
  });
});
