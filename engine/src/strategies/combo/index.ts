/**
 * Combo: DCA entry, grid exit and an always-trailing stop loss (strategies/grid-family.md §6), on a
 * linear perpetual (or spot with leverage 1).
 */
import { gt, lte } from '../../core/decimal.ts';
import type { StrategyDefinition } from '../../kernel/strategy.ts';
import { normalizeComboParams } from './params.ts';
import type { ComboParams } from './params.ts';
import { comboStep, initialComboState } from './reducer.ts';
import { comboStopPrice } from './plan.ts';
import type { ComboState } from './state.ts';
import { validateCombo } from './validate.ts';

export type { ComboParams } from './params.ts';
export type { ComboState } from './state.ts';

/** The Combo strategy. */
export const comboStrategy: StrategyDefinition<ComboParams, ComboState> = {
  kind: 'combo',
  futures: true,
  normalizeParams: normalizeComboParams,
  validate: validateCombo,
  immediateExit: (state, next, price) => {
    const deal = state.deal;
    if (!deal) return undefined;
    const sl = comboStopPrice(next, deal.extreme);
    const hit = next.direction === 'LONG' ? lte(price, sl) : lte(sl, price);
    if (gt(next.stopLoss.pct, '0') && hit) return `stop loss ${sl} already crossed at ${price}`;
    const tp = next.takeProfit.price;
    if (tp !== null && (next.direction === 'LONG' ? lte(tp, price) : lte(price, tp)))
      return `take profit ${tp} already crossed at ${price}`;
    return undefined;
  },
  init: initialComboState,
  onEvent: (state, event, ctx) => comboStep(state, event, ctx, normalizeComboParams),
  phase: (state) => state.phase,
};
