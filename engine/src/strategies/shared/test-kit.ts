/**
 * Test support for grid-family reducers: market and context builders, and a small exchange walk that fills
 * resting limit orders as the price moves (path order, fill at the limit price) and market orders at the
 * current price, with the document's fee models. It stands in for the kernel at the outer edge only.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type {
  Intent,
  PlaceIntent,
  RoundTrip,
  StrategyContext,
  StrategyDefinition,
  StrategyEvent,
} from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { FeeModel } from './profit.ts';

/** A BASE/USDT market with fine precision so worked examples are not disturbed by lot rounding. */
export function aMarket(overrides: Partial<MarketInfo> = {}): MarketInfo {
  return {
    venue: 'paper',
    symbol: 'BASE/USDT',
    base: 'BASE',
    quote: 'USDT',
    type: 'spot',
    precision: { price: '0.01', amount: '0.000000000001' },
    limits: { amount: { min: '0.000000000001' }, cost: { min: '10' } },
    maker: '0.001',
    taker: '0.001',
    ...overrides,
  };
}

/** A strategy context at time `now` on `market`. */
export function aContext(market: MarketInfo = aMarket(), now = 0): StrategyContext {
  return {
    now,
    market,
    ledger: { quote: '0', base: '0', reservedQuote: '0', reservedBase: '0' },
    botKey: 'test/bot',
    runNumber: 1,
  };
}

/** A running simulation of one strategy. Plain data plus the definition. */
export interface Sim<S> {
  readonly def: StrategyDefinition<never, S>;
  readonly state: S;
  readonly market: MarketInfo;
  readonly price: Dec;
  readonly ts: number;
  readonly feeRate: Dec;
  readonly feeModel: FeeModel;
  /** Orders the simulated exchange holds, by key. */
  readonly live: Readonly<Record<string, PlaceIntent>>;
  /** Every intent the strategy emitted, in order. */
  readonly intents: readonly Intent[];
  /** Every round trip the strategy reported, in order. */
  readonly roundTrips: readonly RoundTrip[];
  readonly fills: readonly {
    readonly key: string;
    readonly side: string;
    readonly price: Dec;
    readonly qty: Dec;
    readonly fee: Dec;
  }[];
}

/** Starts a simulation: `init` then a `start` event at `price`. */
export function startSim<P, S>(
  def: StrategyDefinition<P, S>,
  params: P,
  price: Dec,
  options: { market?: MarketInfo; feeModel?: FeeModel; feeRate?: Dec } = {},
): Sim<S> {
  const market = options.market ?? aMarket();
  const state = def.init(params, aContext(market, 0));
  const sim: Sim<S> = {
    def: def as unknown as StrategyDefinition<never, S>,
    state,
    market,
    price,
    ts: 0,
    feeRate: options.feeRate ?? '0.001',
    feeModel: options.feeModel ?? 'FEE_IN_RECEIVED_ASSET',
    live: {},
    intents: [],
    roundTrips: [],
    fills: [],
  };
  return send(sim, { type: 'start', ts: 0, price });
}

/** Sends one event and settles what the exchange does at once (market fills, cancel acks). */
export function send<S>(sim: Sim<S>, event: StrategyEvent): Sim<S> {
  const result = sim.def.onEvent(sim.state, event, aContext(sim.market, sim.ts));
  let next: Sim<S> = {
    ...sim,
    state: result.state,
    intents: [...sim.intents, ...result.intents],
    roundTrips: [...sim.roundTrips, ...(result.roundTrips ?? [])],
  };
  for (const intent of result.intents) {
    if (intent.type === 'place') next = { ...next, live: { ...next.live, [intent.key]: intent } };
    if (intent.type === 'cancel' && next.live[intent.key]) {
      const placed = next.live[intent.key]!;
      next = { ...next, live: without(next.live, intent.key) };
      next = send(next, {
        type: 'order',
        ts: next.ts,
        key: intent.key,
        status: 'cancelled',
        filled: '0',
        amount: placed.qty ?? '0',
      });
    }
  }
  for (const intent of result.intents) {
    if (intent.type === 'place' && intent.orderType === 'market' && next.live[intent.key])
      next = fill(next, intent.key, next.price);
  }
  return next;
}

/** Fills the live order `key` completely at `price`. */
export function fill<S>(sim: Sim<S>, key: string, price: Dec): Sim<S> {
  const order = sim.live[key];
  if (!order) throw new Error(`sim: no live order ${key}`);
  const qty = order.qty ?? str(dec(order.quoteAmount!).dividedBy(price));
  const feeInBase = sim.feeModel === 'FEE_IN_RECEIVED_ASSET' && order.side === 'buy';
  const fee = feeInBase ? str(dec(qty).times(sim.feeRate)) : str(dec(qty).times(price).times(sim.feeRate));
  const feeAsset = feeInBase ? sim.market.base : sim.market.quote;
  const liquidity = order.orderType === 'market' ? ('taker' as const) : ('maker' as const);
  const moved: Sim<S> = {
    ...sim,
    price,
    live: without(sim.live, key),
    fills: [...sim.fills, { key, side: order.side, price, qty, fee }],
  };
  return send(moved, {
    type: 'order',
    ts: sim.ts,
    key,
    status: 'filled',
    fill: { price, qty, fee, feeAsset, liquidity },
    filled: qty,
    amount: qty,
    price,
  });
}

/**
 * Moves the price to `target`: fills every resting limit order the path crosses, nearest first (orders
 * placed on the way can fill too), then sends a `price` event at the target.
 */
export function moveTo<S>(sim: Sim<S>, target: Dec, ts = sim.ts + 1000): Sim<S> {
  let current: Sim<S> = { ...sim, ts };
  const down = dec(target).lessThan(current.price);
  for (let guard = 0; guard < 10_000; guard++) {
    const crossed = Object.values(current.live)
      .filter((o) => o.orderType === 'limit' && o.price !== undefined)
      .filter((o) =>
        down
          ? o.side === 'buy' && dec(o.price!).greaterThanOrEqualTo(target)
          : o.side === 'sell' && dec(o.price!).lessThanOrEqualTo(target),
      )
      .filter((o) =>
        down
          ? dec(o.price!).lessThanOrEqualTo(current.price)
          : dec(o.price!).greaterThanOrEqualTo(current.price),
      )
      .sort((a, b) => (down ? dec(b.price!).comparedTo(a.price!) : dec(a.price!).comparedTo(b.price!)));
    const next = crossed[0];
    if (!next) break;
    current = fill(current, next.key, next.price!);
  }
  return send({ ...current, price: target }, { type: 'price', ts, price: target });
}

/** Round-trips the strategy state through JSON (what a restart from the store does). */
export function reloaded<S>(sim: Sim<S>): Sim<S> {
  return { ...sim, state: JSON.parse(JSON.stringify(sim.state)) as S };
}

/** The live orders as `side@price qty`, sorted by price descending, for readable assertions. */
export function book<S>(sim: Sim<S>): string[] {
  return Object.values(sim.live)
    .filter((o) => o.price !== undefined)
    .sort((a, b) => dec(b.price!).comparedTo(a.price!))
    .map((o) => `${o.side}@${o.price!} ${o.qty ?? o.quoteAmount!}`);
}

/** Asserts-free numeric distance, for tolerance checks in tests. */
export const distance = (a: Dec, b: Dec): number => dec(a).minus(b).abs().toNumber();

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
