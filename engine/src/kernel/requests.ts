/**
 * Turns a strategy's place intent into the order request sent to a venue: rounding to the market's
 * tick and lot happens here and only here (grid-family.md §0.2, dca-twap-risk.md §0.2): buy prices
 * round down and sell prices up (never worse than intended), quantities always down.
 */
import { div, gt, mul, sub, type Dec } from '../core/decimal.ts';
import { isPositiveCanonical, onStep } from './step-text.ts';
import type { MarketInfo } from '../model/market.ts';
import type { OrderRequest } from '../model/orders.ts';
import type { OrderRecord } from './order-book.ts';
import type { AmendIntent, PlaceIntent } from './strategy.ts';

/** The rounded request, or the reason it cannot be built. */
export type BuiltRequest =
  { readonly ok: true; readonly request: OrderRequest } | { readonly ok: false; readonly reason: string };

/** Builds the request for `intent` at the current `price` (used for market orders and quote sizing). */
export function buildRequest(
  intent: PlaceIntent,
  market: MarketInfo,
  clientOrderId: string,
  price: Dec,
): BuiltRequest {
  if (intent.orderType === 'limit' && intent.price === undefined)
    return { ok: false, reason: `limit order ${intent.key} has no price` };
  if ((intent.qty === undefined) === (intent.quoteAmount === undefined)) {
    return { ok: false, reason: `order ${intent.key} must give exactly one of qty and quoteAmount` };
  }
  const limit =
    intent.orderType === 'limit'
      ? onStep(intent.price!, market.precision.price, intent.side === 'buy' ? 'floor' : 'ceil')
      : undefined;
  // The rounded price is canonical text, so its sign is read off the text.
  if (limit !== undefined && !isPositiveCanonical(limit))
    return { ok: false, reason: `price ${intent.price} rounds to ${limit}` };
  const sizingPrice = limit ?? price;
  const rawQty = intent.qty ?? div(intent.quoteAmount!, sizingPrice);
  const amount = onStep(rawQty, market.precision.amount, 'floor');
  return { ok: true, request: requestOf(intent, market.symbol, clientOrderId, limit, amount, price) };
}

/** The request's object, its fields in the request's order: one object per order, no spreads. */
function requestOf(
  intent: PlaceIntent,
  symbol: string,
  clientOrderId: string,
  limit: Dec | undefined,
  amount: Dec,
  referencePrice: Dec,
): OrderRequest {
  const { side, orderType: type } = intent;
  if (intent.reduceOnly !== true && intent.postOnly !== true) {
    // The usual order: every field in one literal (a field added later would need a second allocation).
    return limit === undefined
      ? { clientOrderId, symbol, side, type, amount, referencePrice }
      : { clientOrderId, symbol, side, type, price: limit, amount, referencePrice };
  }
  const request: { -readonly [K in keyof OrderRequest]: OrderRequest[K] } =
    limit === undefined
      ? { clientOrderId, symbol, side, type, amount }
      : { clientOrderId, symbol, side, type, price: limit, amount };
  if (intent.reduceOnly === true) request.reduceOnly = true;
  if (intent.postOnly === true) request.postOnly = true;
  request.referencePrice = referencePrice;
  return request;
}

/** The request an intent names before rounding (what a denial shows when no request could be built). */
export function intentRequest(intent: PlaceIntent, symbol: string, clientOrderId: string): OrderRequest {
  return { clientOrderId, symbol, side: intent.side, type: intent.orderType, amount: intent.qty ?? '0' };
}

/** Adverse difference between fill and reference price in quote (0 when the fill is at or better). */
export function slippageOf(request: OrderRequest, fillPrice: Dec, qty: Dec): Dec {
  const reference = request.type === 'limit' ? request.price : request.referencePrice;
  // A limit order filled at its own price (every resting fill) has no slippage: no arithmetic needed.
  if (reference === undefined || fillPrice === reference) return '0';
  const diff = request.side === 'buy' ? sub(fillPrice, reference) : sub(reference, fillPrice);
  return gt(diff, '0') ? mul(diff, qty) : '0';
}

/** The place intent that replaces `record` with the amended price and/or quantity (rest of the order by default). */
export function replacementOf(record: OrderRecord, intent: AmendIntent): PlaceIntent {
  const r = record.request;
  const price = intent.price ?? r.price;
  return {
    type: 'place',
    key: record.key,
    role: record.role,
    idx: record.idx,
    side: r.side,
    orderType: r.type,
    ...(price === undefined ? {} : { price }),
    qty: intent.qty ?? sub(r.amount, record.filled),
    ...(r.reduceOnly === true ? { reduceOnly: true } : {}),
    ...(r.postOnly === true ? { postOnly: true } : {}),
  };
}
