/** Test builders for TWAP: the TWAP-1 params of §4.7 with overrides. Used only by tests. */
import { merge } from '../dca/test-builders.ts';
import { normalizeTwapParams } from './params.ts';
import type { TwapParams } from './params.ts';

/** TWAP-1: buy 1 BTC over 60 min in 12 startAligned IOC slices, limit 60 100, cap 3× nominal. */
export function aTwapParams(overrides: unknown = {}): TwapParams {
  const base = {
    side: 'buy',
    totalQuantity: '1',
    durationSec: 3600,
    slices: { count: 12, anchor: 'startAligned', orderType: 'limitIoc', maxSlippageBps: 0, retries: 1 },
    priceProtection: { limitPrice: '60100', reference: 'executable' },
    catchUp: { mode: 'redistribute', maxMultiple: '3' },
  };
  return normalizeTwapParams(merge(base, overrides));
}
