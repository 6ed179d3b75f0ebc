import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../src/core/clock.ts';
import { botShortId, decodeClientOrderId } from '../src/core/ids.ts';
import type { HistoryEvent } from '../src/model/events.ts';
import { MemoryHistoryStore } from '../src/adapters/store/memory.ts';
import { PaperExchange } from '../src/adapters/paper/exchange.ts';
import { PaperMarketDriver } from '../src/adapters/paper/driver.ts';
import { BotKernel } from '../src/kernel/bot-kernel.ts';
import { settle } from '../src/kernel/runner.ts';
import type { StrategyDefinition } from '../src/kernel/strategy.ts';
import { aMarket, barsOf } from './builders.ts';
import { buyLowSellHigh } from './toy-strategies.ts';

const market = aMarket('BTC/USDT', { maker: '0', taker: '0' });

function setup(balances: Record<string, string>) {
  const clock = new ManualClock(Date.UTC(2021, 4, 1));
  const store = new MemoryHistoryStore();
  const exchange = new PaperExchange({ markets: [market], clock, balances });
  const driver = new PaperMarketDriver({
    exchange,
    clock,
    store,
    symbol: market.symbol,
    timeframeMs: 60_000,
  });
  const bot = (
    botKey: string,
    quote: string,
    params: unknown,
    strategy = buyLowSellHigh as StrategyDefinition<unknown, unknown>,
  ) => {
    const kernel = new BotKernel({
      botKey,
      runNumber: 1,
      revision: 'r1',
      account: 'acct',
      mode: 'paper',
      strategy,
      params,
      market,
      clock,
      budget: { quote },
    });
    driver.add(kernel);
    return kernel;
  };
  const start = async (kernels: BotKernel[], price: string) => {
    driver.setPrice(price);
    for (const k of kernels) {
      k.start(price);
      await settle(k, exchange, store);
    }
  };
  const events = async (kernel: BotKernel): Promise<HistoryEvent[]> => [
    ...(await store.readRun(kernel.options.botKey, kernel.log.runId)).items,
  ];
  return { clock, store, exchange, driver, bot, start, events };
}

describe('bot kernel', () => {
  it('checks a bot against its own budget, never the account balance other bots share', async () => {
    const { bot, start, events, driver } = setup({ USDT: '1000' });
    const small = bot('team/small', '100', { buyAt: '95', sellAt: '115', qty: '2' });
    const large = bot('team/large', '900', { buyAt: '95', sellAt: '115', qty: '2' });

    await start([small, large], '100');
    const bars = barsOf([[100, 101, 94, 96]]);
    await driver.walk(bars.bar(0), 100, 101, 94, 96);

    const denied = (await events(small)).find((e) => e.type === 'RiskDenied');
    expect(denied?.data).toEqual(
      expect.objectContaining({ check: 'budget', reason: 'needs 190 USDT, bot has 100 free' }),
    );
    expect(small.ledger.base).toBe('0');
    expect(large.ledger.base).toBe('2');
    expect(large.ledger.quote).toBe('710');
  });

  it('denies an order below the market minimum notional as an event and tells the strategy it was rejected', async () => {
    const { bot, start, events } = setup({ USDT: '1000' });
    const tiny = bot('team/tiny', '1000', { buyAt: '95', sellAt: '115', qty: '0.01' });

    await start([tiny], '100');

    const evs = await events(tiny);
    expect(evs.map((e) => e.type)).toEqual(['BotRunStarted', 'RiskDenied']);
    expect(evs[1]!.data).toEqual(
      expect.objectContaining({ check: 'min-notional', reason: 'notional 0.95 is below the minimum 5' }),
    );
  });

  it('derives client order ids from bot, run, role, level and attempt, so a re-placed level gets a new attempt', async () => {
    const { bot, start, driver, events } = setup({ USDT: '1000' });
    const kernel = bot('team/cycler', '1000', { buyAt: '95', sellAt: '115', qty: '1' });
    await start([kernel], '100');
    const bars = barsOf([
      [100, 120, 90, 110],
      [110, 120, 90, 110],
    ]);

    await driver.walk(bars.bar(0), 100, 120, 90, 110);
    await driver.walk(bars.bar(1), 110, 120, 90, 110);

    const ids = (await events(kernel)).flatMap((e) =>
      e.type === 'OrderIntent' ? [e.data.request.clientOrderId] : [],
    );
    const decoded = ids.map((id) => decodeClientOrderId(id));
    expect(decoded.map((d) => [d?.bot, d?.seq, d?.role, d?.idx, d?.att])).toEqual([
      [botShortId('team/cycler'), 1, 'entry', 0, 0],
      [botShortId('team/cycler'), 1, 'exit', 0, 0],
      [botShortId('team/cycler'), 1, 'entry', 1, 0],
      [botShortId('team/cycler'), 1, 'exit', 1, 0],
      [botShortId('team/cycler'), 1, 'entry', 2, 0],
    ]);
  });

  it('turns a strategy exception into a FAULTED transition of that bot only', async () => {
    const throwing: StrategyDefinition<unknown, unknown> = {
      ...(buyLowSellHigh as StrategyDefinition<unknown, unknown>),
      onEvent: (_s, event) => {
        if (event.type === 'bar') throw new Error('boom');
        return { state: _s, intents: [] };
      },
    };
    const { bot, start, driver, events } = setup({ USDT: '1000' });
    const bad = bot('team/bad', '500', {}, throwing);
    const good = bot('team/good', '500', { buyAt: '95', sellAt: '115', qty: '1' });
    await start([bad, good], '100');
    const bars = barsOf([[100, 120, 90, 110]]);

    await driver.walk(bars.bar(0), 100, 120, 90, 110);

    expect((await events(bad)).at(-1)?.data).toEqual(
      expect.objectContaining({ to: 'FAULTED', reason: 'strategy threw on bar: boom' }),
    );
    expect(bad.phase()).toBe('FAULTED');
    expect(good.metrics.roundTripPnls).toEqual(['20']);
  });

  it('amends by cancel-then-place: the replacement goes out after the cancel is confirmed, with the next attempt', async () => {
    const amending: StrategyDefinition<unknown, unknown> = {
      ...(buyLowSellHigh as StrategyDefinition<unknown, unknown>),
      onEvent: (s, event) => {
        if (event.type === 'start')
          return {
            state: s,
            intents: [
              {
                type: 'place',
                key: 'b',
                role: 'entry',
                idx: 3,
                side: 'buy',
                orderType: 'limit',
                price: '90',
                qty: '1',
              },
            ],
          };
        if (event.type === 'bar') return { state: s, intents: [{ type: 'amend', key: 'b', price: '91' }] };
        return { state: s, intents: [] };
      },
    };
    const { bot, start, driver, events, exchange } = setup({ USDT: '1000' });
    const kernel = bot('team/amend', '1000', {}, amending);
    await start([kernel], '100');
    const bars = barsOf([[100, 101, 99, 100]]);

    await driver.walk(bars.bar(0), 100, 101, 99, 100);

    const open = await exchange.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => [o.price, decodeClientOrderId(o.clientOrderId)?.att])).toEqual([['91', 1]]);
    const kinds = (await events(kernel)).map((e) =>
      e.type === 'OrderUpdated' ? `Updated:${e.data.order.status}` : e.type,
    );
    expect(kinds.slice(1)).toEqual([
      'OrderIntent',
      'OrderSubmitted',
      'Updated:Open',
      'Updated:Cancelled',
      'OrderIntent',
      'OrderSubmitted',
      'Updated:Open',
    ]);
    expect(kernel.ledger.reservedQuote).toBe('91');
  });

  it('counts a round trip reported as a roundTrip intent the same as one in the result', async () => {
    const reporting: StrategyDefinition<unknown, unknown> = {
      ...(buyLowSellHigh as StrategyDefinition<unknown, unknown>),
      onEvent: (s, event) =>
        event.type === 'bar'
          ? { state: s, intents: [{ type: 'roundTrip', pnl: '-1.5' }], roundTrips: [{ pnl: '2' }] }
          : { state: s, intents: [] },
    };
    const { bot, start, driver } = setup({ USDT: '1000' });
    const kernel = bot('team/reporter', '1000', {}, reporting);
    await start([kernel], '100');
    const bars = barsOf([[100, 101, 99, 100]]);

    await driver.walk(bars.bar(0), 100, 101, 99, 100);

    expect(kernel.metrics.roundTripPnls).toEqual(['2', '-1.5']);
  });

  it('skips bar events while the strategy’s wake says bars: false, and still wakes it at its price level', async () => {
    const heard: string[] = [];
    const levelsOnly: StrategyDefinition<unknown, unknown> = {
      ...(buyLowSellHigh as StrategyDefinition<unknown, unknown>),
      onEvent: (s, event) => {
        heard.push(event.type);
        return { state: s, intents: [], wake: { below: '95', bars: false } };
      },
    };
    const { bot, start, driver } = setup({ USDT: '1000' });
    const kernel = bot('team/levels', '1000', {}, levelsOnly);
    await start([kernel], '100');
    const bars = barsOf([
      [100, 101, 99, 100],
      [100, 101, 94, 96],
    ]);

    await driver.walk(bars.bar(0), 100, 101, 99, 100);
    await driver.walk(bars.bar(1), 100, 101, 94, 96);

    // Reached at 95 on the way down and still below it at the low (94); never a bar event.
    expect(heard).toEqual(['start', 'price', 'price']);
  });
});
