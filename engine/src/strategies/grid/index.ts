/**
 * Grid Trading Bot (spot), grid-family.md §2: a lattice of lines between `lowPrice` and `highPrice`, buys
 * below and sells above the price, each fill flipped one line away; trailing up/down, pump protection,
 * stop loss and take profit with a close action.
 */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { StrategyContext, StrategyDefinition } from '../../kernel/strategy.ts';
import { EMPTY_BOOK } from '../shared/book.ts';
import { NO_PUMP } from '../shared/pump.ts';
import { pnlPct } from '../shared/stops.ts';
import { feeFraction, normalizeGridParams } from './params.ts';
import type { GridParams } from './params.ts';
import { gridOnEvent } from './reducer.ts';
import { invested, valueAt } from './state.ts';
import type { GridState } from './state.ts';
import { validateGrid } from './validate.ts';

export type { GridParams } from './params.ts';
export type { GridState } from './state.ts';
export { GRID_CHANGE_CLASSES, normalizeGridParams } from './params.ts';

function initGrid(params: GridParams, ctx: StrategyContext): GridState {
  return {
    params,
    phase: 'NEW',
    fee: feeFraction(params.feeRatePct, ctx.market),
    size: '0',
    book: EMPTY_BOOK,
    base: '0',
    quote: params.investment,
    extraQuoteUsed: '0',
    realized: '0',
    profitPool: '0',
    roundTrips: 0,
    pump: NO_PUMP,
    flags: [],
    ...(params.stopLoss.price !== undefined ? { stopLossPrice: params.stopLoss.price } : {}),
  };
}

/** Whether `next` params would stop a running grid at `price` right away (T14: such edits are refused). */
function gridImmediateExit(state: GridState, next: GridParams, price: Dec): string | undefined {
  if (next.stopLoss.price !== undefined && dec(price).lessThanOrEqualTo(next.stopLoss.price))
    return `stopLoss.price ${next.stopLoss.price} is already crossed at ${price}`;
  if (next.takeProfit.price !== undefined && dec(price).greaterThanOrEqualTo(next.takeProfit.price))
    return `takeProfit.price ${next.takeProfit.price} is already crossed at ${price}`;
  const pnl = pnlPct(valueAt(state, price), invested(state));
  if (next.stopLoss.pnlPct !== undefined && dec(pnl).lessThanOrEqualTo(next.stopLoss.pnlPct))
    return `stopLoss.pnlPct ${next.stopLoss.pnlPct} is already reached (PnL ${pnl} %)`;
  if (next.takeProfit.pnlPct !== undefined && dec(pnl).greaterThanOrEqualTo(next.takeProfit.pnlPct))
    return `takeProfit.pnlPct ${next.takeProfit.pnlPct} is already reached (PnL ${pnl} %)`;
  return undefined;
}

/** The spot grid strategy. */
export const gridStrategy: StrategyDefinition<GridParams, GridState> = {
  kind: 'grid',
  futures: false,
  normalizeParams: normalizeGridParams,
  validate: validateGrid,
  immediateExit: gridImmediateExit,
  budget: (params) => ({ quote: params.investment }),
  init: initGrid,
  onEvent: gridOnEvent,
  ignoredOrderEvents: ['accepted'],
  phase: (state) =>
    state.phase === 'PAUSED' || state.phase === 'STOPPED'
      ? `${state.phase}(${state.reason ?? state.exit?.reason ?? ''})`
      : state.phase,
};
