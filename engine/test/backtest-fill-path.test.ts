import { describe, expect, it } from '@jest/globals';
import { runBacktest, readAllEvents } from '../src/backtest/backtest.ts';
import type { HistoryEvent } from '../src/model/events.ts';
import { aMarket, barsOf } from './builders.ts';
import { buyLowSellHigh, marketOnDip } from './toy-strategies.ts';

const zeroFees = aMarket('BTC/USDT', { maker: '0', taker: '0' });

async function run(rows: Parameters<typeof barsOf>[0], params: unknown, strategy = buyLowSellHigh as never) {
  const result = await runBacktest({
    strategy,
    params,
    market: zeroFees,
    series: barsOf(rows),
    balances: { USDT: '1000' },
  });
  const events = await readAllEvents(result.store, result.botKey, result.runId);
  return { result, events };
}

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);

describe('backtest bar path (DESIGN §6.1)', () => {
  it('walks a bullish bar open → low → high → close, so a counter order placed at the low fills at the high of the same bar', async () => {
    const { result } = await run([[100, 120, 90, 110]], { buyAt: '95', sellAt: '115', qty: '1' });

    expect(result.trades.map((t) => [t.side, t.price])).toEqual([
      ['buy', '95'],
      ['sell', '115'],
    ]);
    expect(result.metrics.roundTrips).toBe(1);
    expect(result.metrics.realizedPnl).toBe('20');
  });

  it('walks a bearish bar open → high → low → close, so the counter sell placed at the low waits for a later bar', async () => {
    const { result } = await run(
      [
        [100, 120, 90, 95],
        [95, 116, 94, 110],
      ],
      { buyAt: '95', sellAt: '115', qty: '1' },
    );

    expect(result.trades.map((t) => [t.side, t.price, t.ts])).toEqual([
      ['buy', '95', Date.UTC(2021, 4, 1) + 40_000],
      ['sell', '115', Date.UTC(2021, 4, 1) + 60_000 + 40_000],
    ]);
  });

  it('delivers a price wake-up where the path crosses the level and fills the market order there', async () => {
    const { result, events } = await run(
      [[100, 101, 80, 90]],
      { below: '85', quoteAmount: '170' },
      marketOnDip as never,
    );

    expect(result.trades).toEqual([expect.objectContaining({ side: 'buy', price: '85', qty: '2' })]);
    expect(types(events)).toEqual([
      'BotRunStarted',
      'OrderIntent',
      'OrderFilled',
      'PositionSnapshot',
      'OrderSubmitted',
      'MetricsSnapshot',
      'BotRunStopped',
    ]);
  });

  it('records every order as an intent before it is submitted, with gap-free sequence numbers', async () => {
    const { events } = await run(
      [
        [100, 120, 90, 110],
        [110, 118, 92, 100],
      ],
      { buyAt: '95', sellAt: '115', qty: '1' },
    );

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const intents = events.filter((e) => e.type === 'OrderIntent');
    for (const intent of intents) {
      const id = intent.type === 'OrderIntent' ? intent.data.request.clientOrderId : '';
      const submitted = events.findIndex((e) => e.type === 'OrderSubmitted' && e.data.clientOrderId === id);
      expect(submitted).toBeGreaterThan(events.indexOf(intent));
    }
    expect(intents.length).toBeGreaterThanOrEqual(4);
  });
});
