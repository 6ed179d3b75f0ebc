/** TWAP params: the parameter table of strategies/dca-twap-risk.md §4.2 with its defaults. */
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import { boolField, decField, enumField, intField, obj, optDec, optInt, optString } from '../dca/read.ts';

/** Typed TWAP params. */
export interface TwapParams {
  readonly side: 'buy' | 'sell';
  readonly reduceOnly: boolean;
  readonly totalQuantity: Dec;
  readonly quantityUnit: 'base' | 'quote';
  /** Scheduled start (epoch ms); null = when the run starts. */
  readonly startAt: EpochMs | null;
  readonly durationSec: number;
  readonly slices: {
    readonly count: number | null;
    readonly intervalSec: number | null;
    readonly anchor: 'startAligned' | 'endInclusive';
    readonly orderType: 'market' | 'limitIoc' | 'limitPassive';
    readonly maxSlippageBps: number;
    readonly passiveOffsetBps: number;
    readonly resubmitAfterSec: number | null;
    readonly retries: number;
  };
  readonly randomization: {
    readonly sizePct: Dec;
    readonly timeJitterPct: Dec;
    readonly seed: string | null;
  };
  readonly priceProtection: {
    readonly limitPrice: Dec | null;
    readonly reference: 'executable' | 'mid' | 'last' | 'mark';
  };
  readonly catchUp: {
    readonly mode: 'redistribute' | 'nextSlice' | 'none';
    readonly maxMultiple: Dec;
    readonly extendOnPause: boolean;
    readonly maxExtensionSec: number;
  };
  readonly completion: { readonly graceSec: number | null };
  readonly maxParticipationPct: Dec | null;
  readonly session: {
    readonly calendar: string | null;
    readonly allowExtendedHours: boolean;
    readonly clock: 'wall' | 'session';
  };
}

function timestamp(value: unknown): EpochMs | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** Applies §4.2 defaults (interval 30 s when neither count nor interval is given). */
export function normalizeTwapParams(raw: unknown): TwapParams {
  const r = obj(raw);
  const sl = obj(r['slices']);
  const rnd = obj(r['randomization']);
  const pp = obj(r['priceProtection']);
  const cu = obj(r['catchUp']);
  const ses = obj(r['session']);
  const count = optInt(sl['count']);
  return {
    side: enumField(r['side'], ['buy', 'sell'], 'buy'),
    reduceOnly: boolField(r['reduceOnly'], false),
    totalQuantity: decField(r['totalQuantity'], '0'),
    quantityUnit: enumField(r['quantityUnit'], ['base', 'quote'], 'base'),
    startAt: timestamp(r['startAt']),
    durationSec: intField(r['durationSec'], 0),
    slices: {
      count,
      intervalSec: optInt(sl['intervalSec']) ?? (count === null ? 30 : null),
      anchor: enumField(sl['anchor'], ['startAligned', 'endInclusive'], 'startAligned'),
      orderType: enumField(sl['orderType'], ['market', 'limitIoc', 'limitPassive'], 'limitIoc'),
      maxSlippageBps: intField(sl['maxSlippageBps'], 50),
      passiveOffsetBps: intField(sl['passiveOffsetBps'], 0),
      resubmitAfterSec: optInt(sl['resubmitAfterSec']),
      retries: intField(sl['retries'], 1),
    },
    randomization: {
      sizePct: decField(rnd['sizePct'], '0'),
      timeJitterPct: decField(rnd['timeJitterPct'], '0'),
      seed: optString(rnd['seed']),
    },
    priceProtection: {
      limitPrice: optDec(pp['limitPrice']),
      reference: enumField(pp['reference'], ['executable', 'mid', 'last', 'mark'], 'executable'),
    },
    catchUp: {
      mode: enumField(cu['mode'], ['redistribute', 'nextSlice', 'none'], 'redistribute'),
      maxMultiple: decField(cu['maxMultiple'], '3'),
      extendOnPause: boolField(cu['extendOnPause'], false),
      maxExtensionSec: intField(cu['maxExtensionSec'], 0),
    },
    completion: { graceSec: optInt(obj(r['completion'])['graceSec']) },
    maxParticipationPct: optDec(r['maxParticipationPct']),
    session: {
      calendar: optString(ses['calendar']),
      allowExtendedHours: boolField(ses['allowExtendedHours'], false),
      clock: enumField(ses['clock'], ['wall', 'session'], 'session'),
    },
  };
}
