/**
 * The bot's live orders keyed by the strategy's own key (one per line, §1.7), with fills accumulated until
 * the order is done (§1.4: partial fills wait for the final one). Placement rounds as §0.2 says: buy prices
 * down and sell prices up to the tick, quantities down to the lot.
 */
import { add, isZero, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { OrderRole } from '../../core/ids.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Side } from '../../model/orders.ts';
import type { CancelIntent, PlaceIntent, StrategyEvent } from '../../kernel/strategy.ts';
import { lineIdx } from './lattice.ts';
import { limitPrice, lotFloor } from './rounding.ts';

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

/** The live order under `key`, if any. A book holds at most a few hundred orders (one per line). */
export function orderOf(book: Book, key: string): LiveOrder | undefined {
  const orders = book.orders;
  for (let i = 0; i < orders.length; i++) if (orders[i]!.key === key) return orders[i];
  return undefined;
}

export { currentBook, withCurrentBook } from './book-compat.ts';

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

export { limitPrice, lotFloor } from './rounding.ts';

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
  return placeAt(book, spec, price, qty, replacing);
}

/**
 * Places a limit order whose price and quantity are already rounded as `placeLimit` rounds them (and not
 * zero): a grid rounds each line's buy once and places it again on every re-fill of the line.
 */
export const placeRounded = (book: Book, spec: LimitSpec, replacing?: string): [Book, PlaceIntent] =>
  placeAt(book, spec, spec.price, spec.qty, replacing);

/** Places `spec` at the rounded `price` and `qty`. */
function placeAt(
  book: Book,
  spec: LimitSpec,
  price: Dec,
  qty: Dec,
  replacing: string | undefined,
): [Book, PlaceIntent] {
  const seq = book.seq + 1;
  const { key, line, side, cost } = spec;
  const { filled, notional, feeBase, feeQuote } = fresh;
  // Literals rather than spreads: this runs on every fill, and each spread is one more object to collect.
  const reduce = spec.reduceOnly === true;
  const order: LiveOrder = reduce
    ? { key, line, side, price, qty, cost, filled, notional, feeBase, feeQuote, reduceOnly: true }
    : { key, line, side, price, qty, cost, filled, notional, feeBase, feeQuote };
  const role = spec.role ?? 'grid';
  const idx = lineIdx(line);
  const intent: PlaceIntent = reduce
    ? { type: 'place', key, role, idx, side, orderType: 'limit', price, qty, seq, reduceOnly: true }
    : { type: 'place', key, role, idx, side, orderType: 'limit', price, qty, seq };
  return [{ orders: putOrder(book.orders, order, replacing), seq }, intent];
}

/**
 * The orders with `order` put under its key, in one copy: an existing key keeps its place, a new one goes
 * last, and `gone` (if given) is left out first, exactly as removing it and then adding `order` would.
 */
function putOrder(orders: Book['orders'], order: LiveOrder, gone?: string): Book['orders'] {
  const out: LiveOrder[] = [];
  let placed = false;
  for (const o of orders) {
    if (o.key === gone) continue;
    if (o.key === order.key) {
      out.push(order);
      placed = true;
    } else out.push(o);
  }
  if (!placed) out.push(order);
  return out;
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

/** The orders without `key`, in the same order. */
function without(orders: Book['orders'], key: string): Book['orders'] {
  return orders.filter((o) => o.key !== key);
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
