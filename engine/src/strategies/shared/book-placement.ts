/**
 * Placing and cancelling a book's orders. Placement rounds as §0.2 says: buy prices down and sell prices
 * up to the tick, quantities down to the lot.
 */
import { isZero } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { OrderRole } from '../../core/ids.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Side } from '../../model/orders.ts';
import type { CancelIntent, PlaceIntent } from '../../kernel/strategy.ts';
import type { Book, LiveOrder } from './book.ts';
import { orderOf, putInStead, putOrder } from './book-list.ts';
import { lineIdx } from './lattice.ts';
import { limitPrice, lotFloor } from './rounding.ts';

/** What to place on a line. */
export interface LimitSpec {
  readonly key: string;
  readonly line: number;
  readonly side: Side;
  readonly price: Dec;
  readonly qty: Dec;
  readonly cost: Dec;
  readonly role?: OrderRole;
  readonly reduceOnly?: boolean;
}

const fresh = { filled: '0', notional: '0', feeBase: '0', feeQuote: '0' } as const;

/**
 * Places a limit order, rounding price and quantity; undefined when the quantity floors to zero. With
 * `replacing`, that (finished) order leaves the book in the same copy that adds this one, which is what a
 * grid does on every fill: the filled order gives way to its counter order.
 */
export function placeLimit(
  book: Book,
  spec: LimitSpec,
  market: MarketInfo,
  replacing?: string,
): [Book, PlaceIntent] | undefined {
  const price = limitPrice(spec.side, spec.price, market);
  const qty = lotFloor(spec.qty, market);
  if (isZero(qty)) return undefined;
  const order = limitOrder(spec, price, qty);
  return placed(book, order, spec.role, putOrder(book.orders, order, replacing));
}

/**
 * Places a limit order whose price and quantity are already rounded as `placeLimit` rounds them (and not
 * zero): a grid rounds each line's buy once and places it again on every re-fill of the line.
 */
export function placeRounded(book: Book, spec: LimitSpec, replacing?: string): [Book, PlaceIntent] {
  const order = limitOrder(spec, spec.price, spec.qty);
  return placed(book, order, spec.role, putOrder(book.orders, order, replacing));
}

/**
 * `placeRounded(book, spec, done.key)` given the orders themselves: `done`, the finished order in the book,
 * and `holder`, the order already under `spec.key` if any (see `putInStead`).
 */
export function placeRoundedInStead(
  book: Book,
  spec: LimitSpec,
  done: LiveOrder,
  holder: LiveOrder | undefined,
): [Book, PlaceIntent] {
  const order = limitOrder(spec, spec.price, spec.qty);
  return placed(book, order, spec.role, putInStead(book.orders, order, done, holder));
}

/** A limit order: priced and sized. */
type LimitOrder = LiveOrder & { readonly price: Dec; readonly qty: Dec };

/** The fresh order `spec` places at the rounded `price` and `qty`. */
function limitOrder(spec: LimitSpec, price: Dec, qty: Dec): LimitOrder {
  const { key, line, side, cost } = spec;
  const { filled, notional, feeBase, feeQuote } = fresh;
  // Literals rather than spreads: this runs on every fill, and each spread is one more object to collect.
  return spec.reduceOnly === true
    ? { key, line, side, price, qty, cost, filled, notional, feeBase, feeQuote, reduceOnly: true }
    : { key, line, side, price, qty, cost, filled, notional, feeBase, feeQuote };
}

/** The book with `orders` (holding `order`) as its next placement, and the intent that sends `order`. */
function placed(
  book: Book,
  order: LimitOrder,
  role: OrderRole | undefined,
  orders: Book['orders'],
): [Book, PlaceIntent] {
  const seq = book.seq + 1;
  const { key, side, price, qty, line } = order;
  const r = role ?? 'grid';
  const idx = lineIdx(line);
  const intent: PlaceIntent =
    order.reduceOnly === true
      ? { type: 'place', key, role: r, idx, side, orderType: 'limit', price, qty, seq, reduceOnly: true }
      : { type: 'place', key, role: r, idx, side, orderType: 'limit', price, qty, seq };
  return [{ orders, seq }, intent];
}

/** What to buy or sell at market: a base quantity, or (buys) a quote amount. */
export interface MarketSpec {
  readonly key: string;
  readonly side: Side;
  readonly qty?: Dec;
  readonly quoteAmount?: Dec;
  readonly cost?: Dec;
  /** Lattice line the order is for (e.g. the line a trailing-down buy will sell on); default 0. */
  readonly line?: number;
  readonly role: OrderRole;
  readonly reduceOnly?: boolean;
}

/** Places a market order (quantities floored to the lot; quote amounts sent as they are). */
export function placeMarket(book: Book, spec: MarketSpec, market: MarketInfo): [Book, PlaceIntent] {
  const seq = book.seq + 1;
  const size =
    spec.quoteAmount !== undefined
      ? { quoteAmount: spec.quoteAmount }
      : { qty: lotFloor(spec.qty ?? '0', market) };
  const reduce = spec.reduceOnly === true ? { reduceOnly: true } : {};
  const order: LiveOrder = {
    key: spec.key,
    line: spec.line ?? 0,
    side: spec.side,
    cost: spec.cost ?? '0',
    ...size,
    ...fresh,
    ...reduce,
  };
  const intent: PlaceIntent = {
    type: 'place',
    key: spec.key,
    role: spec.role,
    idx: 0,
    side: spec.side,
    orderType: 'market',
    seq,
    ...size,
    ...reduce,
  };
  return [{ orders: putOrder(book.orders, order), seq }, intent];
}

/** Marks an order as being cancelled and returns the cancel intent. */
export function cancelOrder(book: Book, key: string): [Book, CancelIntent] {
  const order = orderOf(book, key);
  const orders = order ? putOrder(book.orders, { ...order, cancelling: true }) : book.orders;
  return [
    { ...book, orders },
    { type: 'cancel', key },
  ];
}
