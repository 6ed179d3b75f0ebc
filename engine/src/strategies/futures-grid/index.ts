/**
 * Futures Grid (USDⓈ-margined linear perpetual, isolated margin), grid-family.md §5: the grid's line flipping
 * with leverage and a direction (LONG, SHORT, NEUTRAL), equal base quantity per line, trailing, stops per
 * direction, and a worst-case liquidation check at validation.
 */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { StrategyContext, StrategyDefinition } from '../../kernel/strategy.ts';
import { EMPTY_BOOK } from '../shared/book.ts';
import { FLAT } from '../shared/futures.ts';
import { futuresFee, normalizeFuturesGridParams } from './params.ts';
import type { FuturesGridParams } from './params.ts';
import { futuresGridOnEvent } from './reducer.ts';
import type { FuturesGridState } from './state.ts';
import { validateFuturesGrid } from './validate.ts';

export type { Direction, FuturesGridParams } from './params.ts';
export type { FuturesGridState } from './state.ts';
export { FUTURES_GRID_CHANGE_CLASSES, normalizeFuturesGridParams } from './params.ts';
export { planFuturesGrid, worstCases } from './plan.ts';

function initFuturesGrid(params: FuturesGridParams, ctx: StrategyContext): FuturesGridState {
  return {
    params,
    phase: 'NEW',
    q: '0',
    fee: futuresFee(params, ctx.market),
    book: EMPTY_BOOK,
    position: FLAT,
    wallet: params.investment,
    gridProfit: '0',
    positionRealized: '0',
    roundTrips: 0,
    pairCash: {},
    held: [],
    flags: [],
    ...(params.stopLoss.price !== undefined ? { stopLossPrice: params.stopLoss.price } : {}),
    ...(params.stopTopPrice !== undefined ? { stopTopPrice: params.stopTopPrice } : {}),
    ...(params.stopBottomPrice !== undefined ? { stopBottomPrice: params.stopBottomPrice } : {}),
  };
}

/** Whether `next` params would stop the grid at `price` right away (edits must not trigger an exit). */
function futuresImmediateExit(
  _state: FuturesGridState,
  next: FuturesGridParams,
  price: Dec,
): string | undefined {
  const short = next.direction === 'SHORT';
  const crossedAbove = (v: Dec | undefined) => v !== undefined && dec(price).greaterThanOrEqualTo(v);
  const crossedBelow = (v: Dec | undefined) => v !== undefined && dec(price).lessThanOrEqualTo(v);
  if (
    next.direction !== 'NEUTRAL' &&
    (short ? crossedBelow(next.takeProfit.price) : crossedAbove(next.takeProfit.price))
  )
    return `takeProfit.price ${next.takeProfit.price} is already crossed at ${price}`;
  if (
    next.direction !== 'NEUTRAL' &&
    (short ? crossedAbove(next.stopLoss.price) : crossedBelow(next.stopLoss.price))
  )
    return `stopLoss.price ${next.stopLoss.price} is already crossed at ${price}`;
  if (crossedAbove(next.stopTopPrice))
    return `stopTopPrice ${next.stopTopPrice} is already crossed at ${price}`;
  if (crossedBelow(next.stopBottomPrice))
    return `stopBottomPrice ${next.stopBottomPrice} is already crossed at ${price}`;
  return undefined;
}

/** The futures grid strategy. */
export const futuresGridStrategy: StrategyDefinition<FuturesGridParams, FuturesGridState> = {
  kind: 'futures-grid',
  futures: true,
  normalizeParams: normalizeFuturesGridParams,
  validate: validateFuturesGrid,
  immediateExit: futuresImmediateExit,
  budget: (params) => ({ quote: params.investment }),
  init: initFuturesGrid,
  onEvent: futuresGridOnEvent,
  phase: (state) =>
    state.phase === 'PAUSED' || state.phase === 'STOPPED'
      ? `${state.phase}(${state.reason ?? ''})`
      : state.phase,
};
