/**
 * BTD (Buy The Dip), grid-family.md §3: the base-accumulating mirror of the spot grid. The user invests base;
 * sells of a fixed unit `U` rest above the price, buys that spend a whole sell's proceeds below it, so every
 * dip-and-return keeps surplus base. Trailing follows the price down; the stop loss sits above.
 */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { StrategyContext, StrategyDefinition } from '../../kernel/strategy.ts';
import { EMPTY_BOOK } from '../shared/book.ts';
import { NO_PUMP } from '../shared/pump.ts';
import { normalizeBtdParams } from './params.ts';
import type { BtdParams } from './params.ts';
import { btdOnEvent } from './reducer.ts';
import type { BtdState } from './state.ts';
import { validateBtd } from './validate.ts';

export type { BtdParams } from './params.ts';
export type { BtdState } from './state.ts';
export { BTD_CHANGE_CLASSES, normalizeBtdParams } from './params.ts';

function initBtd(params: BtdParams, ctx: StrategyContext): BtdState {
  return {
    params,
    phase: 'NEW',
    fee: params.feeRatePct !== undefined ? dec(params.feeRatePct).dividedBy(100).toFixed() : ctx.market.maker,
    unit: '0',
    book: EMPTY_BOOK,
    base: params.investment,
    quote: '0',
    realizedBase: '0',
    roundTrips: 0,
    pump: NO_PUMP,
    flags: [],
    ...(params.stopLoss.price !== undefined ? { stopLossPrice: params.stopLoss.price } : {}),
  };
}

/** Whether `next` params would stop BTD at `price` right away (edits must not trigger an exit). */
function btdImmediateExit(_state: BtdState, next: BtdParams, price: Dec): string | undefined {
  if (next.stopLoss.price !== undefined && dec(price).greaterThanOrEqualTo(next.stopLoss.price))
    return `stopLoss.price ${next.stopLoss.price} is already crossed at ${price}`;
  if (next.takeProfit.price !== undefined && dec(price).lessThanOrEqualTo(next.takeProfit.price))
    return `takeProfit.price ${next.takeProfit.price} is already crossed at ${price}`;
  return undefined;
}

/** The BTD strategy. */
export const btdStrategy: StrategyDefinition<BtdParams, BtdState> = {
  kind: 'btd',
  futures: false,
  normalizeParams: normalizeBtdParams,
  validate: validateBtd,
  immediateExit: btdImmediateExit,
  budget: (params) => ({ quote: '0', base: params.investment }),
  init: initBtd,
  onEvent: btdOnEvent,
  phase: (state) =>
    state.phase === 'PAUSED' || state.phase === 'STOPPED'
      ? `${state.phase}(${state.reason ?? state.exit?.reason ?? ''})`
      : state.phase,
};
