/**
 * A fake Binance spot REST venue on 127.0.0.1 for the real ccxt client: the subset of `/api/v3` that
 * ccxt's `binance` calls for orders, trades and balances, with Binance's JSON shapes (decimals as
 * 8-decimal padded text, `{code, msg}` errors) and test hooks: `trade(price)` prints a trade, and
 * `failNext(kind)` makes the next order request time out after it was accepted, throttle (429 with
 * Retry-After), be refused for balance (-2010), find the server busy (-1004) or meet an unavailable
 * venue (503).
 * Signatures are not checked (a test double at the outer edge); the API-key header must be present.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dec } from '../../src/core/decimal.ts';
import type { MarketInfo } from '../../src/model/market.ts';
import { ccxtMarketId } from '../../src/adapters/ccxt/convert.ts';
import { fmt, orderJson, tradeJson } from './fake-binance-json.ts';
import { BinanceError, FakeBook, isOpen, type FakeOrder, type NewOrder } from './fake-binance-book.ts';

/** A failure the next matching request meets. */
export type FailureKind = 'timeout' | 'rate-limit' | 'insufficient-balance' | 'unavailable' | 'busy';

/** Settings of a fake venue. */
export interface FakeBinanceOptions {
  readonly markets: readonly MarketInfo[];
  readonly balances: Readonly<Record<string, Dec>>;
  /** Venue time (order and trade timestamps). */
  readonly now?: () => number;
  /** Seconds sent in `Retry-After` with a 429. */
  readonly retryAfterSec?: number;
}

type Query = URLSearchParams;
type Handler = (q: Query) => unknown;

/** A fake Binance spot venue listening on 127.0.0.1. */
export class FakeBinance {
  readonly book: FakeBook;
  /** `http://127.0.0.1:PORT`: point ccxt's API URLs here. */
  url = '';
  /** Requests served, by `METHOD /path`. */
  readonly requests = new Map<string, number>();
  private readonly server: Server;
  private readonly failures: { route: string; kind: FailureKind }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly options: FakeBinanceOptions;
  private readonly routes: Record<string, Handler>;

  private constructor(options: FakeBinanceOptions) {
    this.options = options;
    const now = options.now ?? (() => Date.now());
    this.book = new FakeBook(options.markets, options.balances, now);
    this.server = createServer((req, res) => this.serve(req, res));
    this.routes = {
      'GET /api/v3/time': () => ({ serverTime: now() }),
      'GET /api/v3/ping': () => ({}),
      'POST /api/v3/order': (q) => this.newOrder(q),
      'GET /api/v3/order': (q) => this.getOrder(q),
      'DELETE /api/v3/order': (q) => this.cancelOrder(q),
      'GET /api/v3/openOrders': (q) =>
        this.book.orders
          .filter((o) => isOpen(o) && (!q.has('symbol') || o.symbol === q.get('symbol')))
          .map(orderJson),
      'GET /api/v3/myTrades': (q) => this.myTrades(q),
      'GET /api/v3/account': () => ({
        makerCommission: 10,
        takerCommission: 10,
        buyerCommission: 0,
        sellerCommission: 0,
        canTrade: true,
        canWithdraw: true,
        canDeposit: true,
        brokered: false,
        requireSelfTradePrevention: false,
        updateTime: now(),
        accountType: 'SPOT',
        balances: this.book
          .balanceRows()
          .map((b) => ({ asset: b.asset, free: fmt(b.free), locked: fmt(b.locked) })),
        permissions: ['SPOT'],
      }),
    };
  }

  /** Starts a fake venue on an ephemeral loopback port. */
  static async start(options: FakeBinanceOptions): Promise<FakeBinance> {
    const fake = new FakeBinance(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** A trade prints on a unified symbol (`BTC/USDT`): resting limits it reaches fill at their price. */
  trade(symbol: string, price: Dec): void {
    this.book.trade(this.idOf(symbol), price);
  }

  /** The next request to `route` (default: placing an order) meets this failure. */
  failNext(kind: FailureKind, route = 'POST /api/v3/order'): void {
    this.failures.push({ route, kind });
  }

  /** Every order the venue holds with this client id (to prove an order was not sent twice). */
  ordersWithClientId(clientOrderId: string): FakeOrder[] {
    return this.book.orders.filter((o) => o.clientOrderId === clientOrderId);
  }

  /** Stops listening and drops held-open responses. */
  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private idOf(symbol: string): string {
    const m = this.options.markets.find((x) => x.symbol === symbol);
    if (!m) throw new Error(`fake binance: no market ${symbol}`);
    return ccxtMarketId(m);
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.dispatch(req, res, Buffer.concat(chunks).toString('utf8')));
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
    const query = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) query.set(k, v);
    const handler = this.routes[route];
    if (!handler) return send(res, 404, { code: -1, msg: `fake binance: no route ${route}` });
    const signed = route !== 'GET /api/v3/time' && route !== 'GET /api/v3/ping';
    if (signed && !req.headers['x-mbx-apikey'])
      return send(res, 401, { code: -2014, msg: 'API-key format invalid.' });
    if (signed && !query.get('signature')) {
      return send(res, 400, {
        code: -1102,
        msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      });
    }
    const i = this.failures.findIndex((f) => f.route === route);
    const failure = i >= 0 ? this.failures.splice(i, 1)[0]!.kind : undefined;
    if (failure !== undefined && failure !== 'timeout') return this.fail(res, failure);
    try {
      const result = handler(query);
      // Accepted and done, but the answer never comes: the client's timeout decides.
      if (failure === 'timeout') return this.hang(res);
      send(res, 200, result);
    } catch (error) {
      if (!(error instanceof BinanceError)) throw error;
      send(res, error.status, { code: error.code, msg: error.message });
    }
  }

  private fail(res: ServerResponse, kind: Exclude<FailureKind, 'timeout'>): void {
    if (kind === 'rate-limit') {
      res.setHeader('Retry-After', String(this.options.retryAfterSec ?? 3));
      return send(res, 429, {
        code: -1003,
        msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.',
      });
    }
    if (kind === 'busy')
      return send(res, 400, { code: -1004, msg: 'Server is busy, please wait and try again' });
    if (kind === 'insufficient-balance') {
      return send(res, 400, { code: -2010, msg: 'Account has insufficient balance for requested action.' });
    }
    res
      .writeHead(503, { 'Content-Type': 'text/html' })
      .end('<html><body>503 Service Unavailable</body></html>');
  }

  private hang(res: ServerResponse): void {
    this.hanging.add(res);
    res.on('close', () => this.hanging.delete(res));
  }

  private newOrder(q: Query): Record<string, unknown> {
    const type = q.get('type');
    if (type !== 'LIMIT' && type !== 'LIMIT_MAKER' && type !== 'MARKET') {
      throw new BinanceError(400, -1116, 'Invalid orderType.');
    }
    const side = q.get('side');
    if (side !== 'BUY' && side !== 'SELL') throw new BinanceError(400, -1117, 'Invalid side.');
    const quantity = q.get('quantity');
    const price = q.get('price');
    if (!quantity) throw new BinanceError(400, -1102, "Mandatory parameter 'quantity' was not sent.");
    if (type !== 'MARKET' && !price)
      throw new BinanceError(400, -1102, "Mandatory parameter 'price' was not sent.");
    const request: NewOrder = {
      symbol: q.get('symbol') ?? '',
      side,
      type,
      quantity,
      ...(type === 'MARKET' || !price ? {} : { price }),
      clientOrderId: q.get('newClientOrderId') ?? `fake${this.book.orders.length + 1}`,
    };
    const order = this.book.place(request);
    const fills = this.book.trades
      .filter((t) => t.orderId === order.orderId)
      .map((t) => ({
        price: fmt(t.price),
        qty: fmt(t.qty),
        commission: fmt(t.commission),
        commissionAsset: t.commissionAsset,
        tradeId: t.id,
      }));
    const json = orderJson(order);
    const fields = ['symbol', 'orderId', 'orderListId', 'clientOrderId', 'price', 'origQty', 'executedQty'];
    const more = ['origQuoteOrderQty', 'cummulativeQuoteQty', 'status', 'timeInForce', 'type', 'side'];
    const full: Record<string, unknown> = { transactTime: order.time };
    for (const key of [...fields, ...more, 'workingTime', 'selfTradePreventionMode']) full[key] = json[key];
    return { ...full, fills };
  }

  private getOrder(q: Query): Record<string, unknown> {
    const order = this.book.find(q.get('symbol') ?? '', reference(q));
    if (!order) throw new BinanceError(400, -2013, 'Order does not exist.');
    return orderJson(order);
  }

  private cancelOrder(q: Query): Record<string, unknown> {
    const order = this.book.cancel(q.get('symbol') ?? '', reference(q));
    const json = orderJson(order);
    return {
      ...json,
      origClientOrderId: order.clientOrderId,
      clientOrderId: q.get('newClientOrderId') ?? `cancel${order.orderId}`,
      transactTime: order.updateTime,
    };
  }

  private myTrades(q: Query): Record<string, unknown>[] {
    const symbol = q.get('symbol') ?? '';
    const start = Number(q.get('startTime') ?? '0');
    const end = Number(q.get('endTime') ?? String(Number.MAX_SAFE_INTEGER));
    return this.book.trades
      .filter((t) => t.symbol === symbol && t.time >= start && t.time <= end)
      .map(tradeJson);
  }
}

function reference(q: Query): { clientOrderId?: string; orderId?: number } {
  const clientOrderId = q.get('origClientOrderId');
  if (clientOrderId) return { clientOrderId };
  const orderId = q.get('orderId');
  if (orderId) return { orderId: Number(orderId) };
  throw new BinanceError(
    400,
    -1102,
    "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
}
