/**
 * The ccxt client as the adapter uses it, and a factory that prepares a real ccxt exchange: markets
 * set offline from shipped metadata (no `loadMarkets` round trip, and so no cached failed promise —
 * FACTS.md), decimals kept as text (`number = String`), and optionally every API URL pointed at another
 * origin (a local fake venue in tests, a proxy in production).
 */
import ccxt from 'ccxt';
import type { MarketInfo } from '../../model/market.ts';
import type { CcxtBalance, CcxtOrder, CcxtTrade } from './convert.ts';
import { toCcxtMarket } from './convert.ts';

type Params = Record<string, unknown>;

/** The subset of a ccxt exchange instance the adapter calls. */
export interface CcxtClient {
  readonly id: string;
  /** Headers of the last response (ccxt keeps them), read for `Retry-After`. */
  readonly last_response_headers?: Record<string, string> | undefined;
  createOrder(
    symbol: string,
    type: string,
    side: string,
    amount: number,
    price?: number,
    params?: Params,
  ): Promise<CcxtOrder>;
  cancelOrder(id: string, symbol?: string, params?: Params): Promise<CcxtOrder>;
  fetchOrder(id: string, symbol?: string, params?: Params): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  fetchBalance(params?: Params): Promise<CcxtBalance>;
}

/** How to build a ccxt client for a venue. Credentials are resolved by the caller and never logged. */
export interface CcxtClientOptions {
  /** ccxt exchange id (`binance`, `bybit`, `okx`, …). */
  readonly exchangeId: string;
  readonly apiKey: string;
  readonly secret: string;
  /** The venue's markets (from engine/src/markets/venues.ts or the venue), set without a network call. */
  readonly markets: readonly MarketInfo[];
  /** Replace the origin of every API URL with this one (`http://127.0.0.1:PORT`). */
  readonly apiOrigin?: string;
  /** Request timeout; a create that times out is an Unknown outcome. ccxt's default is 10 s. */
  readonly timeoutMs?: number;
  /** ccxt's client-side throttle (on by default; a fake venue in tests may turn it off). */
  readonly enableRateLimit?: boolean;
}

interface ExchangeInstance extends CcxtClient {
  number: unknown;
  urls: { api: Record<string, unknown> };
  setMarkets(markets: unknown): unknown;
  /** Binance picks market-type error tables by URL host; present on ccxt's binance family only. */
  getExceptionsByUrl?: (url: string, exactOrBroad: string) => unknown;
}

type ExchangeConstructor = new (config: Params) => ExchangeInstance;

/**
 * Amounts and prices go to ccxt as decimal text: its precision helpers accept strings, which keeps
 * values like 0.1 from passing through a double. ccxt's types say `number`, hence this one cast.
 */
export function asCcxtNumber(value: string): number {
  return value as unknown as number;
}

/** Re-points every API URL at `origin`; returns each new URL with the URL it replaced. */
function pointAt(
  urls: Record<string, unknown>,
  origin: string,
  moved: [string, string][] = [],
): [string, string][] {
  const base = origin.replace(/\/+$/, '');
  for (const [key, value] of Object.entries(urls)) {
    if (typeof value === 'string') {
      const next = value.replace(/^https?:\/\/[^/]+/, base);
      urls[key] = next;
      moved.push([next, value]);
    } else if (value !== null && typeof value === 'object') {
      pointAt(value as Record<string, unknown>, base, moved);
    }
  }
  // Longest first, so `/api/v3` is not mistaken for `/api`.
  return moved.sort(([a], [b]) => b.length - a.length);
}

/**
 * Keeps venue error tables that ccxt selects by URL host (Binance: spot, linear, …) working after the
 * URLs moved, so a fake or proxied venue's errors classify exactly as the real venue's would.
 */
function keepErrorTables(client: ExchangeInstance, moved: readonly [string, string][]): void {
  const original = client.getExceptionsByUrl?.bind(client);
  if (original === undefined) return;
  client.getExceptionsByUrl = (url, exactOrBroad) => {
    const hit = moved.find(([now]) => url.startsWith(now));
    return original(hit ? hit[1] + url.slice(hit[0].length) : url, exactOrBroad);
  };
}

/** Creates a ccxt exchange for the adapter: markets set offline, decimals as text, URLs re-pointed. */
export function createCcxtClient(options: CcxtClientOptions): CcxtClient {
  const ctor = (ccxt as unknown as Record<string, ExchangeConstructor | undefined>)[options.exchangeId];
  if (typeof ctor !== 'function') throw new Error(`ccxt: no exchange "${options.exchangeId}"`);
  const client = new ctor({
    apiKey: options.apiKey,
    secret: options.secret,
    timeout: options.timeoutMs ?? 10_000,
    enableRateLimit: options.enableRateLimit ?? true,
  });
  // Unified structures then carry the venue's decimal text instead of parsed floats (see convert.ts).
  client.number = String;
  if (options.apiOrigin !== undefined) keepErrorTables(client, pointAt(client.urls.api, options.apiOrigin));
  client.setMarkets(options.markets.map(toCcxtMarket));
  return client;
}
