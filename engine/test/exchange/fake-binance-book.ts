/**
 * The state behind the fake Binance server: one spot account (free/locked per asset), orders and the
 * account's trades, matched like the paper model matches a price print: a resting limit buy at P fills
 * at P, as maker, when a trade prints at or below P (a sell at or above P); market orders and
 * marketable limits fill at the last price, as taker. Commission comes from the received asset, as on
 * Binance without BNB discounts. Decimals are exact (the engine's decimal module).
 */
import { dec, str, type Dec } from '../../src/core/decimal.ts';
import type { MarketInfo } from '../../src/model/market.ts';
import { ccxtMarketId } from '../../src/adapters/ccxt/convert.ts';

/** A Binance error answer: HTTP status and the `{code, msg}` body. */
export class BinanceError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, code: number, msg: string) {
    super(msg);
    this.status = status;
    this.code = code;
  }
}

/** An order as the fake venue keeps it. */
export interface FakeOrder {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';
  readonly price: Dec;
  readonly origQty: Dec;
  executedQty: Dec;
  cummulativeQuoteQty: Dec;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED';
  readonly time: number;
  updateTime: number;
  /** Quote (buys) or base (sells) still locked for this order. */
  locked: Dec;
}

/** One of the account's trades (`GET /api/v3/myTrades` row, decimals unformatted). */
export interface FakeTrade {
  readonly id: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly price: Dec;
  readonly qty: Dec;
  readonly quoteQty: Dec;
  readonly commission: Dec;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
}

/** A new-order request after parsing. */
export interface NewOrder {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';
  readonly quantity: Dec;
  readonly price?: Dec;
  readonly clientOrderId: string;
}

const INSUFFICIENT = 'Account has insufficient balance for requested action.';

/** Orders, trades and balances of the fake venue. */
export class FakeBook {
  readonly orders: FakeOrder[] = [];
  readonly trades: FakeTrade[] = [];
  private readonly markets = new Map<string, MarketInfo>();
  private readonly balances = new Map<string, { free: Dec; locked: Dec }>();
  private readonly lastPrice = new Map<string, Dec>();
  private readonly now: () => number;

  constructor(markets: readonly MarketInfo[], balances: Readonly<Record<string, Dec>>, now: () => number) {
    for (const m of markets) this.markets.set(ccxtMarketId(m), m);
    for (const [asset, free] of Object.entries(balances))
      this.balances.set(asset, { free: str(free), locked: '0' });
    this.now = now;
  }

  /** Free and locked per asset, sorted by asset. */
  balanceRows(): { asset: string; free: Dec; locked: Dec }[] {
    return [...this.balances].sort(([a], [b]) => a.localeCompare(b)).map(([asset, b]) => ({ asset, ...b }));
  }

  /** The market of a Binance symbol id, or a -1121 error. */
  market(symbol: string): MarketInfo {
    const m = this.markets.get(symbol);
    if (!m) throw new BinanceError(400, -1121, 'Invalid symbol.');
    return m;
  }

  /** Places an order: checks, locks funds, fills at once when marketable. */
  place(request: NewOrder): FakeOrder {
    const m = this.market(request.symbol);
    if (this.orders.some((o) => o.clientOrderId === request.clientOrderId && isOpen(o))) {
      throw new BinanceError(400, -2010, 'Duplicate order sent.');
    }
    const last = this.lastPrice.get(request.symbol);
    const marketable = request.type === 'MARKET' || (last !== undefined && crosses(request, last));
    if (marketable && last === undefined) throw new BinanceError(400, -2010, 'Market is closed.');
    if (marketable && request.type === 'LIMIT_MAKER') {
      throw new BinanceError(400, -2010, 'Order would immediately match and take.');
    }
    const lockPrice = request.price ?? last!;
    const buy = request.side === 'BUY';
    const lockAmount = buy ? str(dec(request.quantity).times(lockPrice)) : request.quantity;
    this.lock(buy ? m.quote : m.base, lockAmount);
    const t = this.now();
    const order: FakeOrder = {
      orderId: this.orders.length + 1,
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      price: request.price ?? '0',
      origQty: request.quantity,
      executedQty: '0',
      cummulativeQuoteQty: '0',
      status: 'NEW',
      time: t,
      updateTime: t,
      locked: lockAmount,
    };
    this.orders.push(order);
    if (marketable) this.fill(order, last!, false);
    return order;
  }

  /** Cancels an open order found by client id or order id, releasing what it locked. */
  cancel(symbol: string, ref: { clientOrderId?: string; orderId?: number }): FakeOrder {
    const order = this.find(symbol, ref);
    if (!order || !isOpen(order)) throw new BinanceError(400, -2011, 'Unknown order sent.');
    const m = this.market(symbol);
    this.release(order.side === 'BUY' ? m.quote : m.base, order.locked);
    order.locked = '0';
    order.status = 'CANCELED';
    order.updateTime = this.now();
    return order;
  }

  /** The latest order with a client id (ids are reusable once an order is closed), or by order id. */
  find(symbol: string, ref: { clientOrderId?: string; orderId?: number }): FakeOrder | undefined {
    const matches = this.orders.filter(
      (o) =>
        o.symbol === symbol &&
        (ref.clientOrderId !== undefined ? o.clientOrderId === ref.clientOrderId : o.orderId === ref.orderId),
    );
    return matches[matches.length - 1];
  }

  /** A trade prints at `price`: every resting limit it reaches fills at its own price, as maker. */
  trade(symbol: string, price: Dec): void {
    this.market(symbol);
    this.lastPrice.set(symbol, str(price));
    const p = dec(price);
    const reached = this.orders.filter(
      (o) =>
        o.symbol === symbol &&
        isOpen(o) &&
        (o.side === 'BUY' ? p.lessThanOrEqualTo(o.price) : p.greaterThanOrEqualTo(o.price)),
    );
    reached.sort((a, b) =>
      a.side === 'BUY' ? dec(b.price).comparedTo(a.price) : dec(a.price).comparedTo(b.price),
    );
    for (const order of reached) this.fill(order, order.price, true);
  }

  private fill(order: FakeOrder, price: Dec, maker: boolean): void {
    const m = this.market(order.symbol);
    const qty = str(dec(order.origQty).minus(order.executedQty));
    const notional = str(dec(qty).times(price));
    const rate = maker ? m.maker : m.taker;
    const buy = order.side === 'BUY';
    const commission = str(dec(buy ? qty : notional).times(rate));
    const commissionAsset = buy ? m.base : m.quote;
    if (buy) {
      this.unlock(m.quote, order.locked, notional);
      this.credit(m.base, str(dec(qty).minus(commission)));
    } else {
      this.unlock(m.base, order.locked, qty);
      this.credit(m.quote, str(dec(notional).minus(commission)));
    }
    order.locked = '0';
    order.executedQty = order.origQty;
    order.cummulativeQuoteQty = str(dec(order.cummulativeQuoteQty).plus(notional));
    order.status = 'FILLED';
    order.updateTime = this.now();
    this.trades.push({
      id: this.trades.length + 1,
      orderId: order.orderId,
      symbol: order.symbol,
      price,
      qty,
      quoteQty: notional,
      commission,
      commissionAsset,
      time: order.updateTime,
      isBuyer: buy,
      isMaker: maker,
    });
  }

  private holding(asset: string): { free: Dec; locked: Dec } {
    let b = this.balances.get(asset);
    if (!b) {
      b = { free: '0', locked: '0' };
      this.balances.set(asset, b);
    }
    return b;
  }

  private lock(asset: string, amount: Dec): void {
    const b = this.holding(asset);
    if (dec(b.free).lessThan(amount)) throw new BinanceError(400, -2010, INSUFFICIENT);
    b.free = str(dec(b.free).minus(amount));
    b.locked = str(dec(b.locked).plus(amount));
  }

  private release(asset: string, amount: Dec): void {
    const b = this.holding(asset);
    b.locked = str(dec(b.locked).minus(amount));
    b.free = str(dec(b.free).plus(amount));
  }

  /** Takes `spent` out of an order's lock and frees the rest (a buy that filled below its limit). */
  private unlock(asset: string, locked: Dec, spent: Dec): void {
    const b = this.holding(asset);
    b.locked = str(dec(b.locked).minus(locked));
    b.free = str(dec(b.free).plus(locked).minus(spent));
  }

  private credit(asset: string, amount: Dec): void {
    const b = this.holding(asset);
    b.free = str(dec(b.free).plus(amount));
  }
}

/** True while an order can still fill or be cancelled. */
export function isOpen(order: FakeOrder): boolean {
  return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
}

function crosses(request: NewOrder, last: Dec): boolean {
  if (request.price === undefined) return true;
  return request.side === 'BUY'
    ? dec(request.price).greaterThanOrEqualTo(last)
    : dec(request.price).lessThanOrEqualTo(last);
}
