import { describe, expect, it } from '@jest/globals';
import type { OrderSnapshot } from '../../model/orders.ts';
import type { OrderRequest } from '../../model/orders.ts';
import { aPaperExchange } from '../../../test/builders.ts';
import { PaperOrderRegistry, RECENT_TERMINAL_ORDERS } from './order-registry.ts';
import type { PaperOrder } from './paper-order.ts';

const anOrder = (clientOrderId: string, status: OrderSnapshot['status'] = 'Open'): PaperOrder => ({
  snapshot: {
    clientOrderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    price: '100',
    amount: '1',
    filled: '0',
    status,
    ts: 0,
  },
  remaining: '1',
  reserved: '100',
});

const ended = (order: PaperOrder, status: OrderSnapshot['status'] = 'Filled'): PaperOrder => {
  order.snapshot = { ...order.snapshot, status };
  return order;
};

const ids = (registry: PaperOrderRegistry) => [...registry.openOrders()].map((o) => o.snapshot.clientOrderId);

describe('paper order registry', () => {
  it('lists open orders oldest first and moves an order out of the list when it ends', () => {
    const registry = new PaperOrderRegistry(4);
    const [a, b, c] = [anOrder('a'), anOrder('b'), anOrder('c')];
    for (const o of [a, b, c]) registry.track(o);

    registry.track(ended(b));
    registry.track(a); // a partial fill re-files an open order: it keeps its place

    expect(ids(registry)).toEqual(['a', 'c']);
    expect(registry.openOrder('b')).toBeUndefined();
    expect(registry.get('b')).toBe(b);
  });

  it('forgets an ended order once `limit` later orders have ended, keeping the newer ones', () => {
    const registry = new PaperOrderRegistry(2);
    const orders = ['a', 'b', 'c'].map((id) => anOrder(id));
    for (const o of orders) registry.track(o);

    for (const o of orders) registry.track(ended(o, 'Cancelled'));

    expect(registry.get('a')).toBeUndefined();
    expect(registry.get('b')).toBe(orders[1]);
    expect(registry.get('c')).toBe(orders[2]);
  });

  it('answers a reused client id with the open order, else the order of that id that ended last', () => {
    const registry = new PaperOrderRegistry(4);
    const first = anOrder('x');
    const second = anOrder('x');
    registry.track(first);
    registry.track(ended(first));

    registry.track(second);
    expect(registry.get('x')).toBe(second);
    registry.track(ended(second, 'Cancelled'));

    expect(registry.get('x')).toBe(second);
  });
});

describe('paper exchange memory of ended orders', () => {
  const aMarketBuy = (id: string): OrderRequest => ({
    clientOrderId: id,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: '0.001',
  });

  it('a backtest venue still reports a filled order right after it filled, and one long ended as unknown', async () => {
    const { exchange } = aPaperExchange({
      balances: { USDT: '1000000' },
      endedOrdersKept: RECENT_TERMINAL_ORDERS,
    });
    exchange.moveTo('BTC/USDT', '100', 100, true);
    await exchange.createOrder(aMarketBuy('first'));

    expect((await exchange.fetchOrder('first', 'BTC/USDT'))?.status).toBe('Filled');
    expect(exchange.cancelOrderNow('first', 'BTC/USDT').status).toBe('Filled');
    for (let i = 0; i < RECENT_TERMINAL_ORDERS; i++) exchange.createOrderNow(aMarketBuy(`o${i}`));

    expect(await exchange.fetchOrder('first', 'BTC/USDT')).toBeUndefined();
    expect((await exchange.fetchOrder('o0', 'BTC/USDT'))?.status).toBe('Filled');
    expect(await exchange.fetchMyTrades('BTC/USDT')).toHaveLength(RECENT_TERMINAL_ORDERS + 1);
  });

  it('a paper venue runs resume against keeps every ended order queryable, so no fill is taken for never placed', async () => {
    const { exchange } = aPaperExchange({ balances: { USDT: '1000000' } });
    exchange.moveTo('BTC/USDT', '100', 100, true);
    await exchange.createOrder(aMarketBuy('first'));
    for (let i = 0; i < RECENT_TERMINAL_ORDERS + 10; i++) exchange.createOrderNow(aMarketBuy(`o${i}`));

    expect((await exchange.fetchOrder('first', 'BTC/USDT'))?.status).toBe('Filled');
    expect(exchange.cancelOrderNow('first', 'BTC/USDT').status).toBe('Filled');
  });
});
