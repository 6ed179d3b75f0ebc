/**
 * Loop bot, grid-family.md §4: a recurring buy/sell ladder around a fixed entry price. Buys only below the
 * entry, sells only above it, each fill's funds move into the nearest gap on the other side, optional
 * profit reinvestment, at most 500 tracked slots, and no stop loss unless one is configured.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { StrategyContext, StrategyDefinition } from '../../kernel/strategy.ts';
import { EMPTY_BOOK } from '../shared/book.ts';
import { normalizeLoopParams } from './params.ts';
import type { LoopParams } from './params.ts';
import { loopOnEvent } from './reducer.ts';
import type { LoopState } from './state.ts';
import { validateLoop } from './validate.ts';

export type { LoopParams } from './params.ts';
export type { LoopState } from './state.ts';
export { LOOP_CHANGE_CLASSES, normalizeLoopParams } from './params.ts';

function initLoop(params: LoopParams, ctx: StrategyContext): LoopState {
  return {
    params,
    phase: 'NEW',
    size: '0',
    fee: params.feeRatePct !== undefined ? str(dec(params.feeRatePct).dividedBy(100)) : ctx.market.maker,
    book: EMPTY_BOOK,
    base: '0',
    quote: params.investment,
    realized: '0',
    realizedPool: '0',
    roundTrips: 0,
    buyWindow: [],
    sellWindow: [],
    tracked: [],
    parkedBase: [],
    parkedQuote: [],
    deferred: [],
    flags: [],
  };
}

/** Whether `next` params would take profit at `price` right away (edits must not trigger an exit). */
function loopImmediateExit(state: LoopState, next: LoopParams, price: Dec): string | undefined {
  const value = dec(state.base).times(price).plus(state.quote);
  const pnl = value.minus(next.investment).dividedBy(next.investment).times(100);
  if (next.takeProfit.pnlPct !== undefined && pnl.greaterThanOrEqualTo(next.takeProfit.pnlPct))
    return `takeProfit.pnlPct ${next.takeProfit.pnlPct} is already reached`;
  if (next.stopLoss.price !== undefined && dec(price).lessThanOrEqualTo(next.stopLoss.price))
    return `stopLoss.price ${next.stopLoss.price} is already crossed at ${price}`;
  return undefined;
}

/** The Loop strategy. */
export const loopStrategy: StrategyDefinition<LoopParams, LoopState> = {
  kind: 'loop',
  futures: false,
  normalizeParams: normalizeLoopParams,
  validate: validateLoop,
  immediateExit: loopImmediateExit,
  budget: (params) => ({ quote: params.investment }),
  init: initLoop,
  onEvent: loopOnEvent,
  phase: (state) => (state.phase === 'STOPPED' ? `STOPPED(${state.reason ?? ''})` : state.phase),
};
