/**
 * The orders the paper venue holds and the snapshots it reports for them: built field by field, in the
 * one key order every snapshot of the venue has, because a snapshot is made for every order change
 * (spreading the previous one costs more on the fill path than writing the ten fields out).
 */
import { mul, type Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { OrderRequest, OrderSnapshot } from '../../model/orders.ts';

/** An order as the paper venue holds it (checkpoints keep a bot's open ones). */
export interface PaperOrder {
  snapshot: OrderSnapshot;
  remaining: Dec;
  reserved: Dec;
}

/** The id counters of the venue: restored as a maximum so ids stay unique across restarts. */
export interface PaperCounters {
  readonly arrival: number;
  readonly trades: number;
}

/** The snapshot of a newly accepted order (a market order's has no price field, as requested). */
export function acknowledgementOf(
  request: OrderRequest,
  exchangeOrderId: string,
  ts: EpochMs,
): OrderSnapshot {
  const { clientOrderId, symbol, side, type, price, amount } = request;
  return price === undefined
    ? { clientOrderId, exchangeOrderId, symbol, side, type, amount, filled: '0', status: 'Open', ts }
    : { clientOrderId, exchangeOrderId, symbol, side, type, price, amount, filled: '0', status: 'Open', ts };
}

/**
 * A new snapshot of `s` with a changed fill, status and time (listeners, and the events they store,
 * keep the old one unchanged). Snapshots this venue acknowledged have exactly the fields written here,
 * in this order; any other (a restored one with a reason, say) is spread so no field is lost.
 */
export function changedSnapshot(
  s: OrderSnapshot,
  filled: Dec,
  status: OrderSnapshot['status'],
  ts: EpochMs,
): OrderSnapshot {
  const { clientOrderId, exchangeOrderId, symbol, side, type, price, amount } = s;
  if (exchangeOrderId === undefined || s.reason !== undefined) return { ...s, filled, status, ts };
  return price === undefined
    ? { clientOrderId, exchangeOrderId, symbol, side, type, amount, filled, status, ts }
    : { clientOrderId, exchangeOrderId, symbol, side, type, price, amount, filled, status, ts };
}

/**
 * The venue's id of an order, `venue-ts-arrival`, as one flat string. Events keep every order's id for
 * the whole run; built by `+` it would be a chain of string pieces (about 185 bytes alive per order
 * instead of about 50), which the garbage collector copies while the run lasts.
 */
export function exchangeOrderIdOf(venue: string, tsText: string, arrival: number): string {
  return [venue, tsText, String(arrival)].join('-');
}

/** A copy of an order that shares nothing mutable with it (checkpoints and restores). */
export function copyOrder(order: PaperOrder): PaperOrder {
  return { ...order, snapshot: { ...order.snapshot } };
}

/**
 * qty × price of a spot fill. A buy filled whole at its own limit price (a resting buy reached by the
 * path) is exactly the amount × price its reservation was computed as: the same product of the same
 * texts, so the reservation is reused instead of multiplied again.
 */
export function notionalOf(order: PaperOrder, qty: Dec, price: Dec): Dec {
  const s = order.snapshot;
  const reservedWhole = s.side === 'buy' && s.filled === '0' && order.reserved !== '0';
  return reservedWhole && qty === s.amount && price === s.price ? order.reserved : mul(qty, price);
}

/**
 * Decimal text of an integer such as an epoch-ms time, as `String` writes it. `String` of a double above
 * 2^31 takes V8's general double printer; two halves below 10^8 (small integers) print several times
 * faster. The split is exact for a safe integer: n / 10^8 < 2^27, where half an ulp is below 10^-8, so
 * the floor never rounds across an integer.
 */
export function integerText(n: number): string {
  if (n < 2 ** 31 || !Number.isSafeInteger(n)) return String(n);
  const high = Math.floor(n / 1e8);
  return String(high) + String(n - high * 1e8).padStart(8, '0');
}
