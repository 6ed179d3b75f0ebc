/** BTD (Buy The Dip) parameters, defaults and change classes (grid-family.md §3.2, §3.6). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { latticeFromCount, latticeFromStepPct } from '../shared/lattice.ts';
import type { GridMode, Lattice } from '../shared/lattice.ts';
import {
  asRaw,
  bool,
  objectAt,
  oneOf,
  opt,
  optDec,
  optInt,
  pumpProtectionOf,
  reqDec,
  stopTriggerOf,
} from '../shared/params.ts';
import type { PumpProtection, StopTrigger } from '../shared/params.ts';
import type { SpotCloseAction } from '../shared/spot-exit.ts';

/** BTD params, names exactly as the parameter table of §3.2. `investment` is in base. */
export interface BtdParams {
  readonly layout: 'range' | 'anchored';
  readonly lowPrice?: Dec;
  readonly highPrice?: Dec;
  readonly gridCount?: number;
  readonly gridStepPct?: Dec;
  readonly levelsDown?: number;
  readonly levelsUp?: number;
  readonly gridMode: GridMode;
  readonly investment: Dec;
  readonly feeRatePct?: Dec;
  readonly triggerPrice?: Dec;
  readonly allowStartOutOfRange: boolean;
  readonly trailingDown: {
    readonly enabled: boolean;
    readonly limitPrice?: Dec;
    readonly trailStopLoss: boolean;
  };
  readonly trailingUp: { readonly enabled: boolean };
  readonly pumpProtection: PumpProtection;
  /** Upper stop: price at or above it buys the base back (§3.3). */
  readonly stopLoss: StopTrigger;
  /** Lower price target or base PnL %. */
  readonly takeProfit: StopTrigger;
  readonly closeAction: SpotCloseAction;
  readonly maxActiveOrders?: number;
  readonly activationBoundsPct?: Dec;
}

/** Applies the §3.2 defaults (trailing down on, pump protection on with it, close into base). */
export function normalizeBtdParams(input: unknown): BtdParams {
  const raw = asRaw(input);
  const down = objectAt(raw, 'trailingDown');
  const up = objectAt(raw, 'trailingUp');
  const trailingDown = bool(down, 'enabled', true, 'trailingDown.enabled');
  const trailingUp = bool(up, 'enabled', false, 'trailingUp.enabled');
  return {
    layout: oneOf(raw, 'layout', ['range', 'anchored'], 'range'),
    ...opt('lowPrice', optDec(raw, 'lowPrice')),
    ...opt('highPrice', optDec(raw, 'highPrice')),
    ...opt('gridCount', optInt(raw, 'gridCount')),
    ...opt('gridStepPct', optDec(raw, 'gridStepPct')),
    ...opt('levelsDown', optInt(raw, 'levelsDown')),
    ...opt('levelsUp', optInt(raw, 'levelsUp')),
    gridMode: oneOf(raw, 'gridMode', ['arithmetic', 'geometric'], 'geometric'),
    investment: reqDec(raw, 'investment'),
    ...opt('feeRatePct', optDec(raw, 'feeRatePct')),
    ...opt('triggerPrice', optDec(raw, 'triggerPrice')),
    allowStartOutOfRange: bool(raw, 'allowStartOutOfRange', false),
    trailingDown: {
      enabled: trailingDown,
      ...opt('limitPrice', optDec(down, 'limitPrice', 'trailingDown.limitPrice')),
      trailStopLoss: bool(down, 'trailStopLoss', true, 'trailingDown.trailStopLoss'),
    },
    trailingUp: { enabled: trailingUp },
    pumpProtection: pumpProtectionOf(raw, true),
    stopLoss: stopTriggerOf(raw, 'stopLoss'),
    takeProfit: stopTriggerOf(raw, 'takeProfit'),
    closeAction: oneOf(raw, 'closeAction', ['buyBase', 'sellBase', 'keep'], 'buyBase'),
    ...opt('maxActiveOrders', optInt(raw, 'maxActiveOrders')),
    ...opt('activationBoundsPct', optDec(raw, 'activationBoundsPct')),
  };
}

/**
 * The BTD lattice: `range` as GRID; `anchored` around the start price, lines `P_ref·(1+s)^k` (geometric) or
 * `P_ref·(1 + k·s)` (arithmetic) for `k = −levelsDown..levelsUp`, line 0 at `P_ref` (§3.2).
 */
export function btdLattice(p: BtdParams, referencePrice: Dec): Lattice {
  if (p.layout === 'anchored') {
    const s = dec(p.gridStepPct ?? '0').dividedBy(100);
    const step = p.gridMode === 'geometric' ? str(s.plus(1)) : str(s.times(referencePrice));
    return {
      mode: p.gridMode,
      anchor: referencePrice,
      step,
      iMin: -(p.levelsDown ?? 1),
      iMax: p.levelsUp ?? 1,
    };
  }
  const low = p.lowPrice ?? '0';
  const high = p.highPrice ?? '0';
  if (p.gridCount === undefined && p.gridStepPct !== undefined)
    return latticeFromStepPct(low, high, p.gridStepPct);
  return latticeFromCount(low, high, p.gridCount ?? 0, p.gridMode);
}

/** Change class per params field (§3.6 mapped onto DESIGN §4); adding funds (H2) is not done in place yet: `recreate`. */
export const BTD_CHANGE_CLASSES: Readonly<Record<string, string>> = {
  layout: 'recreate',
  lowPrice: 'recreate',
  highPrice: 'recreate',
  gridMode: 'recreate',
  gridCount: 'recreate',
  gridStepPct: 'recreate',
  levelsDown: 'recreate',
  levelsUp: 'recreate',
  investment: 'recreate',
  trailingDown: 'hot',
  trailingUp: 'hot',
  pumpProtection: 'hot',
  stopLoss: 'hot',
  takeProfit: 'hot',
  closeAction: 'hot',
  feeRatePct: 'hot',
  triggerPrice: 'hot',
  allowStartOutOfRange: 'hot',
  maxActiveOrders: 'amend',
  activationBoundsPct: 'amend',
};
