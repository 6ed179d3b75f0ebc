/**
 * The paper exchange: an in-process venue implementing the exact fill model of DESIGN §6.1 behind the
 * same port a live adapter implements. The market data driver moves each market's price along the bar
 * path (`moveTo`) and asks where the next resting order sits (`nextTrigger`), so orders placed while
 * a bar is walked can fill on the rest of that bar's path.
 */
import { add, isZero, sub, type Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill, OrderRequest, OrderSnapshot } from '../../model/orders.ts';
import {
  ExchangeRejectedError,
  type Balances,
  type ExchangeListener,
  type ExchangePort,
  type ExchangeUpdate,
  type OrderCalls,
} from '../../ports/exchange.ts';
import { PaperBalances } from './balances.ts';
import { restingOf, type RestingOrder } from './book.ts';
import { bestRestingPrice, cappedQty, newMarketState, type MarketState } from './market-state.ts';
import {
  acknowledgementOf,
  changedSnapshot,
  copyOrder,
  exchangeOrderIdOf,
  integerText,
  notionalOf,
  type PaperCounters,
  type PaperOrder,
} from './paper-order.ts';
import { PaperOrderRegistry } from './order-registry.ts';
import { assertPlaceable, promised, takesAtOnce } from './placement.ts';
import { feeOf, takerPrice } from './pricing.ts';
import type { PaperOptions } from './options.ts';

export type { PaperCounters, PaperOrder } from './paper-order.ts';
export type { PaperOptions } from './options.ts';

/** An in-process exchange for paper trading and backtests. */
export class PaperExchange implements ExchangePort {
  readonly venue: string;
  private readonly options: PaperOptions;
  private readonly markets = new Map<string, MarketState>();
  private readonly orders: PaperOrderRegistry;
  private readonly listeners: ExchangeListener[] = [];
  readonly balances: PaperBalances;
  private arrival = 0;
  private tradeCounter = 0;
  private lastSymbol = '';
  private lastState: MarketState | undefined;
  private idTs = Number.NaN; // the time of the last acknowledgement; `idTsText` is its decimal text
  private idTsText = '';
  private readonly spareArrays: (RestingOrder | undefined)[][] = [];
  /** The order calls answered at once (a throw for a rejection): the bar walk settles bots without waits. */
  readonly immediate: OrderCalls = {
    createOrder: (request) => this.place(request),
    cancelOrder: (clientOrderId, symbol) => this.cancelOrderNow(clientOrderId, symbol),
    fetchOrder: (clientOrderId, symbol) => this.fetchOrderNow(clientOrderId, symbol),
  };

  constructor(options: PaperOptions) {
    this.options = options;
    this.venue = options.venue ?? 'paper';
    this.orders = new PaperOrderRegistry(options.endedOrdersKept);
    for (const info of options.markets) this.markets.set(info.symbol, newMarketState(info));
    this.balances = new PaperBalances(options.balances ?? {});
  }

  market(symbol: string): MarketInfo {
    return this.state(symbol).info;
  }

  /** The current path price of a market, if the driver has set one. */
  price(symbol: string): Dec | undefined {
    return this.state(symbol).price;
  }

  /** Starts a bar: resets the volume participation budget. */
  beginBar(symbol: string, volume: number): void {
    const pct = this.options.volumeCapPct;
    this.state(symbol).volumeLeft = pct === undefined ? Infinity : (volume * pct) / 100;
  }

  /** Where a move from `from` to `to` first meets a resting order (NaN for none). */
  nextTrigger(symbol: string, from: number, to: number): number {
    const m = this.state(symbol);
    return m.volumeLeft > 0 ? m.book.nextTrigger(from, to) : Number.NaN;
  }

  /** True when no resting order of the market lies within [lowF, highF] (see `OrderBook.quietWithin`). */
  quietWithin(symbol: string, lowF: number, highF: number): boolean {
    return this.state(symbol).book.quietWithin(lowF, highF);
  }

  /** The open price band of the market (see `OrderBook.quietBand`). */
  quietBand(symbol: string): { below: number; above: number } {
    return this.state(symbol).book.quietBand();
  }

  /** The exact price of the best resting buy (`down`) or sell, which `nextTrigger` reported. */
  triggerPrice(symbol: string, down: boolean): Dec {
    return bestRestingPrice(this.state(symbol), down);
  }

  /**
   * Moves the price to `price` and fills every resting order it reaches: at the order's price, or at
   * `price` itself when `gap` (the bar opened through the order).
   */
  moveTo(symbol: string, price: Dec, priceF: number, gap = false): void {
    const m = this.state(symbol);
    m.price = price;
    m.priceF = priceF;
    if (!m.book.reachedBy(priceF)) return; // the usual move: nothing to fill
    // A snapshot, as fills (and listeners) change the book while it is walked. Its array comes from a
    // pool, so a listener that moves a price meanwhile takes another one: no array is shared.
    const crossed = this.spareArrays.pop() ?? [];
    const n = m.book.crossedBy(priceF, crossed);
    for (let i = 0; i < n && m.volumeLeft > 0; i++) {
      const resting = crossed[i]!;
      const order = this.orders.openOrder(resting.clientOrderId);
      if (order) this.fill(m, order, gap ? price : resting.price, 'maker');
    }
    crossed.fill(undefined, 0, n); // drops the orders but keeps the array's room (length = 0 would free it)
    this.spareArrays.push(crossed);
  }

  createOrder(request: OrderRequest): Promise<OrderSnapshot> {
    return promised(() => this.place(request)); // the bar walk places through `immediate` instead
  }

  createOrderNow(request: OrderRequest): OrderSnapshot {
    return this.place(request);
  }

  cancelOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot> {
    return promised(() => this.cancelOrderNow(clientOrderId, symbol));
  }

  cancelOrderNow(clientOrderId: string, symbol: string): OrderSnapshot {
    const order = this.orders.get(clientOrderId);
    if (!order || order.snapshot.symbol !== symbol)
      throw new ExchangeRejectedError('order-not-found', `paper: no order ${clientOrderId} on ${symbol}`);
    if (order.snapshot.status === 'Open' || order.snapshot.status === 'PartiallyFilled') {
      const m = this.state(symbol);
      m.book.remove(clientOrderId, order.snapshot.side);
      this.balances.release(m.info, order.snapshot.side, order.reserved);
      order.reserved = '0';
      this.update(order, 'Cancelled', order.snapshot.filled);
    }
    return order.snapshot;
  }

  fetchOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot | undefined> {
    return Promise.resolve(this.fetchOrderNow(clientOrderId, symbol));
  }

  fetchOrderNow(clientOrderId: string, symbol: string): OrderSnapshot | undefined {
    const order = this.orders.get(clientOrderId);
    return order?.snapshot.symbol === symbol ? order.snapshot : undefined;
  }

  fetchOpenOrders(symbol?: string): Promise<readonly OrderSnapshot[]> {
    const open: OrderSnapshot[] = [];
    for (const o of this.orders.openOrders())
      if (symbol === undefined || o.snapshot.symbol === symbol) open.push(o.snapshot);
    return Promise.resolve(open);
  }

  fetchBalance(): Promise<Balances> {
    return Promise.resolve(this.balances.snapshot());
  }

  fetchMyTrades(symbol: string, since?: number): Promise<readonly Fill[]> {
    const all = this.fillsOf(symbol);
    return Promise.resolve(since === undefined ? [...all] : all.filter((f) => f.ts >= since));
  }

  /** Every fill on a market so far, oldest first: the venue's own list, never to be changed. */
  fillsOf(symbol: string): readonly Fill[] {
    return this.markets.get(symbol)?.fills ?? [];
  }

  subscribe(listener: ExchangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Copies of the open orders whose client id `mine` accepts, oldest first, and the id counters. */
  openOrdersOf(mine: (clientOrderId: string) => boolean): { orders: PaperOrder[]; counters: PaperCounters } {
    const orders = [...this.orders.openOrders()].filter((o) => mine(o.snapshot.clientOrderId)).map(copyOrder);
    return { orders, counters: { arrival: this.arrival, trades: this.tradeCounter } };
  }

  /** Puts checkpointed open orders back on the book with their reservations (restart of a paper run). */
  restoreOrders(orders: readonly PaperOrder[], counters: PaperCounters): void {
    this.arrival = Math.max(this.arrival, counters.arrival);
    this.tradeCounter = Math.max(this.tradeCounter, counters.trades);
    for (const order of orders) {
      const m = this.state(order.snapshot.symbol);
      const copy = copyOrder(order);
      this.orders.track(copy);
      this.balances.reserveRestored(m.info, order.snapshot.side, order.reserved);
      const price = order.snapshot.price;
      if (order.snapshot.type === 'limit' && price !== undefined)
        m.book.add(restingOf(order.snapshot, price, Number(price), ++this.arrival));
    }
  }

  private place(request: OrderRequest): OrderSnapshot {
    const m = this.state(request.symbol);
    assertPlaceable(request, this.orders.openOrder(request.clientOrderId), m.price !== undefined);
    // One parse of the limit price serves the crossing test and the book entry.
    const priceF = Number(request.price);
    const marketable = takesAtOnce(request, priceF, m.priceF);
    const reservePrice = request.price ?? this.takerPrice(m, request.side);
    const { side, amount } = request;
    const reserved = this.balances.reserve(m.info, side, amount, reservePrice, request.reduceOnly === true);
    const ts = this.options.clock.now();
    if (ts !== this.idTs) {
      this.idTs = ts;
      this.idTsText = integerText(ts);
    }
    const exchangeOrderId = exchangeOrderIdOf(this.venue, this.idTsText, ++this.arrival);
    const order: PaperOrder = {
      snapshot: acknowledgementOf(request, exchangeOrderId, ts),
      remaining: request.amount,
      reserved,
    };
    this.orders.trackNew(order);
    if (marketable) {
      this.fill(m, order, this.takerPrice(m, request.side, request.price), 'taker');
    } else {
      // The acknowledgement is the returned snapshot; only later changes arrive as updates.
      m.book.add(restingOf(order.snapshot, request.price!, priceF, this.arrival));
    }
    return order.snapshot;
  }

  private takerPrice(m: MarketState, side: 'buy' | 'sell', limit?: Dec): Dec {
    return takerPrice(m.info, m.price!, side, this.options.slippageBps ?? 0, limit);
  }

  private fill(m: MarketState, order: PaperOrder, price: Dec, liquidity: 'maker' | 'taker'): void {
    const remaining = order.remaining;
    const qty = cappedQty(m, remaining);
    if (isZero(qty)) return;
    const { clientOrderId, side } = order.snapshot;
    const notional = m.info.type === 'swap' ? undefined : notionalOf(order, qty, price);
    const { amount: fee, asset: feeAsset } = feeOf(m.info, this.options, {
      side,
      qty,
      price,
      liquidity,
      notional,
    });
    const tradeId = `${this.venue}-t${++this.tradeCounter}`;
    const ts = this.options.clock.now();
    const fill: Fill = { tradeId, clientOrderId, ts, side, price, qty, fee, feeAsset, liquidity };
    order.reserved = this.balances.settle(m.info, fill, order.reserved, remaining, notional);
    // The uncapped fill takes the whole rest: x − x is 0 without the arithmetic.
    order.remaining = qty === remaining ? '0' : sub(remaining, qty);
    const done = order.remaining === '0';
    if (done) m.book.remove(clientOrderId, side);
    m.fills.push(fill);
    this.emit({ type: 'fill', symbol: m.info.symbol, fill });
    this.update(order, done ? 'Filled' : 'PartiallyFilled', add(order.snapshot.filled, qty));
  }

  /** A new snapshot per change: listeners (and the events they store) keep the old one unchanged. */
  private update(order: PaperOrder, status: OrderSnapshot['status'], filled: Dec): void {
    order.snapshot = changedSnapshot(order.snapshot, filled, status, this.options.clock.now());
    this.orders.track(order);
    this.emit({ type: 'order', order: order.snapshot });
  }

  private emit(update: ExchangeUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  private state(symbol: string): MarketState {
    // The bar walk asks for the same market several times per bar: skip the map for a repeat.
    if (symbol === this.lastSymbol && this.lastState) return this.lastState;
    const m = this.markets.get(symbol);
    if (!m)
      throw new ExchangeRejectedError('unknown-market', `paper: no market ${symbol} on venue ${this.venue}`);
    this.lastSymbol = symbol;
    this.lastState = m;
    return m;
  }
}
