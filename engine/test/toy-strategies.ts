/**
 * Tiny strategies for kernel and backtest tests (the real ones live in engine/src/strategies):
 * `buyLowSellHigh` rests a limit buy at `buyAt` and, once filled, a limit sell at `sellAt`, reporting
 * each buy+sell as a round trip; `marketOnDip` buys at market when woken below a price; `leveragedLong`
 * opens a futures long at start and holds it.
 */
import { dec, mul, str, sub, type Dec } from '../src/core/decimal.ts';
import type { Intent, StrategyDefinition, StrategyEvent } from '../src/kernel/strategy.ts';

/** A spot strategy for a test that only needs an event handler (and perhaps an initial state). */
export function aToyStrategy<S>(
  onEvent: StrategyDefinition<unknown, S>['onEvent'],
  init: () => S = () => ({}) as S,
): StrategyDefinition<unknown, S> {
  return {
    kind: 'grid',
    futures: false,
    normalizeParams: (raw) => raw,
    validate: () => [],
    init,
    phase: () => 'RUNNING',
    onEvent,
  };
}

interface ToyParams {
  readonly buyAt: Dec;
  readonly sellAt: Dec;
  readonly qty: Dec;
  readonly cycles?: number;
}

interface ToyState {
  readonly params: ToyParams;
  readonly holding: boolean;
  readonly cost: Dec;
  readonly cycles: number;
  readonly log: readonly string[];
}

function buy(p: ToyParams, cycle: number): Intent {
  return {
    type: 'place',
    key: 'buy',
    role: 'entry',
    idx: cycle % 46656,
    side: 'buy',
    orderType: 'limit',
    price: p.buyAt,
    qty: p.qty,
  };
}

/** Buy at `buyAt`, sell at `sellAt`, repeat up to `cycles` times. */
export const buyLowSellHigh: StrategyDefinition<ToyParams, ToyState> = {
  kind: 'grid',
  futures: false,
  normalizeParams: (raw) => raw as ToyParams,
  validate: () => [],
  init: (params) => ({ params, holding: false, cost: '0', cycles: 0, log: [] }),
  phase: (s) => (s.holding ? 'HOLDING' : 'WAITING'),
  onEvent(state, event: StrategyEvent, ctx) {
    const p = state.params;
    if (event.type === 'start') return { state, intents: [buy(p, 0)] };
    if (event.type !== 'order' || event.status !== 'filled' || !event.fill) return { state, intents: [] };
    const fill = event.fill;
    if (event.key === 'buy') {
      const feeQuote = fill.feeAsset === ctx.market.base ? mul(fill.fee, fill.price) : fill.fee;
      const cost = str(dec(mul(fill.price, fill.qty)).plus(feeQuote));
      const qty = fill.feeAsset === ctx.market.base ? sub(fill.qty, fill.fee) : fill.qty;
      const sell: Intent = {
        type: 'place',
        key: 'sell',
        role: 'exit',
        idx: state.cycles,
        side: 'sell',
        orderType: 'limit',
        price: p.sellAt,
        qty: floorLot(qty, ctx.market.precision.amount),
      };
      return { state: { ...state, holding: true, cost }, intents: [sell] };
    }
    const proceeds = str(dec(mul(fill.price, fill.qty)).minus(fill.fee));
    const cycles = state.cycles + 1;
    const more = p.cycles === undefined || cycles < p.cycles;
    return {
      state: { ...state, holding: false, cost: '0', cycles, log: [...state.log, `cycle ${cycles}`] },
      intents: more
        ? [buy(p, cycles)]
        : [{ type: 'transition', to: 'COMPLETED', reason: 'cycles done', terminal: true }],
      roundTrips: [{ pnl: sub(proceeds, state.cost), label: `cycle:${cycles}` }],
    };
  },
};

function floorLot(qty: Dec, lot: Dec): Dec {
  return str(dec(qty).dividedBy(lot).floor().times(lot));
}

interface DipParams {
  readonly below: Dec;
  readonly quoteAmount: Dec;
}

/** Sleeps until the price falls to `below`, then buys `quoteAmount` worth at market once. */
export const marketOnDip: StrategyDefinition<DipParams, { params: DipParams; done: boolean }> = {
  kind: 'btd',
  futures: false,
  normalizeParams: (raw) => raw as DipParams,
  validate: () => [],
  init: (params) => ({ params, done: false }),
  phase: (s) => (s.done ? 'BOUGHT' : 'WAITING'),
  onEvent(state, event) {
    if (state.done) return { state, intents: [] };
    if (event.type === 'price') {
      const intent: Intent = {
        type: 'place',
        key: 'dip',
        role: 'entry',
        idx: 0,
        side: 'buy',
        orderType: 'market',
        quoteAmount: state.params.quoteAmount,
      };
      return { state: { ...state, done: true }, intents: [intent] };
    }
    return { state, intents: [], wake: { below: state.params.below } };
  },
};

interface LongParams {
  readonly leverage: Dec;
  readonly qty: Dec;
  /** `sell` opens a short instead. */
  readonly side?: 'buy' | 'sell';
}

/** Opens a leveraged futures long (or short) at market on start and holds it. */
export const leveragedLong: StrategyDefinition<LongParams, { params: LongParams; liquidated: boolean }> = {
  kind: 'dca-futures',
  futures: true,
  normalizeParams: (raw) => raw as LongParams,
  validate: () => [],
  init: (params) => ({ params, liquidated: false }),
  phase: (s) => (s.liquidated ? 'LIQUIDATED' : 'IN_POSITION'),
  onEvent(state, event) {
    if (event.type === 'start') {
      return {
        state,
        intents: [
          { type: 'setLeverage', leverage: state.params.leverage, marginMode: 'isolated' },
          {
            type: 'place',
            key: 'long',
            role: 'base',
            idx: 0,
            side: state.params.side ?? 'buy',
            orderType: 'market',
            qty: state.params.qty,
          },
        ],
      };
    }
    if (event.type === 'liquidated') return { state: { ...state, liquidated: true }, intents: [] };
    return { state, intents: [] };
  },
};
