/**
 * DCA (spot) params: the parameter table of strategies/dca-twap-risk.md §2.2 with its defaults.
 * Names are exactly the document's; percent fields are in percent units, durations in seconds.
 */
import type { Dec } from '../../core/decimal.ts';
import { boolField, decField, enumField, intField, obj, optDec, optInt, optString } from './read.ts';

/** Deal direction: long buys first, short sells inventory first. */
export type Direction = 'long' | 'short';
/** Units an order size can be given in (spot: quote/base/percentOfBudget; futures adds margin/notional). */
export type SizeUnit = 'quote' | 'base' | 'percentOfBudget' | 'margin' | 'notional';

/** One explicit safety-order level (cumulative deviation from P_0). */
export interface CustomLevel {
  readonly deviationPct: Dec;
  readonly size: Dec;
}

/** Typed DCA params (spot); DCA Futures extends them. */
export interface DcaParams {
  readonly direction: Direction;
  readonly baseOrder: {
    readonly size: Dec;
    readonly sizeUnit: SizeUnit;
    readonly orderType: 'market' | 'limit';
    readonly limitOffsetPct: Dec;
    readonly fillTimeoutSec: number;
  };
  readonly safetyOrders: {
    readonly maxCount: number;
    readonly maxActive: number;
    readonly size: Dec;
    readonly sizeUnit: SizeUnit;
    readonly deviationPct: Dec;
    readonly stepScale: Dec;
    readonly volumeScale: Dec;
    readonly deviationBase: 'fromBase' | 'fromPrevious';
    readonly customLevels: readonly CustomLevel[] | null;
    readonly orderType: 'limit' | 'market';
    readonly marketActivationBandPct: Dec;
  };
  readonly takeProfit: {
    readonly pct: Dec;
    readonly base: 'average' | 'baseOrder';
    readonly orderType: 'limit' | 'market';
    readonly trailing: { readonly enabled: boolean; readonly deviationPct: Dec };
  };
  readonly stopLoss: {
    readonly pct: Dec;
    readonly base: 'average' | 'baseOrder';
    readonly activation: 'always' | 'afterLastSafetyOrder';
    readonly timeoutSec: number;
    readonly onTrigger: 'closeAndContinue' | 'closeAndStopBot';
  };
  readonly deal: {
    readonly cooldownSec: number;
    readonly startDelaySec: number;
    readonly timeoutSec: number;
    readonly maxDeals: number | null;
  };
  readonly start: {
    readonly mode: 'immediate' | 'webhook' | 'indicator' | 'price';
    readonly webhook: { readonly secretRef: string | null; readonly maxSignalAgeSec: number };
    readonly indicator: IndicatorStart | null;
    readonly price: { readonly triggerPrice: Dec } | null;
    readonly minPrice: Dec | null;
    readonly maxPrice: Dec | null;
  };
  readonly reinvest: { readonly pct: Dec };
  readonly budget: { readonly maxQuote: Dec; readonly reserveFunds: 'all' | 'activeOnly' };
  readonly feeRateOverridePct: Dec | null;
  readonly session: {
    readonly calendar: string | null;
    readonly allowExtendedHours: boolean;
    readonly outsideSession: 'holdOrders' | 'cancelRestingOrders';
  };
}

/** The RSI start trigger (v1: RSI only). */
export interface IndicatorStart {
  readonly type: 'rsi';
  readonly timeframe: string;
  readonly period: number;
  readonly threshold: Dec;
  readonly condition: 'crossUp' | 'crossDown' | 'above' | 'below';
}

const SPOT_UNITS: readonly SizeUnit[] = ['quote', 'base', 'percentOfBudget'];

/** Applies §2.2 defaults to raw params; `units` lets DCA Futures accept margin/notional sizes. */
export function normalizeDcaParams(raw: unknown, units: readonly SizeUnit[] = SPOT_UNITS): DcaParams {
  const r = obj(raw);
  const bo = obj(r['baseOrder']);
  const so = obj(r['safetyOrders']);
  const tp = obj(r['takeProfit']);
  const sl = obj(r['stopLoss']);
  const deal = obj(r['deal']);
  const unit0 = units[0] ?? 'quote';
  const custom = Array.isArray(so['customLevels'])
    ? so['customLevels'].map((l) => ({
        deviationPct: decField(obj(l)['deviationPct'], '0'),
        size: decField(obj(l)['size'], '0'),
      }))
    : null;
  return {
    direction: enumField(r['direction'], ['long', 'short'], 'long'),
    baseOrder: {
      size: decField(bo['size'], '0'),
      sizeUnit: enumField(bo['sizeUnit'], units, unit0),
      orderType: enumField(bo['orderType'], ['market', 'limit'], 'market'),
      limitOffsetPct: decField(bo['limitOffsetPct'], '0'),
      fillTimeoutSec: intField(bo['fillTimeoutSec'], 300),
    },
    safetyOrders: {
      maxCount: custom ? custom.length : intField(so['maxCount'], 5),
      maxActive: intField(so['maxActive'], 1),
      size: decField(so['size'], '0'),
      sizeUnit: enumField(so['sizeUnit'], units, unit0),
      deviationPct: decField(so['deviationPct'], '1'),
      stepScale: decField(so['stepScale'], '1'),
      volumeScale: decField(so['volumeScale'], '1'),
      deviationBase: enumField(so['deviationBase'], ['fromBase', 'fromPrevious'], 'fromBase'),
      customLevels: custom,
      orderType: enumField(so['orderType'], ['limit', 'market'], 'limit'),
      marketActivationBandPct: decField(so['marketActivationBandPct'], '0.5'),
    },
    takeProfit: {
      pct: decField(tp['pct'], '1.5'),
      base: enumField(tp['base'], ['average', 'baseOrder'], 'average'),
      orderType: enumField(tp['orderType'], ['limit', 'market'], 'limit'),
      trailing: {
        enabled: boolField(obj(tp['trailing'])['enabled'], false),
        deviationPct: decField(obj(tp['trailing'])['deviationPct'], '0.5'),
      },
    },
    stopLoss: {
      pct: decField(sl['pct'], '0'),
      base: enumField(sl['base'], ['average', 'baseOrder'], 'average'),
      activation: enumField(sl['activation'], ['always', 'afterLastSafetyOrder'], 'always'),
      timeoutSec: intField(sl['timeoutSec'], 0),
      onTrigger: enumField(sl['onTrigger'], ['closeAndContinue', 'closeAndStopBot'], 'closeAndStopBot'),
    },
    deal: {
      cooldownSec: intField(deal['cooldownSec'], 0),
      startDelaySec: intField(deal['startDelaySec'], 0),
      timeoutSec: intField(deal['timeoutSec'], 0),
      maxDeals: optInt(deal['maxDeals']),
    },
    start: normalizeStart(obj(r['start'])),
    reinvest: { pct: decField(obj(r['reinvest'])['pct'], '0') },
    budget: {
      maxQuote: decField(obj(r['budget'])['maxQuote'], '0'),
      reserveFunds: enumField(obj(r['budget'])['reserveFunds'], ['all', 'activeOnly'], 'all'),
    },
    feeRateOverridePct: optDec(r['feeRateOverridePct']),
    session: normalizeSession(obj(r['session'])),
  };
}

function normalizeStart(s: Readonly<Record<string, unknown>>): DcaParams['start'] {
  const ind = s['indicator'] === undefined ? null : obj(s['indicator']);
  const trigger = optDec(obj(s['price'])['triggerPrice']);
  return {
    mode: enumField(s['mode'], ['immediate', 'webhook', 'indicator', 'price'], 'immediate'),
    webhook: {
      secretRef: optString(obj(s['webhook'])['secretRef']),
      maxSignalAgeSec: intField(obj(s['webhook'])['maxSignalAgeSec'], 60),
    },
    indicator: ind
      ? {
          type: 'rsi',
          timeframe: optString(ind['timeframe']) ?? '1h',
          period: intField(ind['period'], 14),
          threshold: decField(ind['threshold'], '30'),
          condition: enumField(ind['condition'], ['crossUp', 'crossDown', 'above', 'below'], 'below'),
        }
      : null,
    price: trigger === null ? null : { triggerPrice: trigger },
    minPrice: optDec(s['minPrice']),
    maxPrice: optDec(s['maxPrice']),
  };
}

function normalizeSession(s: Readonly<Record<string, unknown>>): DcaParams['session'] {
  return {
    calendar: optString(s['calendar']),
    allowExtendedHours: boolField(s['allowExtendedHours'], false),
    outsideSession: enumField(s['outsideSession'], ['holdOrders', 'cancelRestingOrders'], 'holdOrders'),
  };
}

/** The DCA Futures additions of §3.2 (absent on spot params). */
export interface FuturesFields {
  readonly leverage: Dec;
  readonly marginMode: 'isolated' | 'cross';
  readonly positionMode: 'oneWay' | 'hedge';
  readonly liquidation: {
    readonly minDistancePct: Dec;
    readonly bufferRatio: Dec;
    readonly emergencyDistancePct: Dec;
  };
  readonly pumpProtection: GuardParams;
  readonly dumpProtection: GuardParams;
  readonly funding: {
    readonly maxOpenRatePct: Dec | null;
    readonly avoidStartWithinSec: number;
    readonly includeInPnl: boolean;
  };
}

/** A pump or dump guard: a move of `maxMovePct` within `windowSec` blocks entries until calm for `holdSec`. */
export interface GuardParams {
  readonly enabled: boolean;
  readonly windowSec: number;
  readonly maxMovePct: Dec;
  readonly holdSec: number;
}

/** The futures fields of params, or null for spot params. */
export function futuresOf(params: DcaParams): FuturesFields | null {
  return 'liquidation' in params ? (params as DcaParams & FuturesFields) : null;
}
