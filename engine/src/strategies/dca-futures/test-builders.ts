/** Test builders for DCA Futures: the DCA-FUT-1 params of §3.7 with overrides. Used only by tests. */
import { merge } from '../dca/test-builders.ts';
import { normalizeDcaFuturesParams } from './params.ts';
import type { DcaFuturesParams } from './params.ts';

/** DCA-FUT-1: long, isolated 5×, margins 10 + 10/20/40 at d 2 %, r 1.5, tp 1.5 %, b 2 %, buffer 0.05, fee 0.05 %. */
export function aDcaFuturesParams(overrides: unknown = {}): DcaFuturesParams {
  const base = {
    direction: 'long',
    leverage: '5',
    marginMode: 'isolated',
    baseOrder: { size: '10', sizeUnit: 'margin', orderType: 'market' },
    safetyOrders: {
      maxCount: 3,
      maxActive: 1,
      size: '10',
      sizeUnit: 'margin',
      deviationPct: '2',
      stepScale: '1.5',
      volumeScale: '2',
    },
    takeProfit: { pct: '1.5' },
    liquidation: { minDistancePct: '2', bufferRatio: '0.05' },
    budget: { maxQuote: '100' },
    feeRateOverridePct: '0.05',
    pumpProtection: { enabled: false },
    dumpProtection: { enabled: false },
  };
  return normalizeDcaFuturesParams(merge(base, overrides));
}
