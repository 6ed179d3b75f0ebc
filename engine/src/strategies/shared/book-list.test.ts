import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { LiveOrder } from './book.ts';
import { orderOf, putInStead, putOrder } from './book-list.ts';

const anOrder = (key: string, line: number, price = '100'): LiveOrder => ({
  key,
  line,
  side: 'buy',
  price,
  qty: '1',
  cost: '100',
  filled: '0',
  notional: '0',
  feeBase: '0',
  feeQuote: '0',
});

/** A book's orders under distinct keys `k0`, `k1`, … in a shuffled order. */
const someOrders = fc
  .uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 10 })
  .map((lines) => lines.map((line) => anOrder(`k${line}`, line)));

describe('book list updates', () => {
  it('put a counter order in place of a done one exactly as the keyed update does, whichever key it takes', () => {
    fc.assert(
      fc.property(someOrders, fc.nat(), fc.integer({ min: 0, max: 14 }), (orders, pick, line) => {
        const done = orders[pick % orders.length]!;
        const order = anOrder(`k${line}`, line, '120');
        const holder = orderOf({ orders, seq: 0 }, order.key);

        const expected = putOrder(orders, order, done.key);

        expect(putInStead(orders, order, done, holder)).toEqual(expected);
        expect(orders).not.toBe(expected);
      }),
    );
  });

  it('takes the keyed way for a done order that is a copy rather than the one in the list', () => {
    const orders = [anOrder('k1', 1), anOrder('k2', 2), anOrder('k3', 3)];
    const copy = { ...orders[1]!, filled: '1' };
    const order = anOrder('k4', 4);

    const put = putInStead(orders, order, copy, undefined);

    expect(put.map((o) => o.key)).toEqual(['k1', 'k3', 'k4']);
    expect(put.at(-1)).toBe(order);
  });

  it('leaves the list it copies unchanged', () => {
    const orders = [anOrder('k1', 1), anOrder('k2', 2), anOrder('k3', 3)];
    const before = [...orders];

    putInStead(orders, anOrder('k5', 5), orders[0]!, undefined);
    putInStead(orders, anOrder('k3', 3, '90'), orders[1]!, orders[2]);

    expect(orders).toEqual(before);
  });
});
