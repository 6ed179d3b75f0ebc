/** Test builders: markets, bar series and paper exchanges. */
import { ManualClock } from '../src/core/clock.ts';
import type { Dec } from '../src/core/decimal.ts';
import type { MarketInfo } from '../src/model/market.ts';
import { MARKETS } from '../src/markets/venues.ts';
import { ColumnarBars } from '../src/adapters/feeds/columns.ts';
import { PaperExchange, type PaperOptions } from '../src/adapters/paper/exchange.ts';

/** A shipped paper market with optional overrides (fees default to 0.1 % maker and taker). */
export function aMarket(symbol = 'BTC/USDT', overrides: Partial<MarketInfo> = {}): MarketInfo {
  const market = MARKETS.find((m) => m.venue === 'paper' && m.symbol === symbol);
  if (!market) throw new Error(`no paper market ${symbol}`);
  return { ...market, ...overrides };
}

/** One-minute bars from `[open, high, low, close]` rows (volume 10), starting at `start`. */
export function barsOf(
  rows: readonly (readonly [number, number, number, number])[],
  start = Date.UTC(2021, 4, 1),
  stepMs = 60_000,
): ColumnarBars {
  const n = rows.length;
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]!);
  return new ColumnarBars({
    ts: Float64Array.from({ length: n }, (_, i) => start + i * stepMs),
    open: col(0),
    high: col(1),
    low: col(2),
    close: col(3),
    volume: new Float64Array(n).fill(10),
  });
}

/** A paper exchange on one market with a manual clock. */
export function aPaperExchange(
  options: Partial<PaperOptions> & { market?: MarketInfo; balances?: Readonly<Record<string, Dec>> } = {},
): { exchange: PaperExchange; clock: ManualClock; market: MarketInfo } {
  const market = options.market ?? aMarket();
  const clock = new ManualClock(Date.UTC(2021, 4, 1));
  const exchange = new PaperExchange({
    ...options,
    markets: [market],
    clock,
    balances: options.balances ?? { USDT: '10000', BTC: '1' },
  });
  return { exchange, clock, market };
}

/** Spot DCA params for engine tests: a 50 USDT base order, five safety orders from 1 % down, 1 % take profit. */
export const aDcaParams = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  direction: 'long',
  baseOrder: { size: 50, sizeUnit: 'quote', orderType: 'market' },
  safetyOrders: {
    maxCount: 5,
    maxActive: 2,
    size: 50,
    sizeUnit: 'quote',
    deviationPct: 1,
    stepScale: 1.3,
    volumeScale: 1.5,
    orderType: 'limit',
  },
  takeProfit: { pct: 1, base: 'average', orderType: 'limit' },
  budget: { maxQuote: 750 },
  ...overrides,
});
