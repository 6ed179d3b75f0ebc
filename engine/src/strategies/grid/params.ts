/** Grid (spot) parameters, defaults and change classes (grid-family.md §2.2, §2.6). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
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

/** Spot grid params, names exactly as the parameter table of §2.2. */
export interface GridParams {
  readonly lowPrice: Dec;
  readonly highPrice: Dec;
  /** Intervals; exclusive with `gridStepPct`. */
  readonly gridCount?: number;
  readonly gridStepPct?: Dec;
  readonly gridMode: GridMode;
  /** Quote allocated, including the initial market buy. */
  readonly investment: Dec;
  readonly orderSizeMode: 'quote' | 'base';
  readonly counterSpacing: 'lattice' | 'feeCompensated';
  readonly feeRatePct?: Dec;
  readonly triggerPrice?: Dec;
  readonly allowStartOutOfRange: boolean;
  readonly trailingUp: {
    readonly enabled: boolean;
    readonly limitPrice?: Dec;
    readonly trailStopLoss: boolean;
  };
  readonly trailingDown: { readonly enabled: boolean; readonly stopPrice?: Dec; readonly maxExtraQuote: Dec };
  readonly pumpProtection: PumpProtection;
  readonly stopLoss: StopTrigger;
  readonly takeProfit: StopTrigger;
  readonly closeAction: SpotCloseAction;
  readonly compound: { readonly enabled: boolean; readonly intervalHours: number };
  readonly maxActiveOrders?: number;
  readonly activationBoundsPct?: Dec;
}

/** Applies the §2.2 defaults; accepts numbers or decimal text for decimal fields. */
export function normalizeGridParams(input: unknown): GridParams {
  const raw = asRaw(input);
  const up = objectAt(raw, 'trailingUp');
  const down = objectAt(raw, 'trailingDown');
  const compound = objectAt(raw, 'compound');
  const trailingUp = bool(up, 'enabled', false, 'trailingUp.enabled');
  const trailingDown = bool(down, 'enabled', false, 'trailingDown.enabled');
  return {
    lowPrice: reqDec(raw, 'lowPrice'),
    highPrice: reqDec(raw, 'highPrice'),
    ...opt('gridCount', optInt(raw, 'gridCount')),
    ...opt('gridStepPct', optDec(raw, 'gridStepPct')),
    gridMode: oneOf(raw, 'gridMode', ['arithmetic', 'geometric'], 'geometric'),
    investment: reqDec(raw, 'investment'),
    orderSizeMode: oneOf(raw, 'orderSizeMode', ['quote', 'base'], 'quote'),
    counterSpacing: oneOf(raw, 'counterSpacing', ['lattice', 'feeCompensated'], 'lattice'),
    ...opt('feeRatePct', optDec(raw, 'feeRatePct')),
    ...opt('triggerPrice', optDec(raw, 'triggerPrice')),
    allowStartOutOfRange: bool(raw, 'allowStartOutOfRange', false),
    trailingUp: {
      enabled: trailingUp,
      ...opt('limitPrice', optDec(up, 'limitPrice', 'trailingUp.limitPrice')),
      trailStopLoss: bool(up, 'trailStopLoss', true, 'trailingUp.trailStopLoss'),
    },
    trailingDown: {
      enabled: trailingDown,
      ...opt('stopPrice', optDec(down, 'stopPrice', 'trailingDown.stopPrice')),
      maxExtraQuote: reqDec(down, 'maxExtraQuote', '0', 'trailingDown.maxExtraQuote'),
    },
    pumpProtection: pumpProtectionOf(raw, trailingUp || trailingDown),
    stopLoss: stopTriggerOf(raw, 'stopLoss'),
    takeProfit: stopTriggerOf(raw, 'takeProfit'),
    closeAction: oneOf(raw, 'closeAction', ['sellBase', 'buyBase', 'keep'], 'sellBase'),
    compound: {
      enabled: bool(compound, 'enabled', false, 'compound.enabled'),
      intervalHours: optInt(compound, 'intervalHours', 'compound.intervalHours') ?? 24,
    },
    ...opt('maxActiveOrders', optInt(raw, 'maxActiveOrders')),
    ...opt('activationBoundsPct', optDec(raw, 'activationBoundsPct')),
  };
}

/** The lattice the params describe (count mode, or geometric step mode). */
export function gridLattice(p: GridParams): Lattice {
  if (p.gridCount === undefined && p.gridStepPct !== undefined) {
    return latticeFromStepPct(p.lowPrice, p.highPrice, p.gridStepPct);
  }
  return latticeFromCount(p.lowPrice, p.highPrice, p.gridCount ?? 0, p.gridMode);
}

/** Fee fraction per side used for planning: `feeRatePct`, else the market's maker rate. */
export function feeFraction(feeRatePct: Dec | undefined, market: MarketInfo): Dec {
  return feeRatePct !== undefined ? str(dec(feeRatePct).dividedBy(100)) : market.maker;
}

/**
 * Change class per params field (§2.6 mapped onto DESIGN §4: H0 hot, H1 amend, H2 funds, R recreate).
 * The document allows whole-line range moves and added investment as amend/funds (H1/H2); this engine does
 * not perform those moves on a running grid yet, so they are `recreate` here and in the schema.
 */
export const GRID_CHANGE_CLASSES: Readonly<Record<string, string>> = {
  lowPrice: 'recreate',
  highPrice: 'recreate',
  gridCount: 'recreate',
  gridStepPct: 'recreate',
  gridMode: 'recreate',
  orderSizeMode: 'recreate',
  counterSpacing: 'recreate',
  investment: 'recreate',
  stopLoss: 'hot',
  takeProfit: 'hot',
  closeAction: 'hot',
  trailingUp: 'hot',
  trailingDown: 'hot',
  pumpProtection: 'hot',
  compound: 'hot',
  feeRatePct: 'hot',
  maxActiveOrders: 'amend',
  activationBoundsPct: 'amend',
  triggerPrice: 'hot',
  allowStartOutOfRange: 'hot',
};
