/**
 * The bot's live orders keyed by the strategy's own key (one per line, §1.7), with fills accumulated until
 * the order is done (§1.4: partial fills wait for the final one). Placing and cancelling orders is in
 * book-placement.ts, the list operations in book-list.ts.
 */
import { add, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Side } from '../../model/orders.ts';
import type { StrategyEvent } from '../../kernel/strategy.ts';
import { orderOf, putOrder, without } from './book-list.ts';

/** One order the bot believes is live. Plain data. */
export interface LiveOrder {
  readonly key: string;
  /** Lattice line (or slot) the order belongs to; 0 for market orders. */
  readonly line: number;
  readonly side: Side;
  readonly price?: Dec;
  readonly qty?: Dec;
  readonly quoteAmount?: Dec;
  /** Quote cost basis carried by a sell (the lot it closes) or the quote budget of a buy. */
  readonly cost: Dec;
  /** Cumulative fills so far: base quantity, quote notional and fees by asset. */
  readonly filled: Dec;
  readonly notional: Dec;
  readonly feeBase: Dec;
  readonly feeQuote: Dec;
  readonly reduceOnly?: boolean;
  /** A cancel was sent; the order is no longer counted as resting. */
  readonly cancelling?: boolean;
}

/**
 * Live orders and the placement counter used for unique client ids. The orders are a list in book order
 * (an order placed in a finished one's stead goes last) rather than a keyed object: a grid copies its book
 * on every fill, and copying a list of pointers is many times cheaper than copying an object's keys.
 */
export interface Book {
  readonly orders: readonly LiveOrder[];
  readonly seq: number;
}

/** An empty book. */
export const EMPTY_BOOK: Book = { orders: [], seq: 0 };

export { currentBook, withCurrentBook } from './book-compat.ts';

export { orderOf } from './book-list.ts';
export type { LimitSpec, MarketSpec } from './book-placement.ts';
export { cancelOrder, placeLimit, placeMarket, placeRounded, placeRoundedInStead } from './book-placement.ts';
export { limitPrice, lotFloor } from './rounding.ts';

/** The result of feeding an order event to the book. */
export interface OrderUpdate {
  readonly book: Book;
  /** The order with this event's fill accumulated. */
  readonly order: LiveOrder;
  /** True when the order is finished (filled, cancelled, rejected, expired) and left the book. */
  readonly done: boolean;
  readonly status: Extract<StrategyEvent, { type: 'order' }>['status'];
}

/** Accumulates an order event's fill; undefined for keys the bot does not know. */
export function applyOrderEvent(
  book: Book,
  event: Extract<StrategyEvent, { type: 'order' }>,
  market: MarketInfo,
): OrderUpdate | undefined {
  const known = orderOf(book, event.key);
  if (!known) return undefined;
  const order = withFill(known, event, market);
  const done = isFinal(event.status);
  // An acknowledgement without a fill changes nothing: keep the book rather than copy every order.
  if (!done && order === known) return { book, order, done, status: event.status };
  const orders = done ? without(book.orders, event.key) : putOrder(book.orders, order);
  return { book: { ...book, orders }, order, done, status: event.status };
}

/** Whether an order status ends the order (filled, cancelled, rejected, expired). */
export const isFinal = (status: OrderUpdate['status']): boolean =>
  status !== 'accepted' && status !== 'partiallyFilled';

/** The order with an event's fill accumulated; the very same object when the event carries no fill. */
export function withFill(
  order: LiveOrder,
  event: Extract<StrategyEvent, { type: 'order' }>,
  market: MarketInfo,
): LiveOrder {
  const f = event.fill;
  if (!f) return order;
  const notional = mul(f.qty, f.price);
  return {
    ...order,
    filled: plus(order.filled, f.qty),
    notional: order.notional === '0' ? notional : add(order.notional, notional),
    feeBase: f.feeAsset === market.base ? plus(order.feeBase, f.fee) : order.feeBase,
    feeQuote: f.feeAsset === market.quote ? plus(order.feeQuote, f.fee) : order.feeQuote,
  };
}

// Canonical decimal text (what `str` returns): no sign but `-`, no leading or trailing zeros, no exponent.
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/**
 * total + x. Most orders fill at once, so the total is still `'0'`: the sum is then x's canonical text, which
 * is x itself when x is canonical already (and short enough that the engine's 40 digits hold it exactly).
 */
function plus(total: Dec, x: Dec): Dec {
  if (total === '0' && x.length <= 40 && x !== '-0' && CANONICAL.test(x)) return x;
  return add(total, x);
}

/** The book without the order under `key` (the others keep their order). */
export function removeOrder(book: Book, key: string): Book {
  return { ...book, orders: without(book.orders, key) };
}

/** The book with `order` in place of the order under its key (or last, when the key is new). */
export function putInBook(book: Book, order: LiveOrder): Book {
  return { ...book, orders: putOrder(book.orders, order) };
}

// An order's accumulators are `'0'` or sums `add` produced, so they are canonical text, and a fee charged in
// the other asset stays `'0'`: adding or taking away that zero would return the very same text, so it is skipped.

/** Base actually received by a filled buy (fee in base deducted) or given up by a sell (fee in base added). */
export function netBase(order: LiveOrder): Dec {
  if (order.feeBase === '0') return order.filled;
  return order.side === 'buy' ? sub(order.filled, order.feeBase) : add(order.filled, order.feeBase);
}

/** Quote spent by a buy (notional plus quote fee) or received by a sell (notional minus quote fee). */
export function netQuote(order: LiveOrder): Dec {
  if (order.feeQuote === '0') return order.notional;
  return order.side === 'buy' ? add(order.notional, order.feeQuote) : sub(order.notional, order.feeQuote);
}

/** Live orders that are resting (not being cancelled), optionally of one side. */
export function resting(book: Book, side?: Side): LiveOrder[] {
  const out: LiveOrder[] = [];
  for (const o of book.orders) {
    if (o.cancelling !== true && (side === undefined || o.side === side)) out.push(o);
  }
  return out;
}

/** Whether any order of `side` is resting (the trailing and range checks ask this on every price). */
export function hasResting(book: Book, side: Side): boolean {
  for (const o of book.orders) {
    if (o.cancelling !== true && o.side === side) return true;
  }
  return false;
}

/** The order resting on a line, if any (the first in book order, as `resting` lists them). */
export function onLine(book: Book, line: number): LiveOrder | undefined {
  for (const o of book.orders) {
    if (o.cancelling !== true && o.line === line && o.price !== undefined) return o;
  }
  return undefined;
}
