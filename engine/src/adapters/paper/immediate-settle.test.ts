import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../core/clock.ts';
import type { HistoryEvent } from '../../model/events.ts';
import type { OrderRequest, OrderSnapshot } from '../../model/orders.ts';
import type { StoredCheckpoint } from '../../ports/store.ts';
import { ExchangeRejectedError, type OrderCalls } from '../../ports/exchange.ts';
import { BotKernel } from '../../kernel/bot-kernel.ts';
import { settleSoon } from '../../kernel/runner.ts';
import { MemoryHistoryStore } from '../store/memory.ts';
import { PaperExchange } from './exchange.ts';
import { aMarket } from '../../../test/builders.ts';
import { aToyStrategy } from '../../../test/toy-strategies.ts';

/** Places resting buys at 90 and 80 at start. */
const twoOrders = aToyStrategy((state, event) => {
  if (event.type !== 'start') return { state, intents: [] };
  const order = { type: 'place', role: 'entry', orderType: 'limit', qty: '0.5' } as const;
  return {
    state,
    intents: [
      { ...order, key: 'b', idx: 0, side: 'buy', price: '90' },
      { ...order, key: 'c', idx: 1, side: 'buy', price: '80' },
    ],
  };
});

/** A store that records the type of every event as it is appended, and may answer a turn later. */
class RecordingStore extends MemoryHistoryStore {
  readonly appended: HistoryEvent[] = [];
  answerLater = false;
  override append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    this.appended.push(...events);
    const stored = super.append(events, checkpoint);
    return this.answerLater ? stored.then(() => undefined) : stored;
  }
}

function aRun(answerLater: boolean) {
  const market = aMarket();
  const clock = new ManualClock(Date.UTC(2021, 4, 1));
  const exchange = new PaperExchange({ markets: [market], clock, balances: { USDT: '1000' } });
  const store = new RecordingStore();
  store.answerLater = answerLater;
  const kernel = new BotKernel({
    botKey: 'a/b',
    runNumber: 1,
    revision: 'r',
    account: 'x',
    mode: 'paper',
    strategy: twoOrders,
    params: {},
    market,
    clock,
    budget: { quote: '1000' },
  });
  exchange.subscribe((u) => kernel.onExchangeUpdate(u));
  exchange.moveTo(market.symbol, '100', 100, true);
  // The venue's immediate calls, checking write-ahead (the intent is stored before the order is sent)
  // and refusing the second order at once, as a throw.
  const unrecorded: string[] = [];
  const venue: OrderCalls = {
    ...exchange.immediate,
    createOrder: (request: OrderRequest): OrderSnapshot => {
      const id = request.clientOrderId;
      const stored = store.appended.some(
        (e) => e.type === 'OrderIntent' && e.data.request.clientOrderId === id,
      );
      if (!stored) unrecorded.push(id);
      if (request.price === '80') throw new ExchangeRejectedError('insufficient-balance', 'paper: refused');
      return exchange.immediate.createOrder(request) as OrderSnapshot;
    },
  };
  kernel.start('100');
  return { exchange, store, unrecorded, settling: settleSoon(kernel, venue, store) };
}

const summary = (events: readonly HistoryEvent[]): string[] =>
  events.map((e) => (e.type === 'OrderUpdated' ? `${e.type}:${e.data.order.status}` : e.type));

describe('settling through immediate venue calls and a store that answers at once', () => {
  it('settles placements and rejections without a single wait, each intent stored before it is sent', async () => {
    const { exchange, store, unrecorded, settling } = aRun(false);

    expect(settling).toBeUndefined();
    expect(unrecorded).toEqual([]);
    expect((await exchange.fetchOpenOrders()).map((o) => o.side)).toEqual(['buy']);
    expect(summary(store.appended)).toEqual([
      'BotRunStarted',
      'OrderIntent',
      'OrderIntent',
      'OrderSubmitted',
      'OrderUpdated:Open',
      'OrderUpdated:Rejected',
    ]);
  });

  it('waits for a store that answers later and stores exactly the same events', async () => {
    const now = aRun(false);
    const later = aRun(true);

    expect(later.settling).toBeInstanceOf(Promise);
    await later.settling;

    expect(later.unrecorded).toEqual([]);
    expect(later.store.appended).toEqual(now.store.appended);
  });
});
