/**
 * DCA Futures params: everything of DCA (§2.2) plus the §3.2 additions (leverage, margin mode,
 * liquidation buffer, pump/dump protection, funding). Sizes default to `margin`; reserve funds is `all`.
 */
import type { Dec } from '../../core/decimal.ts';
import { normalizeDcaParams } from '../dca/params.ts';
import type { DcaParams, FuturesFields, GuardParams } from '../dca/params.ts';
import { boolField, decField, enumField, intField, obj, optDec } from '../dca/read.ts';

/** Typed DCA Futures params. */
export type DcaFuturesParams = Omit<DcaParams, 'stopLoss'> &
  FuturesFields & {
    readonly stopLoss: DcaParams['stopLoss'] & {
      readonly triggerPrice: 'mark' | 'last';
      readonly onExchange: boolean;
    };
  };

function guard(raw: unknown, d: { windowSec: number; maxMovePct: Dec; holdSec: number }): GuardParams {
  const g = obj(raw);
  return {
    enabled: boolField(g['enabled'], true),
    windowSec: intField(g['windowSec'], d.windowSec),
    maxMovePct: decField(g['maxMovePct'], d.maxMovePct),
    holdSec: intField(g['holdSec'], d.holdSec),
  };
}

/** Applies the §3.2 defaults on top of the DCA defaults. */
export function normalizeDcaFuturesParams(raw: unknown): DcaFuturesParams {
  const r = obj(raw);
  const base = normalizeDcaParams(raw, ['margin', 'notional', 'base']);
  const sl = obj(r['stopLoss']);
  const liq = obj(r['liquidation']);
  const funding = obj(r['funding']);
  return {
    ...base,
    budget: { ...base.budget, reserveFunds: 'all' },
    stopLoss: {
      ...base.stopLoss,
      triggerPrice: enumField(sl['triggerPrice'], ['mark', 'last'], 'mark'),
      onExchange: boolField(sl['onExchange'], true),
    },
    leverage: decField(r['leverage'], '3'),
    marginMode: enumField(r['marginMode'], ['isolated', 'cross'], 'isolated'),
    positionMode: enumField(r['positionMode'], ['oneWay', 'hedge'], 'oneWay'),
    liquidation: {
      minDistancePct: decField(liq['minDistancePct'], '2'),
      bufferRatio: decField(liq['bufferRatio'], '0.05'),
      emergencyDistancePct: decField(liq['emergencyDistancePct'], '1'),
    },
    pumpProtection: guard(r['pumpProtection'], { windowSec: 300, maxMovePct: '3', holdSec: 300 }),
    dumpProtection: guard(r['dumpProtection'], { windowSec: 60, maxMovePct: '5', holdSec: 120 }),
    funding: {
      maxOpenRatePct: optDec(funding['maxOpenRatePct']),
      avoidStartWithinSec: intField(funding['avoidStartWithinSec'], 0),
      includeInPnl: boolField(funding['includeInPnl'], true),
    },
  };
}
