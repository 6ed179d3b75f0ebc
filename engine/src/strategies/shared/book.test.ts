import { describe, expect, it } from '@jest/globals';
import type { StrategyEvent } from '../../kernel/strategy.ts';
import {
  EMPTY_BOOK,
  applyOrderEvent,
  cancelOrder,
  currentBook,
  hasResting,
  onLine,
  orderOf,
  placeLimit,
  removeOrder,
  resting,
} from './book.ts';
import type { Book, LimitSpec } from './book.ts';
import { aMarket } from './test-kit.ts';

const market = aMarket();
type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

const aLimit = (line: number, side: 'buy' | 'sell', overrides: Partial<LimitSpec> = {}): LimitSpec => ({
  key: `line:${line}`,
  line,
  side,
  price: String(100 + 10 * line),
  qty: '1',
  cost: '100',
  ...overrides,
});

/** The order keys of a book, in book order. */
const keysOf = (book: Book): string[] => book.orders.map((o) => o.key);

/** A book holding the given limits, placed in order. */
function aBook(...specs: LimitSpec[]): Book {
  return specs.reduce((book, spec) => placeLimit(book, spec, market)![0], EMPTY_BOOK);
}

const anEvent = (key: string, status: OrderEvent['status'], fill?: OrderEvent['fill']): OrderEvent => ({
  type: 'order',
  ts: 1,
  key,
  status,
  filled: fill?.qty ?? '0',
  amount: '1',
  ...(fill ? { fill } : {}),
});

describe('the live order book (§1.4, §1.7)', () => {
  it('rounds a buy price down and a sell price up to the tick, and keeps prices already on it', () => {
    const [, buy] = placeLimit(EMPTY_BOOK, aLimit(1, 'buy', { price: '100.0099' }), market)!;
    const [, sell] = placeLimit(EMPTY_BOOK, aLimit(1, 'sell', { price: '100.0001' }), market)!;
    const [, exact] = placeLimit(EMPTY_BOOK, aLimit(1, 'sell', { price: '100.5' }), market)!;

    expect([buy.price, sell.price, exact.price]).toEqual(['100', '100.01', '100.5']);
  });

  it('refuses a limit whose quantity floors to zero lots', () => {
    expect(placeLimit(EMPTY_BOOK, aLimit(1, 'buy', { qty: '0.0000000000001' }), market)).toBeUndefined();
  });

  it('keeps the book as it is when an order is only acknowledged', () => {
    const book = aBook(aLimit(1, 'buy'), aLimit(3, 'sell'));

    const update = applyOrderEvent(book, anEvent('line:1', 'accepted'), market)!;

    expect(update.book).toBe(book);
    expect(update.done).toBe(false);
  });

  it('accumulates partial fills and removes a done order, leaving the others in placement order', () => {
    const book = aBook(aLimit(1, 'buy'), aLimit(2, 'buy'), aLimit(3, 'sell'));
    const part = { price: '110', qty: '0.4', fee: '0.0004', feeAsset: 'BASE', liquidity: 'maker' as const };
    const rest = { ...part, qty: '0.6', fee: '0.0006' };

    const first = applyOrderEvent(book, anEvent('line:2', 'partiallyFilled', part), market)!;
    const last = applyOrderEvent(first.book, anEvent('line:2', 'filled', rest), market)!;

    expect(orderOf(first.book, 'line:2')).toMatchObject({ filled: '0.4', notional: '44', feeBase: '0.0004' });
    expect(last.order).toMatchObject({ filled: '1', notional: '110', feeBase: '0.001', feeQuote: '0' });
    expect(keysOf(last.book)).toEqual(['line:1', 'line:3']);
  });

  it('finds the resting order on a line, ignoring one being cancelled', () => {
    const [book] = cancelOrder(aBook(aLimit(1, 'buy'), aLimit(3, 'sell')), 'line:3');

    expect(onLine(book, 1)?.key).toBe('line:1');
    expect(onLine(book, 3)).toBeUndefined();
    expect([hasResting(book, 'buy'), hasResting(book, 'sell')]).toEqual([true, false]);
    expect(resting(book).map((o) => o.key)).toEqual(['line:1']);
  });

  it('puts a counter order in place of a finished one in one step, as removing then placing would', () => {
    const book = aBook(aLimit(1, 'buy'), aLimit(2, 'buy'), aLimit(4, 'sell'));
    const counter = aLimit(3, 'sell');

    const [replaced, intent] = placeLimit(book, counter, market, 'line:2')!;
    const [twoSteps, sameIntent] = placeLimit(removeOrder(book, 'line:2'), counter, market)!;

    expect(keysOf(replaced)).toEqual(['line:1', 'line:4', 'line:3']);
    expect(replaced).toEqual(twoSteps);
    expect(intent).toEqual(sameIntent);
    expect(keysOf(book)).toEqual(['line:1', 'line:2', 'line:4']);
  });

  it('keeps the place of a key the counter order reuses when replacing another order', () => {
    const [book] = cancelOrder(aBook(aLimit(1, 'buy'), aLimit(2, 'buy'), aLimit(3, 'sell')), 'line:1');

    const [replaced] = placeLimit(book, aLimit(1, 'sell'), market, 'line:2')!;

    expect(keysOf(replaced)).toEqual(['line:1', 'line:3']);
    expect(orderOf(replaced, 'line:1')).toMatchObject({ side: 'sell', filled: '0' });
    expect(orderOf(replaced, 'line:1')?.cancelling).toBeUndefined();
  });

  it('rounds one price text down for a buy and up for a sell however often and in whichever order it is sent', () => {
    const sent = (side: 'buy' | 'sell') =>
      placeLimit(EMPTY_BOOK, aLimit(1, side, { price: '100.0077', qty: '1.23456' }), market)![1];

    const first = [sent('sell'), sent('buy')];
    const again = [sent('buy'), sent('sell')];

    expect(first.map((i) => [i.side, i.price, i.qty])).toEqual([
      ['sell', '100.01', '1.23456'],
      ['buy', '100', '1.23456'],
    ]);
    expect(again.map((i) => [i.side, i.price])).toEqual([
      ['buy', '100'],
      ['sell', '100.01'],
    ]);
  });

  it('reads a book checkpointed in the earlier keyed-object shape as the same orders in the same order', () => {
    const book = aBook(aLimit(4, 'sell'), aLimit(1, 'buy'), aLimit(2, 'buy'));
    const keyed = { ...book, orders: Object.fromEntries(book.orders.map((o) => [o.key, o])) };

    const read = currentBook(keyed as unknown as Book);

    expect(read).toEqual(book);
    expect(keysOf(read)).toEqual(['line:4', 'line:1', 'line:2']);
    expect(currentBook(book)).toBe(book);
  });
});
