import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { OrderBook, type RestingOrder } from './book.ts';

const order = (id: string, side: 'buy' | 'sell', priceF: number, arrival: number): RestingOrder => ({
  clientOrderId: id,
  side,
  price: String(priceF),
  priceF,
  arrival,
});

/** The order a price meets resting orders in: best price first, then arrival. */
const expected = (orders: readonly RestingOrder[], side: 'buy' | 'sell'): string[] =>
  orders
    .filter((o) => o.side === side)
    .sort((a, b) => (side === 'buy' ? b.priceF - a.priceF : a.priceF - b.priceF) || a.arrival - b.arrival)
    .map((o) => o.clientOrderId);

describe('paper order book', () => {
  it('puts a new best order in front, a new worst at the back and others between, ties behind', () => {
    const book = new OrderBook();
    book.add(order('b100', 'buy', 100, 1));
    book.add(order('b101', 'buy', 101, 2)); // new best: front
    book.add(order('b99', 'buy', 99, 3)); // new worst: back
    book.add(order('b100-late', 'buy', 100, 4)); // tie: behind the earlier one, between the others
    expect(book.buys.map((o) => o.clientOrderId)).toEqual(['b101', 'b100', 'b100-late', 'b99']);
  });

  it('keeps both sides sorted by price then arrival whatever order they are added in', () => {
    const anOrder = fc.record({ buy: fc.boolean(), price: fc.integer({ min: 90, max: 110 }) });
    fc.assert(
      fc.property(fc.array(anOrder, { maxLength: 40 }), (specs) => {
        const book = new OrderBook();
        const orders = specs.map((s, i) => order(`o${i}`, s.buy ? 'buy' : 'sell', s.price, i));
        for (const o of orders) book.add(o);
        expect(book.buys.map((o) => o.clientOrderId)).toEqual(expected(orders, 'buy'));
        expect(book.sells.map((o) => o.clientOrderId)).toEqual(expected(orders, 'sell'));
      }),
    );
  });

  it('lists the orders a price crosses in the order it meets them, into a reused longer array', () => {
    const book = new OrderBook();
    for (const o of [order('b1', 'buy', 100, 1), order('b2', 'buy', 98, 2), order('s1', 'sell', 103, 3)])
      book.add(o);
    const out: (RestingOrder | undefined)[] = [undefined, undefined, undefined, undefined];
    expect(book.crossedBy(99, out)).toBe(1);
    expect(out[0]?.clientOrderId).toBe('b1');
    expect(book.crossedBy(97, out)).toBe(2);
    expect(out.slice(0, 2).map((o) => o?.clientOrderId)).toEqual(['b1', 'b2']);
    expect(book.crossedBy(103, out)).toBe(1);
    expect(out[0]?.clientOrderId).toBe('s1');
    expect(book.crossedBy(101, out)).toBe(0);
  });
});
