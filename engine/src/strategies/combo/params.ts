/** Combo params: the parameter table of strategies/grid-family.md §6.2 with its defaults. */
import type { Dec } from '../../core/decimal.ts';
import { boolField, decField, enumField, intField, obj, optDec, optInt } from '../dca/read.ts';

/** Typed Combo params. Sizes are given as base `qty` or `quote` (exactly one). */
export interface ComboParams {
  readonly direction: 'LONG' | 'SHORT';
  readonly investment: Dec;
  readonly leverage: Dec;
  readonly marginMode: 'isolated' | 'cross';
  /** Range; null = ±10 % around each deal's P_0. */
  readonly lowPrice: Dec | null;
  readonly highPrice: Dec | null;
  readonly baseOrder: {
    readonly qty: Dec | null;
    readonly quote: Dec | null;
    readonly type: 'market' | 'limit';
    readonly price: Dec | null;
  };
  readonly safetyOrders: {
    readonly count: number;
    readonly stepPct: Dec;
    readonly stepMultiplier: Dec;
    readonly qty: Dec | null;
    readonly quote: Dec | null;
    readonly volumeMultiplier: Dec;
  };
  readonly exit: {
    readonly levels: number;
    readonly minProfitPct: Dec;
    readonly stepPct: Dec;
    readonly anchor: 'averageEntry' | 'firstOrder';
    readonly reentry: boolean;
  };
  readonly stopLoss: { readonly pct: Dec; readonly trailing: boolean };
  readonly takeProfit: { readonly price: Dec | null; readonly pct: Dec | null };
  readonly repeat: boolean;
  readonly cooldownSec: number;
  readonly liquidationBufferPct: Dec;
  readonly layout: 'canonical' | 'bitsgap';
  /** `layout: bitsgap`: one step for DCA and grid and the total number of levels (10–40). */
  readonly stepPct: Dec | null;
  readonly levels: number | null;
  readonly maxActiveOrders: number | null;
}

/** Applies §6.2 defaults. */
export function normalizeComboParams(raw: unknown): ComboParams {
  const r = obj(raw);
  const bo = obj(r['baseOrder']);
  const so = obj(r['safetyOrders']);
  const ex = obj(r['exit']);
  const sl = obj(r['stopLoss']);
  const tp = obj(r['takeProfit']);
  return {
    direction: enumField(r['direction'], ['LONG', 'SHORT'], 'LONG'),
    investment: decField(r['investment'], '0'),
    leverage: decField(r['leverage'], '1'),
    marginMode: enumField(r['marginMode'], ['isolated', 'cross'], 'isolated'),
    lowPrice: optDec(r['lowPrice']),
    highPrice: optDec(r['highPrice']),
    baseOrder: {
      qty: optDec(bo['qty']),
      quote: optDec(bo['quote']),
      type: enumField(bo['type'], ['market', 'limit'], 'market'),
      price: optDec(bo['price']),
    },
    safetyOrders: {
      count: intField(so['count'], 0),
      stepPct: decField(so['stepPct'], '1'),
      stepMultiplier: decField(so['stepMultiplier'], '1'),
      qty: optDec(so['qty']),
      quote: optDec(so['quote']),
      volumeMultiplier: decField(so['volumeMultiplier'], '1'),
    },
    exit: {
      levels: intField(ex['levels'], 1),
      minProfitPct: decField(ex['minProfitPct'], '1'),
      stepPct: decField(ex['stepPct'], '1'),
      anchor: enumField(ex['anchor'], ['averageEntry', 'firstOrder'], 'averageEntry'),
      reentry: boolField(ex['reentry'], true),
    },
    stopLoss: { pct: decField(sl['pct'], '0'), trailing: boolField(sl['trailing'], true) },
    takeProfit: { price: optDec(tp['price']), pct: optDec(tp['pct']) },
    repeat: boolField(r['repeat'], true),
    cooldownSec: intField(r['cooldownSec'], 0),
    liquidationBufferPct: decField(r['liquidationBufferPct'], '5'),
    layout: enumField(r['layout'], ['canonical', 'bitsgap'], 'canonical'),
    stepPct: optDec(r['stepPct']),
    levels: optInt(r['levels']),
    maxActiveOrders: optInt(r['maxActiveOrders']),
  };
}
