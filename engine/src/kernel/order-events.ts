/**
 * The order events a strategy receives from the order flow (order-flow.ts): one per fill and one per
 * status change it is told about, built field by field in the event's field order (no spread copies:
 * they are made per fill).
 */
import type { Dec } from '../core/decimal.ts';
import type { Fill, OrderStatus } from '../model/orders.ts';
import type { OrderRecord } from './order-book.ts';
import type { OrderEventStatus, StrategyEvent } from './strategy.ts';

/** A strategy's order event. */
export type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The event status an order status reaches the strategy as (fill-driven states come with the fills). */
export const STATUS_EVENT: Partial<Record<OrderStatus, OrderEventStatus>> = {
  Open: 'accepted',
  Cancelled: 'cancelled',
  Expired: 'expired',
  Rejected: 'rejected',
  NotPlaced: 'rejected',
};

/** The event of `fill` of `record` (after the book counted it); `done` when the order is now filled. */
export function fillEvent(record: OrderRecord, fill: Fill, done: boolean): OrderEvent {
  const { key, filled } = record;
  const { amount, price } = record.request;
  const status = done ? 'filled' : 'partiallyFilled';
  const { feeAsset, liquidity } = fill;
  const paid = { price: fill.price, qty: fill.qty, fee: fill.fee, feeAsset, liquidity };
  // The price (absent for market orders) is the last field, so it is written in the literal: a field
  // added afterwards would cost the event a second, out-of-object allocation.
  return price === undefined
    ? { type: 'order', ts: fill.ts, key, status, fill: paid, filled, amount }
    : { type: 'order', ts: fill.ts, key, status, fill: paid, filled, amount, price };
}

/** A status event (never with a fill) of an order with `filled` of its request's amount so far. */
export function statusEvent(
  ts: number,
  key: string,
  status: OrderEventStatus,
  filled: Dec,
  request: { readonly amount: Dec; readonly price?: Dec },
  reason: string | undefined,
): OrderEvent {
  const event: Writable<OrderEvent> = { type: 'order', ts, key, status, filled, amount: request.amount };
  if (request.price !== undefined) event.price = request.price;
  if (reason !== undefined) event.reason = reason;
  return event;
}
