/**
 * TWAP: one parent order executed as evenly spaced child slices, with price protection, three
 * catch-up modes, partial-fill handling and a stock-market session clock (strategies/dca-twap-risk.md §4).
 */
import type { StrategyDefinition } from '../../kernel/strategy.ts';
import { normalizeTwapParams } from './params.ts';
import type { TwapParams } from './params.ts';
import { initialTwapState, twapStep } from './reducer.ts';
import type { TwapState } from './state.ts';
import { validateTwap } from './validate.ts';

export type { TwapParams } from './params.ts';
export type { TwapState } from './state.ts';

/** The TWAP strategy. */
export const twapStrategy: StrategyDefinition<TwapParams, TwapState> = {
  kind: 'twap',
  futures: false,
  normalizeParams: normalizeTwapParams,
  validate: validateTwap,
  init: initialTwapState,
  onEvent: (state, event, ctx) => twapStep(state, event, ctx, normalizeTwapParams),
  phase: (state) => state.phase,
};
