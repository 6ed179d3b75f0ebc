/**
 * DCA Futures: the DCA deal engine on a linear perpetual with leverage, isolated margin, a liquidation
 * projection per ladder level, a liquidation guard, funding in deal PnL and pump/dump protection
 * (strategies/dca-twap-risk.md §3). The reducer is DCA's; the futures fields switch its futures paths on.
 */
import type { StrategyDefinition } from '../../kernel/strategy.ts';
import { dcaPhase } from '../dca/index.ts';
import { dcaImmediateExit, dcaStep } from '../dca/reducer.ts';
import { initialState } from '../dca/state.ts';
import type { DcaState } from '../dca/state.ts';
import { normalizeDcaFuturesParams } from './params.ts';
import type { DcaFuturesParams } from './params.ts';
import { validateDcaFutures } from './validate.ts';

export type { DcaFuturesParams } from './params.ts';

/** The DCA Futures strategy. */
export const dcaFuturesStrategy: StrategyDefinition<DcaFuturesParams, DcaState> = {
  kind: 'dca-futures',
  futures: true,
  normalizeParams: normalizeDcaFuturesParams,
  validate: validateDcaFutures,
  immediateExit: dcaImmediateExit,
  init: (params) => initialState(params),
  onEvent: (state, event, ctx) => dcaStep(state, event, ctx, normalizeDcaFuturesParams),
  phase: dcaPhase,
};
