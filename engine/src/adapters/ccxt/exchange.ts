/**
 * The ccxt exchange adapter: the exchange port over a real ccxt client. Orders go out with the engine's
 * client id (mapped to the venue's format, §8.2) so an Unknown outcome is resolved by `fetchOrder`, never
 * by sending again; every ccxt error is classified once here (errors.ts); decimals stay exact
 * (convert.ts). Updates are found by polling open orders and trades on an injected schedule.
 */
import type { Clock, EpochMs } from '../../core/clock.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill, OrderRequest, OrderSnapshot } from '../../model/orders.ts';
import {
  ExchangeRejectedError,
  type Balances,
  type ExchangeListener,
  type ExchangePort,
  type ExchangeUpdate,
} from '../../ports/exchange.ts';
import { asCcxtNumber, type CcxtClient } from './client.ts';
import { toBalances, toFill, toSnapshot, venueClientId, type CcxtOrder, type CcxtTrade } from './convert.ts';
import { classifyCcxtError, retryAfterMs, type CallKind } from './errors.ts';
import { OrderTracker } from './tracker.ts';
import { venueClientOrderId } from './venue-ids.ts';

/** Starts calling `tick` every `intervalMs`; returns the function that stops it. */
export type Schedule = (tick: () => void, intervalMs: number) => () => void;

/** Wiring of a ccxt adapter. */
export interface CcxtExchangeOptions {
  readonly client: CcxtClient;
  /** The markets this adapter trades (and polls for updates). */
  readonly markets: readonly MarketInfo[];
  readonly clock: Clock;
  /** How often `subscribe` polls (default 2 s). */
  readonly pollIntervalMs?: number;
  /** Timer source for polling (default `setInterval`); tests inject one they drive. */
  readonly schedule?: Schedule;
  /** Told about a failed poll; the next tick tries again. */
  readonly onPollError?: (error: Error) => void;
  /**
   * How far the venue's clock may lag ours (default 5 s): streaming starts this long before the
   * moment of subscribing, so a fill stamped by a slower venue clock is not skipped.
   */
  readonly clockSkewMs?: number;
}

const defaultSchedule: Schedule = (tick, intervalMs) => {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** An exchange port over a ccxt client (REST; updates by polling). */
export class CcxtExchange implements ExchangePort {
  readonly venue: string;
  private readonly client: CcxtClient;
  private readonly options: CcxtExchangeOptions;
  private readonly markets = new Map<string, MarketInfo>();
  private readonly orders: OrderTracker;
  private readonly listeners: ExchangeListener[] = [];
  /** Per symbol, trade ids already streamed with their time; pruned once the cursor has passed them. */
  private readonly seenTrades = new Map<string, Map<string, EpochMs>>();
  private readonly cursors = new Map<string, EpochMs>();
  private stopPolling: (() => void) | undefined;
  private polling: Promise<void> | undefined;

  constructor(options: CcxtExchangeOptions) {
    this.options = options;
    this.client = options.client;
    this.venue = options.client.id;
    this.orders = new OrderTracker(this.venue);
    for (const info of options.markets) this.markets.set(info.symbol, info);
  }

  market(symbol: string): MarketInfo {
    const info = this.markets.get(symbol);
    if (!info)
      throw new ExchangeRejectedError('unknown-market', `${this.venue}: no market ${symbol} configured`);
    return info;
  }

  async createOrder(request: OrderRequest): Promise<OrderSnapshot> {
    this.market(request.symbol);
    const venueId = venueClientOrderId(this.venue, request.clientOrderId);
    const params: Record<string, unknown> = { clientOrderId: venueId };
    if (request.postOnly === true) params['postOnly'] = true;
    if (request.reduceOnly === true) params['reduceOnly'] = true;
    const price = request.type === 'limit' ? request.price : undefined;
    if (request.type === 'limit' && price === undefined) {
      throw new ExchangeRejectedError(
        'missing-price',
        `${this.venue}: limit order ${request.clientOrderId} has no price`,
      );
    }
    this.orders.remember(request.clientOrderId, venueId);
    const order = await this.call('create', `createOrder ${request.clientOrderId}`, () =>
      this.client.createOrder(
        request.symbol,
        request.type,
        request.side,
        asCcxtNumber(request.amount),
        price === undefined ? undefined : asCcxtNumber(price),
        params,
      ),
    );
    const snapshot = this.snapshotOf(order, request.symbol);
    // The acknowledgement is the return value; only later changes arrive as updates (as on paper).
    this.orders.put(snapshot);
    return snapshot;
  }

  async cancelOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot> {
    const params = { clientOrderId: this.orders.venueIdOf(clientOrderId) };
    try {
      const order = await this.call('cancel', `cancelOrder ${clientOrderId}`, () =>
        this.client.cancelOrder('', symbol, params),
      );
      return this.observe(this.snapshotOf(order, symbol));
    } catch (error) {
      if (!(error instanceof ExchangeRejectedError) || error.code !== 'order-not-found') throw error;
      // "Unknown order" on cancel: it may have filled or been cancelled already (§8.6) — look it up.
      const current = await this.fetchOrder(clientOrderId, symbol);
      if (current === undefined) throw error;
      return current;
    }
  }

  async fetchOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot | undefined> {
    const params = { clientOrderId: this.orders.venueIdOf(clientOrderId) };
    try {
      const order = await this.call('read', `fetchOrder ${clientOrderId}`, () =>
        this.client.fetchOrder('', symbol, params),
      );
      return this.observe(this.snapshotOf(order, symbol));
    } catch (error) {
      if (error instanceof ExchangeRejectedError && error.code === 'order-not-found') return undefined;
      throw error;
    }
  }

  async fetchOpenOrders(symbol?: string): Promise<readonly OrderSnapshot[]> {
    const symbols = symbol === undefined ? [...this.markets.keys()] : [symbol];
    const out: OrderSnapshot[] = [];
    for (const s of symbols) {
      const orders = await this.call('read', `fetchOpenOrders ${s}`, () => this.client.fetchOpenOrders(s));
      for (const order of orders) out.push(this.observe(this.snapshotOf(order, s)));
    }
    return out;
  }

  async fetchBalance(): Promise<Balances> {
    return toBalances(await this.call('read', 'fetchBalance', () => this.client.fetchBalance()));
  }

  async fetchMyTrades(symbol: string, since?: EpochMs): Promise<readonly Fill[]> {
    const trades = await this.call('read', `fetchMyTrades ${symbol}`, () =>
      this.client.fetchMyTrades(symbol, since),
    );
    const fills: Fill[] = [];
    for (const trade of trades)
      fills.push(toFill(trade, await this.clientIdOfTrade(trade, symbol), this.now()));
    return fills;
  }

  subscribe(listener: ExchangeListener): () => void {
    this.listeners.push(listener);
    if (this.stopPolling === undefined) {
      const from = this.now() - (this.options.clockSkewMs ?? 5000);
      for (const symbol of this.markets.keys()) if (!this.cursors.has(symbol)) this.cursors.set(symbol, from);
      const schedule = this.options.schedule ?? defaultSchedule;
      this.stopPolling = schedule(() => void this.poll(), this.options.pollIntervalMs ?? 2000);
    }
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
      if (this.listeners.length === 0 && this.stopPolling !== undefined) {
        this.stopPolling();
        this.stopPolling = undefined;
      }
    };
  }

  /**
   * One polling pass: new trades become `fill` updates (once per trade id), changed orders become
   * `order` updates. Concurrent calls share one pass. Failures go to `onPollError`, never to listeners.
   */
  poll(): Promise<void> {
    this.polling ??= this.pollAll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollAll(): Promise<void> {
    try {
      for (const symbol of this.markets.keys()) await this.pollSymbol(symbol);
    } catch (error) {
      this.options.onPollError?.(error as Error);
    }
  }

  private async pollSymbol(symbol: string): Promise<void> {
    const cursor = this.cursors.get(symbol);
    const seen = this.seenTrades.get(symbol) ?? new Map<string, EpochMs>();
    this.seenTrades.set(symbol, seen);
    for (const fill of await this.fetchMyTrades(symbol, cursor)) {
      if (seen.has(fill.tradeId) || (cursor !== undefined && fill.ts < cursor)) continue;
      seen.set(fill.tradeId, fill.ts);
      this.cursors.set(symbol, Math.max(this.cursors.get(symbol) ?? fill.ts, fill.ts));
      this.emit({ type: 'fill', symbol, fill });
    }
    forgetBefore(seen, this.cursors.get(symbol));
    const open = new Set((await this.fetchOpenOrders(symbol)).map((o) => o.clientOrderId));
    // Orders that left the open list finished somehow (filled, cancelled, expired): fetch how.
    for (const tracked of this.orders.live(symbol)) {
      if (!open.has(tracked.clientOrderId)) await this.fetchOrder(tracked.clientOrderId, symbol);
    }
  }

  /** Records a snapshot and emits it when its status or filled amount changed since last seen. */
  private observe(snapshot: OrderSnapshot): OrderSnapshot {
    if (this.orders.put(snapshot)) this.emit({ type: 'order', order: snapshot });
    return snapshot;
  }

  private snapshotOf(order: CcxtOrder, symbol: string): OrderSnapshot {
    const venueId = venueClientId(order);
    const clientOrderId = venueId === undefined ? (order.id ?? '') : this.orders.engineIdOf(venueId);
    const snapshot = toSnapshot({ ...order, symbol: order.symbol ?? symbol }, clientOrderId, this.now());
    if (snapshot.exchangeOrderId !== undefined) this.orders.link(snapshot.exchangeOrderId, clientOrderId);
    return snapshot;
  }

  /** The engine client id of a trade's order; asks the venue once for orders this adapter never saw. */
  private async clientIdOfTrade(trade: CcxtTrade, symbol: string): Promise<string> {
    const orderId = trade.order ?? '';
    const known = this.orders.byExchangeId(orderId);
    if (known !== undefined) return known;
    const order = await this.call('read', `fetchOrder #${orderId}`, () =>
      this.client.fetchOrder(orderId, symbol),
    );
    return this.snapshotOf(order, symbol).clientOrderId;
  }

  private async call<T>(kind: CallKind, where: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const header = this.client.last_response_headers?.['Retry-After'];
      throw classifyCcxtError(error, kind, `${this.venue} ${where}`, retryAfterMs(header, this.now()));
    }
  }

  private emit(update: ExchangeUpdate): void {
    for (const listener of [...this.listeners]) listener(update);
  }

  private now(): EpochMs {
    return this.options.clock.now();
  }
}

/** Trades older than the cursor are never fetched again (`since`), so their ids need no remembering. */
function forgetBefore(seen: Map<string, EpochMs>, cursor: EpochMs | undefined): void {
  if (cursor === undefined) return;
  for (const [id, ts] of seen) if (ts < cursor) seen.delete(id);
}
