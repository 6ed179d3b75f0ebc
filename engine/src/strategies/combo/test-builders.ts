/** Test builders for Combo: example C of grid-family.md §6.7 / Appendix A.5 with overrides. Used only by tests. */
import { merge } from '../dca/test-builders.ts';
import { normalizeComboParams } from './params.ts';
import type { ComboParams } from './params.ts';

/** Example C: LONG, 300 isolated at 2×, base 2, SOs 2 × (20 %, ×1 step, ×2 volume), 4 exits 5 %/5 %, SL 45 % trailing, range 50–150. */
export function aComboParams(overrides: unknown = {}): ComboParams {
  const base = {
    direction: 'LONG',
    investment: '300',
    leverage: 2,
    marginMode: 'isolated',
    lowPrice: '50',
    highPrice: '150',
    baseOrder: { qty: '2', type: 'market' },
    safetyOrders: { count: 2, stepPct: '20', stepMultiplier: '1', qty: '2', volumeMultiplier: '2' },
    exit: { levels: 4, minProfitPct: '5', stepPct: '5', anchor: 'averageEntry', reentry: true },
    stopLoss: { pct: '45', trailing: true },
    repeat: true,
    cooldownSec: 0,
    liquidationBufferPct: '5',
  };
  return normalizeComboParams(merge(base, overrides));
}
