/** Binance spot REST JSON shapes of the fake venue's orders and trades (decimals as padded text). */
import { dec, type Dec } from '../../src/core/decimal.ts';
import type { FakeOrder, FakeTrade } from './fake-binance-book.ts';

/** Binance's decimal text: at least 8 decimals, never rounded. */
export function fmt(value: Dec): string {
  const d = dec(value);
  return d.toFixed(Math.max(8, d.decimalPlaces()));
}

/** An order as `GET /api/v3/order` returns it. */
export function orderJson(o: FakeOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    cummulativeQuoteQty: fmt(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: 'GTC',
    type: o.type,
    side: o.side,
    stopPrice: fmt('0'),
    icebergQty: fmt('0'),
    time: o.time,
    updateTime: o.updateTime,
    isWorking: true,
    workingTime: o.time,
    origQuoteOrderQty: fmt('0'),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** A row of `GET /api/v3/myTrades`. */
export function tradeJson(t: FakeTrade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: -1,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}
