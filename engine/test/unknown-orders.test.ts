import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../src/core/clock.ts';
import { MemoryHistoryStore } from '../src/adapters/store/memory.ts';
import { PaperExchange } from '../src/adapters/paper/exchange.ts';
import { BotKernel } from '../src/kernel/bot-kernel.ts';
import { settle } from '../src/kernel/runner.ts';
import type { OrderRequest, OrderSnapshot } from '../src/model/orders.ts';
import { ExchangeUnknownError } from '../src/ports/exchange.ts';
import type { StrategyDefinition, StrategyEvent } from '../src/kernel/strategy.ts';
import { aMarket } from './builders.ts';

/** Places one resting buy at start and remembers the order events it hears. */
function oneBuy(heard: StrategyEvent[]): StrategyDefinition<unknown, unknown> {
  return {
    kind: 'grid',
    futures: false,
    normalizeParams: (raw) => raw,
    validate: () => [],
    init: () => ({}),
    phase: () => 'X',
    onEvent: (state, event) => {
      if (event.type === 'order') heard.push(event);
      if (event.type !== 'start') return { state, intents: [] };
      return {
        state,
        intents: [
          {
            type: 'place',
            key: 'b',
            role: 'entry',
            idx: 0,
            side: 'buy',
            orderType: 'limit',
            price: '90',
            qty: '1',
          },
        ],
      };
    },
  };
}

/** A paper exchange whose next createOrder loses its answer: it places (or not) and then times out. */
class LossyExchange extends PaperExchange {
  loseNext: 'after-placing' | 'before-placing' | undefined;
  creates = 0;
  override createOrder(request: OrderRequest): Promise<OrderSnapshot> {
    this.creates++;
    const mode = this.loseNext;
    this.loseNext = undefined;
    if (mode === 'before-placing') return Promise.reject(new ExchangeUnknownError('timeout: no answer'));
    const placed = super.createOrder(request);
    return mode === 'after-placing'
      ? placed.then(() => Promise.reject(new ExchangeUnknownError('timeout after send')))
      : placed;
  }
}

async function run(mode: 'after-placing' | 'before-placing') {
  const market = aMarket();
  const clock = new ManualClock(Date.UTC(2021, 4, 1));
  const exchange = new LossyExchange({ markets: [market], clock, balances: { USDT: '1000' } });
  const store = new MemoryHistoryStore();
  const heard: StrategyEvent[] = [];
  const kernel = new BotKernel({
    botKey: 'a/b',
    runNumber: 1,
    revision: 'r',
    account: 'x',
    mode: 'paper',
    strategy: oneBuy(heard),
    params: {},
    market,
    clock,
    budget: { quote: '1000' },
  });
  exchange.subscribe((u) => kernel.onExchangeUpdate(u));
  exchange.moveTo(market.symbol, '100', 100, true);
  exchange.loseNext = mode;
  const waits: number[] = [];

  kernel.start('100');
  await settle(kernel, exchange, store, (ms) => Promise.resolve(void waits.push(ms)));

  const events = (await store.readRun('a/b', 'a/b#1')).items;
  const statuses = events.flatMap((e) => (e.type === 'OrderUpdated' ? [e.data.order.status] : []));
  return { exchange, heard, statuses, waits };
}

describe('write-ahead orders with unknown outcomes (dca-twap-risk §8.3)', () => {
  it('resolves a lost acknowledgement by looking the order up, never by sending it again', async () => {
    const { exchange, heard, statuses } = await run('after-placing');

    expect(exchange.creates).toBe(1);
    expect((await exchange.fetchOpenOrders()).length).toBe(1);
    expect(statuses).toEqual(['Unknown', 'Open']);
    expect(heard.map((e) => (e.type === 'order' ? e.status : ''))).toEqual(['accepted']);
  });

  it('marks an order NotPlaced after every lookup failed, and only then tells the strategy', async () => {
    const { exchange, heard, statuses, waits } = await run('before-placing');

    expect(exchange.creates).toBe(1);
    expect(waits).toEqual([2000, 5000, 10000, 20000]);
    expect(statuses).toEqual(['Unknown', 'NotPlaced']);
    expect(heard.map((e) => (e.type === 'order' ? e.status : ''))).toEqual(['rejected']);
  });
});
