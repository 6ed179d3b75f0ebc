/**
 * The exchange port: what the order manager needs from a venue. The paper exchange implements it
 * in-process; a ccxt adapter implements the same calls against a real venue (ccxt's `createOrder`,
 * `cancelOrder`, `fetchOrder`, `fetchOpenOrders`, `fetchBalance`, `fetchMyTrades` and the `watch*` streams).
 */
import type { Dec } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';
import type { MarketInfo } from '../model/market.ts';
import type { Fill, OrderRequest, OrderSnapshot } from '../model/orders.ts';

/** Something the venue tells us without being asked: an order changed, or a fill happened. */
export type ExchangeUpdate =
  | { readonly type: 'order'; readonly order: OrderSnapshot }
  | { readonly type: 'fill'; readonly symbol: string; readonly fill: Fill };

/** A listener for exchange updates; returns nothing, must not throw. */
export type ExchangeListener = (update: ExchangeUpdate) => void;

/** Free and used amounts per asset, decimal text. */
export type Balances = Readonly<Record<string, { readonly free: Dec; readonly used: Dec }>>;

/** A venue as the engine sees it. All calls may be retried by the caller only as the error class says. */
export interface ExchangePort {
  /** Venue id (`paper`, `binance`, …). */
  readonly venue: string;
  /** Market metadata for a symbol (ccxt unified structure, precision as tick sizes). */
  market(symbol: string): MarketInfo;
  /** Places an order. Throws ExchangeRejectedError (definite) or ExchangeUnknownError (look it up). */
  createOrder(request: OrderRequest): Promise<OrderSnapshot>;
  /** Cancels an order by client id; resolves with the order's state after the cancel. */
  cancelOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot>;
  /** Looks an order up by client id; undefined when the venue does not know it. */
  fetchOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot | undefined>;
  fetchOpenOrders(symbol?: string): Promise<readonly OrderSnapshot[]>;
  fetchBalance(): Promise<Balances>;
  fetchMyTrades(symbol: string, since?: EpochMs): Promise<readonly Fill[]>;
  /** Subscribes to order and fill updates; returns the unsubscribe function. */
  subscribe(listener: ExchangeListener): () => void;
}

/**
 * The order calls a runner makes, each answered now (a value or a throw) or later (a promise). Every
 * exchange port answers later; an in-process venue can answer now, sparing its runner a wait per call.
 */
export interface OrderCalls {
  createOrder(request: OrderRequest): OrderSnapshot | Promise<OrderSnapshot>;
  cancelOrder(clientOrderId: string, symbol: string): OrderSnapshot | Promise<OrderSnapshot>;
  fetchOrder(
    clientOrderId: string,
    symbol: string,
  ): OrderSnapshot | undefined | Promise<OrderSnapshot | undefined>;
}

/** The venue definitely refused the request (bad params, insufficient balance): becomes an event. */
export class ExchangeRejectedError extends Error {
  override readonly name = 'ExchangeRejectedError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The outcome of a request is not known (timeout, reset): resolve by `fetchOrder`, never resend. */
export class ExchangeUnknownError extends Error {
  override readonly name = 'ExchangeUnknownError';
}

/** A temporary failure that certainly did not change anything (throttled, maintenance): retry later. */
export class ExchangeTransientError extends Error {
  override readonly name = 'ExchangeTransientError';
  /** How long the venue asked callers to wait (HTTP `Retry-After`), when it said. */
  readonly retryAfterMs?: number;
  constructor(message: string, options?: { readonly retryAfterMs?: number }) {
    super(message);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
