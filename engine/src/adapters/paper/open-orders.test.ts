import { describe, expect, it } from '@jest/globals';
import type { OrderRequest } from '../../model/orders.ts';
import { aPaperExchange } from '../../../test/builders.ts';
import { OrderBook } from './book.ts';

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

describe('paper order book crossings', () => {
  it('tells whether a price reaches the best order and appends those it reaches in the order met', () => {
    const book = new OrderBook();
    const at = (id: string, side: 'buy' | 'sell', price: number, arrival: number) =>
      book.add({ clientOrderId: id, side, price: String(price), priceF: price, arrival });
    at('b1', 'buy', 100, 1);
    at('b2', 'buy', 99, 2);
    at('b3', 'buy', 100, 3);
    at('s1', 'sell', 110, 4);
    const reused = [book.sells[0], book.sells[0], book.sells[0], book.sells[0]];

    expect(book.reachedBy(100.5)).toBe(false);
    expect(book.reachedBy(100)).toBe(true);
    expect(book.reachedBy(110)).toBe(true);
    expect(book.crossedBy(99, reused)).toBe(3);
    expect(reused.map((o) => o?.clientOrderId)).toEqual(['b1', 'b3', 'b2', 's1']);
    expect(book.crossedBy(100, [])).toBe(2);
  });
});
