/** The spot grid reducer: routes each event, evaluates stops before trailing (§2.3), and asks for wake-ups. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext, StrategyEvent, StrategyResult } from '../../kernel/strategy.ts';
import { observePrice } from '../shared/pump.ts';
import { beginExit, spotCloseAction } from '../shared/spot-exit.ts';
import { pnlPct, settleRangePhase, triggeredStop } from '../shared/stops.ts';
import { stepResult } from '../shared/step.ts';
import { onOrder } from './fills.ts';
import { feeFraction, normalizeGridParams } from './params.ts';
import { initialize, latticeOf } from './start.ts';
import { ACTIVE_PHASES, invested, valueAt } from './state.ts';
import type { GridState } from './state.ts';
import { trail } from './trailing.ts';
import { stopRules, wakeOf } from './wake.ts';
import { withCurrentBook } from '../shared/book.ts';

const TERMINAL = ['STOPPED', 'COMPLETED', 'ERROR'];

/** One reducer step of the spot grid. */
export function gridOnEvent(
  state: GridState,
  event: StrategyEvent,
  ctx: StrategyContext,
): StrategyResult<GridState> {
  if (TERMINAL.includes(state.phase)) return { state, intents: [] };
  // A state restored from a checkpoint of older code may hold its book in the keyed-object shape.
  const [next, intents] = route(withCurrentBook(state), event, ctx);
  return stepResult(next, intents, wakeOf(next));
}

function route(state: GridState, event: StrategyEvent, ctx: StrategyContext): [GridState, Intent[]] {
  // Most frequent first: fills, then prices.
  switch (event.type) {
    case 'order':
      return onOrder(state, event, ctx);
    case 'price':
      return onPrice(state, event.price, event.ts, ctx);
    case 'start':
      return state.phase === 'NEW' ? onStart(state, event.price, event.ts, ctx) : [state, []];
    case 'bar':
      return onPrice(state, event.bar.close, event.ts, ctx);
    case 'timer':
      return onTimer(state, event.name, event.ts, ctx);
    case 'stopRequested':
      if (state.phase === 'STOPPING') return [state, []];
      return beginExit(
        state,
        { reason: event.reason, outcome: 'STOPPED', closeAction: spotCloseAction(event.closeAction) },
        ctx.market,
      );
    case 'paramsChanged':
      return [withParams(state, event.params, ctx), []];
    case 'signal':
    case 'liquidated':
      return [state, []];
  }
}

function onStart(state: GridState, price: Dec, ts: EpochMs, ctx: StrategyContext): [GridState, Intent[]] {
  const trigger = state.params.triggerPrice;
  if (trigger === undefined) return initialize(state, price, ts, ctx);
  const armed: GridState = {
    ...state,
    phase: 'ARMED',
    armedAbove: dec(price).lessThan(trigger),
    lastPrice: price,
  };
  return [armed, [{ type: 'transition', to: 'ARMED', reason: 'WAITING_FOR_TRIGGER' }]];
}

function onPrice(state: GridState, price: Dec, ts: EpochMs, ctx: StrategyContext): [GridState, Intent[]] {
  const observed: GridState = {
    ...state,
    lastPrice: price,
    pump: observePrice(state.pump, state.params.pumpProtection, ts, price),
  };
  if (observed.phase === 'ARMED') {
    const trigger = observed.params.triggerPrice!;
    const crossed =
      observed.armedAbove === true
        ? dec(price).greaterThanOrEqualTo(trigger)
        : dec(price).lessThanOrEqualTo(trigger);
    return crossed ? initialize(observed, trigger, ts, ctx) : [observed, []];
  }
  if (!ACTIVE_PHASES.includes(observed.phase)) return [observed, []];
  const rules = stopRules(observed);
  // PnL is only worth a valuation when a PnL rule can read it.
  const pnl = rules.some((r) => r.when === 'pnlBelow' || r.when === 'pnlAbove')
    ? pnlPct(valueAt(observed, price), invested(observed))
    : undefined;
  const stop = triggeredStop(rules, price, pnl);
  if (stop) {
    return beginExit(
      observed,
      { reason: stop.reason, outcome: stop.outcome, closeAction: observed.params.closeAction },
      ctx.market,
    );
  }
  const trailed = trail(observed, price, ts, ctx);
  return settlePhase(trailed.state, price, trailed.paused, trailed.intents);
}

function onTimer(state: GridState, name: string, ts: EpochMs, ctx: StrategyContext): [GridState, Intent[]] {
  if (name === 'compound') return [compound(state, ts, ctx), []];
  return state.lastPrice !== undefined ? onPrice(state, state.lastPrice, ts, ctx) : [state, []];
}

/** §2.3 compounding: fold the profit pool into `Q` once it covers a minimum order per interval. */
function compound(state: GridState, ts: EpochMs, ctx: StrategyContext): GridState {
  const p = state.params;
  const next = { ...state, nextCompoundTs: ts + p.compound.intervalHours * 3_600_000 };
  const n = state.lattice ? state.lattice.iMax - state.lattice.iMin : 0;
  const floor = dec(ctx.market.limits.cost.min ?? '0').times(n);
  if (
    !p.compound.enabled ||
    p.orderSizeMode !== 'quote' ||
    n === 0 ||
    dec(state.profitPool).lessThan(floor) ||
    dec(state.profitPool).isZero()
  ) {
    return next;
  }
  return { ...next, size: str(dec(state.size).plus(dec(state.profitPool).dividedBy(n))), profitPool: '0' };
}

/** Chooses RUNNING, PAUSED(PUMP_PROTECTION) or OUT_OF_RANGE_UP/DOWN and records the change (§2.4). */
function settlePhase(
  state: GridState,
  price: Dec,
  paused: boolean,
  intents: Intent[],
): [GridState, Intent[]] {
  return settleRangePhase(state, latticeOf(state), state.book, price, paused, intents);
}

/** Applies hot (H0) params: stops, trailing, pump protection, compounding; the lattice and sizing stay. */
function withParams(state: GridState, raw: unknown, ctx: StrategyContext): GridState {
  const params = normalizeGridParams(raw);
  const { stopLossPrice: _old, ...rest } = state;
  const stop = params.stopLoss.price;
  return {
    ...rest,
    params,
    fee: feeFraction(params.feeRatePct, ctx.market),
    ...(stop !== undefined ? { stopLossPrice: stop } : {}),
  };
}
