/** Loop parameters, defaults and change classes (grid-family.md §4.2, §4.6). */
import type { Dec } from '../../core/decimal.ts';
import {
  asRaw,
  bool,
  objectAt,
  oneOf,
  opt,
  optDec,
  optInt,
  reqDec,
  stopTriggerOf,
} from '../shared/params.ts';
import type { StopTrigger } from '../shared/params.ts';

/** Loop params, names exactly as the parameter table of §4.2. */
export interface LoopParams {
  /** The fixed anchor `E`; the last price at start when absent. */
  readonly entryPrice?: Dec;
  readonly orderDistancePct: Dec;
  readonly latticeMode: 'linear' | 'geometric';
  readonly ordersPerSide: number;
  readonly lowPrice: Dec;
  readonly highPrice?: Dec;
  readonly investment: Dec;
  readonly initialMode: 'buyOnly' | 'split';
  readonly gapFillOrder: 'nearestToEntry' | 'farthestFromEntry';
  readonly reinvest: { readonly enabled: boolean; readonly pct: Dec };
  readonly takeProfit: StopTrigger;
  readonly exitCurrency: 'base' | 'quote' | 'keep';
  /** Optional safety exit below `lowPrice`; off by default ("no stop loss by design", [T:S34]). */
  readonly stopLoss: StopTrigger;
  readonly maxLevels: number;
  readonly feeRatePct?: Dec;
  readonly maxActiveOrders?: number;
}

/** Applies the §4.2 defaults. */
export function normalizeLoopParams(input: unknown): LoopParams {
  const raw = asRaw(input);
  const reinvest = objectAt(raw, 'reinvest');
  return {
    ...opt('entryPrice', optDec(raw, 'entryPrice')),
    orderDistancePct: reqDec(raw, 'orderDistancePct'),
    latticeMode: oneOf(raw, 'latticeMode', ['linear', 'geometric'], 'linear'),
    ordersPerSide: optInt(raw, 'ordersPerSide') ?? 1,
    lowPrice: reqDec(raw, 'lowPrice'),
    ...opt('highPrice', optDec(raw, 'highPrice')),
    investment: reqDec(raw, 'investment'),
    initialMode: oneOf(raw, 'initialMode', ['buyOnly', 'split'], 'buyOnly'),
    gapFillOrder: oneOf(raw, 'gapFillOrder', ['nearestToEntry', 'farthestFromEntry'], 'nearestToEntry'),
    reinvest: {
      enabled: bool(reinvest, 'enabled', false, 'reinvest.enabled'),
      pct: reqDec(reinvest, 'pct', '100', 'reinvest.pct'),
    },
    takeProfit: stopTriggerOf(raw, 'takeProfit'),
    exitCurrency: oneOf(raw, 'exitCurrency', ['base', 'quote', 'keep'], 'keep'),
    stopLoss: stopTriggerOf(raw, 'stopLoss'),
    maxLevels: optInt(raw, 'maxLevels') ?? 500,
    ...opt('feeRatePct', optDec(raw, 'feeRatePct')),
    ...opt('maxActiveOrders', optInt(raw, 'maxActiveOrders')),
  };
}

/**
 * Change class per params field (§4.6 mapped onto DESIGN §4). The document makes widening the bounds hot and
 * narrowing past a live order a recreate; one class per field cannot tell them apart, so bounds are
 * `recreate`, as are added funds (not moved in place yet) and the level cap.
 */
export const LOOP_CHANGE_CLASSES: Readonly<Record<string, string>> = {
  entryPrice: 'recreate',
  orderDistancePct: 'recreate',
  latticeMode: 'recreate',
  ordersPerSide: 'recreate',
  lowPrice: 'recreate',
  highPrice: 'recreate',
  investment: 'recreate',
  reinvest: 'hot',
  takeProfit: 'hot',
  exitCurrency: 'hot',
  gapFillOrder: 'hot',
  stopLoss: 'hot',
  initialMode: 'hot',
  maxLevels: 'recreate',
  feeRatePct: 'hot',
  maxActiveOrders: 'amend',
};
