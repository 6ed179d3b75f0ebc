import { describe, expect, it } from '@jest/globals';
import type { OrderRequest } from '../../model/orders.ts';
import { aPaperExchange } from '../../../test/builders.ts';

const order = (id: string, side: 'buy' | 'sell', price: string): OrderRequest => ({
  clientOrderId: id,
  symbol: 'BTC/USDT',
  side,
  type: 'limit',
  price,
  amount: '0.1',
});

describe('paper exchange open-order index and quiet ranges', () => {
  it('lists only open orders, oldest first, as orders fill and are cancelled', async () => {
    const { exchange } = aPaperExchange();
    exchange.moveTo('BTC/USDT', '105', 105, true);
    await exchange.createOrder(order('a', 'buy', '100'));
    await exchange.createOrder(order('b', 'sell', '110'));
    await exchange.createOrder(order('c', 'buy', '101'));
    exchange.moveTo('BTC/USDT', '101', 101); // fills c
    await exchange.cancelOrder('b', 'BTC/USDT');

    const open = await exchange.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.clientOrderId)).toEqual(['a']);
    expect(exchange.openOrdersOf(() => true).orders.map((o) => o.snapshot.clientOrderId)).toEqual(['a']);
    expect(await exchange.fetchOpenOrders('ETH/USDT')).toEqual([]);
  });

  it('reports a range quiet only when every resting order lies strictly outside it', async () => {
    const { exchange } = aPaperExchange();
    exchange.moveTo('BTC/USDT', '105', 105, true);
    expect(exchange.quietWithin('BTC/USDT', 1, 1e9)).toBe(true);
    await exchange.createOrder(order('a', 'buy', '100'));
    await exchange.createOrder(order('b', 'sell', '110'));

    expect(exchange.quietWithin('BTC/USDT', 100.5, 109.5)).toBe(true);
    expect(exchange.quietWithin('BTC/USDT', 100, 109.5)).toBe(false);
    expect(exchange.quietWithin('BTC/USDT', 100.5, 110)).toBe(false);
  });
});
