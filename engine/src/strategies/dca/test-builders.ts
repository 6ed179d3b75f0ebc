/**
 * Test builders for the DCA-family reducers: markets, contexts, params from the worked examples, order
 * events and a small runner that feeds events to a strategy and keeps the intents (STYLE.md: builders,
 * not fixture files). Used only by tests.
 */
import { abs, dec, div, gt, mul, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type {
  Intent,
  LedgerView,
  PlaceIntent,
  RoundTrip,
  StrategyContext,
  StrategyDefinition,
  StrategyEvent,
  StrategyResult,
  Wake,
} from '../../kernel/strategy.ts';
import type { Bar, MarketInfo } from '../../model/market.ts';
import { normalizeDcaParams } from './params.ts';
import type { DcaParams } from './params.ts';

/** A tick and lot small enough that rounding never shows at the 10-decimal precision of the vectors. */
export const FINE = '0.00000000000000000001';

/** A spot market (fine precision, no minimums, 0.1 % fees) with overrides. */
export function aMarket(overrides: Partial<MarketInfo> = {}): MarketInfo {
  return {
    venue: 'paper',
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    type: 'spot',
    precision: { price: FINE, amount: FINE },
    limits: { amount: {}, cost: {} },
    maker: '0.001',
    taker: '0.001',
    ...overrides,
  };
}

/** A linear perpetual with the given maintenance margin rate. */
export function aPerpMarket(overrides: Partial<MarketInfo> = {}): MarketInfo {
  return aMarket({
    symbol: 'BTC/USDT:USDT',
    settle: 'USDT',
    type: 'swap',
    linear: true,
    contractSize: '1',
    maker: '0.0005',
    taker: '0.0005',
    maintenanceMarginRate: '0.005',
    ...overrides,
  });
}

/** A context at `now` with a generous ledger. */
export function aCtx(
  market: MarketInfo,
  now: EpochMs = 0,
  ledger: Partial<LedgerView> = {},
): StrategyContext {
  return {
    now,
    market,
    ledger: { quote: '1000000', base: '1000000', reservedQuote: '0', reservedBase: '0', ...ledger },
    botKey: 'default/test-bot',
    runNumber: 1,
  };
}

/** Deep-merges plain objects (arrays and scalars are replaced). */
export function merge<T>(base: T, over: unknown): T {
  if (typeof over !== 'object' || over === null || Array.isArray(over))
    return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

/** Event builders. */
export const ev = {
  start: (price: Dec, ts: EpochMs = 0): StrategyEvent => ({ type: 'start', ts, price }),
  price: (price: Dec, ts: EpochMs = 0): StrategyEvent => ({ type: 'price', ts, price }),
  timer: (ts: EpochMs, name = 'timer'): StrategyEvent => ({ type: 'timer', ts, name }),
  signal: (action: string, ts: EpochMs = 0): StrategyEvent => ({ type: 'signal', ts, action, payload: {} }),
  bar: (close: Dec, ts: EpochMs = 0, extra: Partial<Bar> = {}): StrategyEvent => ({
    type: 'bar',
    ts,
    bar: { ts, open: close, high: close, low: close, close, volume: '1000', ...extra },
  }),
  accepted: (key: string, ts: EpochMs = 0): StrategyEvent => ({
    type: 'order',
    ts,
    key,
    status: 'accepted',
    filled: '0',
    amount: '0',
  }),
  /** A fill event with the fee in quote at `feeRate` of the notional (the worked examples' assumption). */
  fill: (key: string, price: Dec, qty: Dec, o: FillOptions = {}): StrategyEvent => {
    const fee = o.fee ?? mul(mul(price, qty), o.feeRate ?? '0.001');
    return {
      type: 'order',
      ts: o.ts ?? 0,
      key,
      status: o.partial ? 'partiallyFilled' : 'filled',
      fill: { price, qty, fee, feeAsset: o.feeAsset ?? 'USDT', liquidity: o.liquidity ?? 'taker' },
      filled: o.cumulative ?? qty,
      amount: o.amount ?? qty,
      price,
    };
  },
  closed: (
    key: string,
    status: 'cancelled' | 'rejected' | 'expired',
    ts: EpochMs = 0,
    filled: Dec = '0',
  ): StrategyEvent => ({
    type: 'order',
    ts,
    key,
    status,
    filled,
    amount: '0',
  }),
  stop: (
    closeAction: 'keep' | 'cancelOrders' | 'closePosition' | 'sellBase',
    ts: EpochMs = 0,
  ): StrategyEvent => ({
    type: 'stopRequested',
    ts,
    closeAction,
    reason: 'test',
  }),
  params: (params: unknown, ts: EpochMs = 0): StrategyEvent => ({
    type: 'paramsChanged',
    ts,
    params,
    changed: [],
  }),
};

/** Options of a fill event. */
export interface FillOptions {
  readonly fee?: Dec;
  readonly feeRate?: Dec;
  readonly feeAsset?: string;
  readonly partial?: boolean;
  readonly cumulative?: Dec;
  readonly amount?: Dec;
  readonly ts?: EpochMs;
  readonly liquidity?: 'maker' | 'taker';
}

/** Feeds events to a strategy, keeping state, every intent and the last wake. */
export class Runner<P, S> {
  readonly def: StrategyDefinition<P, S>;
  ctx: StrategyContext;
  state: S;
  readonly log: Intent[] = [];
  /** Every round trip reported so far (StrategyResult.roundTrips). */
  readonly trips: RoundTrip[] = [];
  last: StrategyResult<S> | undefined;
  constructor(def: StrategyDefinition<P, S>, params: P, ctx: StrategyContext) {
    this.def = def;
    this.ctx = ctx;
    this.state = def.init(params, ctx);
  }
  /** Applies events in order (the context's `now` follows each event's ts); returns the intents of the last one. */
  send(...events: StrategyEvent[]): Intent[] {
    let intents: readonly Intent[] = [];
    for (const e of events) {
      this.ctx = { ...this.ctx, now: Math.max(this.ctx.now, e.ts) };
      this.last = this.def.onEvent(this.state, e, this.ctx);
      this.state = this.last.state;
      intents = this.last.intents;
      this.log.push(...intents);
      this.trips.push(...(this.last.roundTrips ?? []));
    }
    return [...intents];
  }
  get wake(): Wake | undefined {
    return this.last?.wake;
  }
}

/** The place intents of a list. */
export const places = (intents: readonly Intent[]): PlaceIntent[] =>
  intents.filter((i): i is PlaceIntent => i.type === 'place');

/** The one place intent with `key`; throws with the keys present otherwise. */
export function placed(intents: readonly Intent[], key: string): PlaceIntent {
  const found = places(intents).find((i) => i.key === key);
  if (!found)
    throw new Error(
      `no place intent ${key}; got ${places(intents)
        .map((i) => i.key)
        .join(', ')}`,
    );
  return found;
}

/** Relative difference |a − b| / |b| (absolute when b = 0). */
export function relativeError(actual: Dec, expected: Dec): number {
  const diff = abs(str(dec(actual).minus(dec(expected))));
  return Number(gt(abs(expected), '0') ? div(diff, abs(expected)) : diff);
}

/** DCA-SPOT-1 inputs: long, base 10, SO1 10 USDT, n 3, d 2 %, r 1.5, v 2, tp 1.5 %, fee 0.1 % in quote. */
export function aDcaParams(overrides: unknown = {}): DcaParams {
  const base = {
    direction: 'long',
    baseOrder: { size: '10', sizeUnit: 'quote', orderType: 'market' },
    safetyOrders: {
      maxCount: 3,
      maxActive: 1,
      size: '10',
      deviationPct: '2',
      stepScale: '1.5',
      volumeScale: '2',
    },
    takeProfit: { pct: '1.5', base: 'average' },
    budget: { maxQuote: '100' },
    feeRateOverridePct: '0.1',
  };
  return normalizeDcaParams(merge(base, overrides));
}
