/**
 * Pump protection detector (grid-family.md §1.10d, thresholds [I]): active while the price moved at least
 * `maxMovePct` within `windowSec`, released once it has not been active for `cooldownSec`.
 */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { PumpProtection } from './params.ts';

/** Recent price samples and when the detector last fired. Plain data. */
export interface PumpState {
  readonly samples: readonly { readonly ts: EpochMs; readonly price: Dec }[];
  readonly lastActiveTs?: EpochMs;
}

/** A detector with no history. */
export const NO_PUMP: PumpState = { samples: [] };

/**
 * Records a price observation and re-evaluates the detector. Keeps only the samples inside the window plus
 * the newest one at or before its start (the reference price `price(now − windowSec)`).
 */
export function observePrice(state: PumpState, config: PumpProtection, ts: EpochMs, price: Dec): PumpState {
  const windowStart = ts - config.windowSec * 1000;
  const sample = { ts, price };
  // The newest sample at or before the window start is where the kept ones begin (the new one when even it
  // is that old); found on the old samples so that the kept list is the only copy made.
  const old = state.samples;
  let firstKept = 0;
  for (let i = 0; i < old.length; i++) if (old[i]!.ts <= windowStart) firstKept = i;
  if (ts <= windowStart) firstKept = old.length;
  const kept = old.slice(firstKept);
  kept.push(sample);
  const reference = kept[0]!;
  // Samples are kept even when protection is off, so turning it on mid-run sees the same window.
  const firing =
    config.enabled && movePct(price, reference.price).greaterThanOrEqualTo(dec(config.maxMovePct));
  const lastActiveTs = firing ? ts : state.lastActiveTs;
  return lastActiveTs === undefined ? { samples: kept } : { samples: kept, lastActiveTs };
}

/** |price / reference − 1| × 100. */
const movePct = (price: Dec, reference: Dec) =>
  dec(price).dividedBy(dec(reference)).minus(1).abs().times(100);

/** Whether pump protection blocks trailing at `ts` (detector fired within the cooldown). */
export function pumpBlocks(state: PumpState, config: PumpProtection, ts: EpochMs): boolean {
  if (!config.enabled || state.lastActiveTs === undefined) return false;
  return ts < state.lastActiveTs + config.cooldownSec * 1000;
}

/** When the block is released if the detector does not fire again. */
export function pumpReleaseTs(state: PumpState, config: PumpProtection): EpochMs | undefined {
  return state.lastActiveTs === undefined ? undefined : state.lastActiveTs + config.cooldownSec * 1000;
}
