/**
 * The paper exchange: an in-process venue implementing the exact fill model of DESIGN §6.1 behind the
 * same port a live adapter implements. The market data driver moves each market's price along the bar
 * path (`moveTo`) and asks where the next resting order sits (`nextTrigger`), so orders placed while
 * a bar is walked can fill on the rest of that bar's path.
 */
import { add, isZero, sub, type Dec } from '../../core/decimal.ts';
import type { Clock } from '../../core/clock.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill, OrderRequest, OrderSnapshot } from '../../model/orders.ts';
import {
  ExchangeRejectedError,
  type Balances,
  type ExchangeListener,
  type ExchangePort,
  type ExchangeUpdate,
} from '../../ports/exchange.ts';
import { PaperBalances } from './balances.ts';
import { crosses, OrderBook, restingOf, type RestingOrder } from './book.ts';
import { capToVolume, feeOf, takerPrice, type FeeSettings } from './pricing.ts';

/** Paper venue settings (from the Account manifest; defaults from market metadata). */
export interface PaperOptions extends FeeSettings {
  readonly markets: readonly MarketInfo[];
  readonly clock: Clock;
  /** Starting balances by asset, decimal text. */
  readonly balances?: Readonly<Record<string, Dec>>;
  /** Market orders fill this many basis points worse than the path price (default 0). */
  readonly slippageBps?: number;
  /** A fill may use at most this percentage of the bar's volume (off by default). */
  readonly volumeCapPct?: number;
  readonly venue?: string;
}

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

interface MarketState {
  readonly info: MarketInfo;
  readonly book: OrderBook;
  price?: Dec;
  priceF: number;
  /** Base volume still available to fills on the current bar (Infinity without a cap). */
  volumeLeft: number;
}

/** An in-process exchange for paper trading and backtests. */
export class PaperExchange implements ExchangePort {
  readonly venue: string;
  private readonly options: PaperOptions;
  private readonly markets = new Map<string, MarketState>();
  private readonly orders = new Map<string, PaperOrder>();
  /** The open (or partially filled) orders, oldest first: lookups of open orders never scan the history. */
  private readonly open = new Map<string, PaperOrder>();
  private readonly fills = new Map<string, Fill[]>();
  private readonly listeners: ExchangeListener[] = [];
  readonly balances: PaperBalances;
  private arrival = 0;
  private tradeCounter = 0;
  private lastSymbol = '';
  private lastState: MarketState | undefined;

  constructor(options: PaperOptions) {
    this.options = options;
    this.venue = options.venue ?? 'paper';
    for (const info of options.markets) {
      this.markets.set(info.symbol, {
        info,
        book: new OrderBook(),
        priceF: Number.NaN,
        volumeLeft: Infinity,
      });
    }
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

  /**
   * True when no resting order of the market lies within [lowF, highF], so a path inside that range
   * fills nothing (strict float comparisons decide it exactly: float images keep the decimals' order).
   */
  quietWithin(symbol: string, lowF: number, highF: number): boolean {
    const { buys, sells } = this.state(symbol).book;
    const buy = buys[0];
    const sell = sells[0];
    return (buy === undefined || buy.priceF < lowF) && (sell === undefined || sell.priceF > highF);
  }

  /**
   * The open price band of the market (best resting buy, best resting sell; ∓Infinity for none): a path
   * strictly inside it fills nothing.
   */
  quietBand(symbol: string): { below: number; above: number } {
    const { buys, sells } = this.state(symbol).book;
    return {
      below: buys[0]?.priceF ?? Number.NEGATIVE_INFINITY,
      above: sells[0]?.priceF ?? Number.POSITIVE_INFINITY,
    };
  }

  /** The exact price of the best resting buy (`down`) or sell, which `nextTrigger` reported. */
  triggerPrice(symbol: string, down: boolean): Dec {
    const book = this.state(symbol).book;
    const best = down ? book.buys[0] : book.sells[0];
    if (!best) throw new Error(`paper: no resting ${down ? 'buy' : 'sell'} on ${symbol}`);
    return best.price;
  }

  /**
   * Moves the price to `price` and fills every resting order it reaches: at the order's price, or at
   * `price` itself when `gap` (the bar opened through the order).
   */
  moveTo(symbol: string, price: Dec, priceF: number, gap = false): void {
    const m = this.state(symbol);
    m.price = price;
    m.priceF = priceF;
    if (m.book.size === 0) return;
    for (const resting of m.book.crossedBy(priceF)) {
      if (m.volumeLeft <= 0) break;
      this.fillResting(m, resting, gap ? price : resting.price);
    }
  }

  createOrder(request: OrderRequest): Promise<OrderSnapshot> {
    try {
      return Promise.resolve(this.place(request));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  createOrderNow(request: OrderRequest): OrderSnapshot {
    return this.place(request);
  }

  cancelOrder(clientOrderId: string, symbol: string): Promise<OrderSnapshot> {
    try {
      return Promise.resolve(this.cancelOrderNow(clientOrderId, symbol));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
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
    for (const o of this.open.values())
      if (symbol === undefined || o.snapshot.symbol === symbol) open.push(o.snapshot);
    return Promise.resolve(open);
  }

  fetchBalance(): Promise<Balances> {
    return Promise.resolve(this.balances.snapshot());
  }

  fetchMyTrades(symbol: string, since?: number): Promise<readonly Fill[]> {
    const all = this.fills.get(symbol) ?? [];
    return Promise.resolve(since === undefined ? [...all] : all.filter((f) => f.ts >= since));
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
    const orders = [...this.open.values()]
      .filter((o) => mine(o.snapshot.clientOrderId))
      .map((o) => ({ ...o, snapshot: { ...o.snapshot } }));
    return { orders, counters: { arrival: this.arrival, trades: this.tradeCounter } };
  }

  /** Puts checkpointed open orders back on the book with their reservations (restart of a paper run). */
  restoreOrders(orders: readonly PaperOrder[], counters: PaperCounters): void {
    this.arrival = Math.max(this.arrival, counters.arrival);
    this.tradeCounter = Math.max(this.tradeCounter, counters.trades);
    for (const order of orders) {
      const m = this.state(order.snapshot.symbol);
      const copy = { ...order, snapshot: { ...order.snapshot } };
      this.orders.set(order.snapshot.clientOrderId, copy);
      this.track(copy);
      this.balances.reserveRestored(m.info, order.snapshot.side, order.reserved);
      if (order.snapshot.type === 'limit') m.book.add(restingOf(order.snapshot, ++this.arrival));
    }
  }

  private place(request: OrderRequest): OrderSnapshot {
    const m = this.state(request.symbol);
    const live = this.orders.get(request.clientOrderId);
    if (live && (live.snapshot.status === 'Open' || live.snapshot.status === 'PartiallyFilled')) {
      throw new ExchangeRejectedError(
        'duplicate-client-order-id',
        `paper: order ${request.clientOrderId} is already open`,
      );
    }
    if (m.price === undefined)
      throw new ExchangeRejectedError('no-price', `paper: no price yet for ${request.symbol}`);
    if (request.type === 'limit' && request.price === undefined) {
      throw new ExchangeRejectedError(
        'missing-price',
        `paper: limit order ${request.clientOrderId} has no price`,
      );
    }
    const marketable = request.type === 'market' || crosses(request, m.priceF);
    if (marketable && request.postOnly === true) {
      throw new ExchangeRejectedError(
        'post-only-would-take',
        `paper: post-only ${request.clientOrderId} would take liquidity`,
      );
    }
    const reservePrice = request.price ?? this.takerPrice(m, request.side);
    const reserved = this.balances.reserve(
      m.info,
      request.side,
      request.amount,
      reservePrice,
      request.reduceOnly === true,
    );
    const order: PaperOrder = {
      snapshot: this.acknowledgement(request),
      remaining: request.amount,
      reserved,
    };
    this.orders.set(request.clientOrderId, order);
    this.open.set(request.clientOrderId, order);
    if (marketable) {
      this.fill(m, order, this.takerPrice(m, request.side, request.price), 'taker');
    } else {
      // The acknowledgement is the returned snapshot; only later changes arrive as updates.
      m.book.add(restingOf(order.snapshot, this.arrival));
    }
    return order.snapshot;
  }

  /** The snapshot of a newly accepted order (a market order's has no price field, as requested). */
  private acknowledgement(request: OrderRequest): OrderSnapshot {
    const ts = this.options.clock.now();
    const { clientOrderId, symbol, side, type, price, amount } = request;
    const exchangeOrderId = `${this.venue}-${ts}-${++this.arrival}`;
    return price === undefined
      ? { clientOrderId, exchangeOrderId, symbol, side, type, amount, filled: '0', status: 'Open', ts }
      : {
          clientOrderId,
          exchangeOrderId,
          symbol,
          side,
          type,
          price,
          amount,
          filled: '0',
          status: 'Open',
          ts,
        };
  }

  private takerPrice(m: MarketState, side: 'buy' | 'sell', limit?: Dec): Dec {
    return takerPrice(m.info, m.price!, side, this.options.slippageBps ?? 0, limit);
  }

  private fillResting(m: MarketState, resting: RestingOrder, price: Dec): void {
    const order = this.orders.get(resting.clientOrderId);
    if (order) this.fill(m, order, price, 'maker');
  }

  private fill(m: MarketState, order: PaperOrder, price: Dec, liquidity: 'maker' | 'taker'): void {
    const qty = this.cappedQty(m, order.remaining);
    if (isZero(qty)) return;
    const fee = feeOf(m.info, this.options, { side: order.snapshot.side, qty, price, liquidity });
    const fill: Fill = {
      tradeId: `${this.venue}-t${++this.tradeCounter}`,
      clientOrderId: order.snapshot.clientOrderId,
      ts: this.options.clock.now(),
      side: order.snapshot.side,
      price,
      qty,
      fee: fee.amount,
      feeAsset: fee.asset,
      liquidity,
    };
    order.reserved = this.balances.settle(m.info, fill, order.reserved, order.remaining);
    order.remaining = sub(order.remaining, qty);
    const done = isZero(order.remaining);
    if (done) m.book.remove(order.snapshot.clientOrderId, order.snapshot.side);
    const list = this.fills.get(m.info.symbol);
    if (list) list.push(fill);
    else this.fills.set(m.info.symbol, [fill]);
    this.emit({ type: 'fill', symbol: m.info.symbol, fill });
    this.update(order, done ? 'Filled' : 'PartiallyFilled', add(order.snapshot.filled, qty));
  }

  private cappedQty(m: MarketState, remaining: Dec): Dec {
    if (m.volumeLeft === Infinity) return remaining; // no volume cap: the whole rest, nothing to track
    const capped = capToVolume(m.volumeLeft, remaining, m.info.precision.amount);
    m.volumeLeft = capped.volumeLeft;
    return capped.qty;
  }

  /** A new snapshot per change: listeners (and the events they store) keep the old one unchanged. */
  private update(order: PaperOrder, status: OrderSnapshot['status'], filled: Dec): void {
    order.snapshot = { ...order.snapshot, filled, status, ts: this.options.clock.now() };
    this.track(order);
    this.emit({ type: 'order', order: order.snapshot });
  }

  /** Keeps the open-order index in step with an order's status. */
  private track(order: PaperOrder): void {
    const { status, clientOrderId } = order.snapshot;
    if (status === 'Open' || status === 'PartiallyFilled') {
      if (!this.open.has(clientOrderId)) this.open.set(clientOrderId, order);
    } else this.open.delete(clientOrderId);
  }

  private emit(update: ExchangeUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  private state(symbol: string): MarketState {
    // The bar walk asks for the same market several times per bar: skip the map for a repeat.
    if (symbol === this.lastSymbol && this.lastState) return this.lastState;
    const m = this.markets.get(symbol);
    if (m) [this.lastSymbol, this.lastState] = [symbol, m];
    if (!m)
      throw new ExchangeRejectedError('unknown-market', `paper: no market ${symbol} on venue ${this.venue}`);
    return m;
  }
}
