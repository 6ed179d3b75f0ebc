/**
 * DCA (spot): base order, a ladder of safety orders with step and volume scale, take profit from the
 * average (fixed or trailing), stop loss, cooldown, repeated deals and reinvest
 * (strategies/dca-twap-risk.md §2).
 */
import type { StrategyDefinition } from '../../kernel/strategy.ts';
import { normalizeDcaParams } from './params.ts';
import type { DcaParams } from './params.ts';
import { dcaImmediateExit, dcaStep } from './reducer.ts';
import { initialState } from './state.ts';
import type { DcaState } from './state.ts';
import { validateDca } from './validate.ts';

export type { DcaParams } from './params.ts';
export type { DcaState } from './state.ts';

/** The phase label of a DCA state: the bot phase, or `DealActive:<deal status>`. */
export const dcaPhase = (state: DcaState): string =>
  state.deal ? `DealActive:${state.deal.status}` : state.phase;

/** The DCA (spot) strategy. */
export const dcaStrategy: StrategyDefinition<DcaParams, DcaState> = {
  kind: 'dca',
  futures: false,
  normalizeParams: (raw) => normalizeDcaParams(raw),
  validate: validateDca,
  immediateExit: dcaImmediateExit,
  init: (params) => initialState(params),
  onEvent: (state, event, ctx) => dcaStep(state, event, ctx, (raw) => normalizeDcaParams(raw)),
  phase: dcaPhase,
};
