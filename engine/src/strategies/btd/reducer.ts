/** The BTD reducer: routes events, evaluates the (upper) stop and base-PnL rules before trailing (§3.3). */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import { aboveTop, belowBottom } from '../shared/lattice.ts';
import { observePrice, pumpReleaseTs } from '../shared/pump.ts';
import { beginExit, spotCloseAction } from '../shared/spot-exit.ts';
import {
  mergeWakes,
  pnlPct,
  settleRangePhase,
  spotStopRules,
  stopWake,
  triggeredStop,
} from '../shared/stops.ts';
import type { StopRule } from '../shared/stops.ts';
import { stepResult } from '../shared/step.ts';
import { onOrder } from './fills.ts';
import { normalizeBtdParams } from './params.ts';
import { initialize, latticeOf } from './start.ts';
import { valueBase } from './state.ts';
import type { BtdState } from './state.ts';
import { trail } from './trailing.ts';
import { withCurrentBook } from '../shared/book.ts';

const TERMINAL = ['STOPPED', 'COMPLETED', 'ERROR'];
const ACTIVE = ['RUNNING', 'PAUSED', 'OUT_OF_RANGE_UP', 'OUT_OF_RANGE_DOWN'];

/** One reducer step of BTD. */
export function btdOnEvent(
  state: BtdState,
  event: StrategyEvent,
  ctx: StrategyContext,
): StrategyResult<BtdState> {
  if (TERMINAL.includes(state.phase)) return { state, intents: [] };
  // A state restored from a checkpoint of older code may hold its book in the keyed-object shape.
  const [next, intents] = route(withCurrentBook(state), event, ctx);
  return stepResult(next, intents, wakeOf(next));
}

function route(state: BtdState, event: StrategyEvent, ctx: StrategyContext): [BtdState, Intent[]] {
  switch (event.type) {
    case 'start': {
      if (state.phase !== 'NEW') return [state, []];
      const trigger = state.params.triggerPrice;
      if (trigger === undefined) return initialize(state, event.price, ctx);
      return [
        { ...state, phase: 'ARMED', armedAbove: dec(event.price).lessThan(trigger), lastPrice: event.price },
        [{ type: 'transition', to: 'ARMED', reason: 'WAITING_FOR_TRIGGER' }],
      ];
    }
    case 'price':
      return onPrice(state, event.price, event.ts, ctx);
    case 'bar':
      return onPrice(state, event.bar.close, event.ts, ctx);
    case 'timer':
      return state.lastPrice !== undefined ? onPrice(state, state.lastPrice, event.ts, ctx) : [state, []];
    case 'order':
      return onOrder(state, event, ctx);
    case 'stopRequested':
      if (state.phase === 'STOPPING') return [state, []];
      return beginExit(
        state,
        { reason: event.reason, outcome: 'STOPPED', closeAction: spotCloseAction(event.closeAction) },
        ctx.market,
      );
    case 'paramsChanged': {
      const params = normalizeBtdParams(event.params);
      const { stopLossPrice: _old, ...rest } = state;
      return [
        {
          ...rest,
          params,
          ...(params.stopLoss.price !== undefined ? { stopLossPrice: params.stopLoss.price } : {}),
        },
        [],
      ];
    }
    case 'signal':
    case 'liquidated':
      return [state, []];
  }
}

function onPrice(state: BtdState, price: Dec, ts: EpochMs, ctx: StrategyContext): [BtdState, Intent[]] {
  const observed: BtdState = {
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
    return crossed ? initialize(observed, trigger, ctx) : [observed, []];
  }
  if (!ACTIVE.includes(observed.phase)) return [observed, []];
  const stop = triggeredStop(
    stopRules(observed),
    price,
    pnlPct(valueBase(observed, price), observed.params.investment),
  );
  if (stop)
    return beginExit(
      observed,
      { reason: stop.reason, outcome: stop.outcome, closeAction: observed.params.closeAction },
      ctx.market,
    );
  const trailed = trail(observed, price, ts, ctx);
  return settlePhase(trailed.state, price, trailed.paused, trailed.intents);
}

function settlePhase(state: BtdState, price: Dec, paused: boolean, intents: Intent[]): [BtdState, Intent[]] {
  return settleRangePhase(state, latticeOf(state), state.book, price, paused, intents);
}

/** BTD stops (§3.3): the stop loss sits above (a rally), the price target below; PnL is in base. */
export function stopRules(state: BtdState): StopRule[] {
  const { stopLoss, takeProfit } = state.params;
  return spotStopRules(
    {
      stopLossPrice: state.stopLossPrice,
      stopLossPnlPct: stopLoss.pnlPct,
      takeProfitPrice: takeProfit.price,
      takeProfitPnlPct: takeProfit.pnlPct,
    },
    'above',
  );
}

function wakeOf(state: BtdState): Wake | undefined {
  if (state.phase === 'ARMED') {
    const trigger = state.params.triggerPrice!;
    return state.armedAbove === true ? { above: trigger } : { below: trigger };
  }
  if (!ACTIVE.includes(state.phase) || !state.lattice) return undefined;
  const p = state.params;
  const release = state.phase === 'PAUSED' ? pumpReleaseTs(state.pump, p.pumpProtection) : undefined;
  return mergeWakes(
    stopWake(stopRules(state)),
    p.trailingUp.enabled ? { above: aboveTop(state.lattice) } : undefined,
    p.trailingDown.enabled ? { below: belowBottom(state.lattice) } : undefined,
    release !== undefined ? { at: { ts: release, name: 'pump-release' } } : undefined,
  );
}
