/** Futures Grid parameters, defaults and change classes (grid-family.md §5.2, §5.6). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { GridMode } from '../shared/lattice.ts';
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

/** Grid bias: long-only, short-only, or both sides around the start price. */
export type Direction = 'LONG' | 'SHORT' | 'NEUTRAL';

/** Futures grid params, names exactly as the parameter table of §5.2. */
export interface FuturesGridParams {
  readonly direction: Direction;
  readonly lowPrice: Dec;
  readonly highPrice: Dec;
  readonly gridCount?: number;
  readonly gridStepPct?: Dec;
  readonly gridMode: GridMode;
  /** Isolated margin allocated to the bot (quote). */
  readonly investment: Dec;
  readonly leverage: number;
  readonly marginMode: 'isolated' | 'cross';
  readonly openPositionOnStart: boolean;
  readonly reservedMarginPct: Dec;
  readonly liquidationBufferPct: Dec;
  readonly triggerPrice?: Dec;
  readonly trailingUp: { readonly enabled: boolean; readonly limitPrice?: Dec };
  readonly trailingDown: { readonly enabled: boolean; readonly limitPrice?: Dec };
  readonly takeProfit: StopTrigger;
  readonly stopLoss: StopTrigger;
  readonly stopTopPrice?: Dec;
  readonly stopBottomPrice?: Dec;
  readonly closePositionOnStop: boolean;
  readonly priceSource: 'mark' | 'last';
  readonly feeRatePct?: Dec;
  readonly maxActiveOrders?: number;
}

/** Applies the §5.2 defaults. */
export function normalizeFuturesGridParams(input: unknown): FuturesGridParams {
  const raw = asRaw(input);
  const up = objectAt(raw, 'trailingUp');
  const down = objectAt(raw, 'trailingDown');
  return {
    direction: oneOf(raw, 'direction', ['LONG', 'SHORT', 'NEUTRAL'], 'NEUTRAL'),
    lowPrice: reqDec(raw, 'lowPrice'),
    highPrice: reqDec(raw, 'highPrice'),
    ...opt('gridCount', optInt(raw, 'gridCount')),
    ...opt('gridStepPct', optDec(raw, 'gridStepPct')),
    gridMode: oneOf(raw, 'gridMode', ['arithmetic', 'geometric'], 'geometric'),
    investment: reqDec(raw, 'investment'),
    leverage: optInt(raw, 'leverage') ?? 1,
    marginMode: oneOf(raw, 'marginMode', ['isolated', 'cross'], 'isolated'),
    openPositionOnStart: bool(raw, 'openPositionOnStart', true),
    reservedMarginPct: reqDec(raw, 'reservedMarginPct', '0'),
    liquidationBufferPct: reqDec(raw, 'liquidationBufferPct', '5'),
    ...opt('triggerPrice', optDec(raw, 'triggerPrice')),
    trailingUp: {
      enabled: bool(up, 'enabled', false, 'trailingUp.enabled'),
      ...opt('limitPrice', optDec(up, 'limitPrice', 'trailingUp.limitPrice')),
    },
    trailingDown: {
      enabled: bool(down, 'enabled', false, 'trailingDown.enabled'),
      ...opt('limitPrice', optDec(down, 'limitPrice', 'trailingDown.limitPrice')),
    },
    takeProfit: stopTriggerOf(raw, 'takeProfit'),
    stopLoss: stopTriggerOf(raw, 'stopLoss'),
    ...opt('stopTopPrice', optDec(raw, 'stopTopPrice')),
    ...opt('stopBottomPrice', optDec(raw, 'stopBottomPrice')),
    closePositionOnStop: bool(raw, 'closePositionOnStop', true),
    priceSource: oneOf(raw, 'priceSource', ['mark', 'last'], 'mark'),
    ...opt('feeRatePct', optDec(raw, 'feeRatePct')),
    ...opt('maxActiveOrders', optInt(raw, 'maxActiveOrders')),
  };
}

/** Fee fraction used for planning and the worst case: `feeRatePct`, else the market's taker rate. */
export function futuresFee(p: FuturesGridParams, market: MarketInfo): Dec {
  return p.feeRatePct !== undefined ? str(dec(p.feeRatePct).dividedBy(100)) : market.taker;
}

/** Change class per params field (§5.6 mapped onto DESIGN §4). Margin add/remove is `funds`. */
export const FUTURES_GRID_CHANGE_CLASSES: Readonly<Record<string, string>> = {
  direction: 'recreate',
  leverage: 'recreate',
  marginMode: 'recreate',
  lowPrice: 'recreate',
  highPrice: 'recreate',
  gridCount: 'recreate',
  gridStepPct: 'recreate',
  gridMode: 'recreate',
  reservedMarginPct: 'recreate',
  investment: 'funds',
  takeProfit: 'hot',
  stopLoss: 'hot',
  stopTopPrice: 'hot',
  stopBottomPrice: 'hot',
  trailingUp: 'hot',
  trailingDown: 'hot',
  closePositionOnStop: 'hot',
  priceSource: 'hot',
  liquidationBufferPct: 'hot',
  openPositionOnStart: 'hot',
  triggerPrice: 'hot',
  feeRatePct: 'hot',
  maxActiveOrders: 'amend',
};
