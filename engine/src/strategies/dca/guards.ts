/**
 * DCA Futures pump/dump protection (strategies/dca-twap-risk.md §3.3.5, thresholds [I]):
 * `move = P_now / P_(now − windowSec) − 1`. A move in the entry direction defers deal starts; a move
 * against the position stops new safety-order placements; both hold for `holdSec` after the condition
 * was last true. Spot DCA has no guards (the params carry none).
 */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import { futuresOf } from './params.ts';
import type { GuardParams } from './params.ts';
import type { DcaState } from './state.ts';

const SEC = 1000;

/** Records a price sample and re-evaluates both guards (no-op on spot). */
export function observeGuards(s: DcaState, ts: EpochMs, price: Dec): void {
  const fut = futuresOf(s.params);
  if (!fut) return;
  const window = Math.max(fut.pumpProtection.windowSec, fut.dumpProtection.windowSec) * SEC;
  s.history.push([ts, price]);
  let firstKept = 0;
  for (let i = 0; i < s.history.length; i++) if (s.history[i]![0] <= ts - window) firstKept = i;
  // The step's working copy owns this array (workingCopy), so old samples are dropped in place.
  if (firstKept > 0) s.history.splice(0, firstKept);
  const up: 1 | -1 = s.params.direction === 'long' ? 1 : -1;
  const pump = moved(s, fut.pumpProtection, ts, price, up);
  const dump = moved(s, fut.dumpProtection, ts, price, up === 1 ? -1 : 1);
  if (pump) s.guards.pumpUntil = ts + fut.pumpProtection.holdSec * SEC;
  if (dump) s.guards.dumpUntil = ts + fut.dumpProtection.holdSec * SEC;
}

function moved(s: DcaState, g: GuardParams, ts: EpochMs, price: Dec, direction: 1 | -1): boolean {
  if (!g.enabled) return false;
  const start = ts - g.windowSec * SEC;
  // Reference: the newest sample at or before the window start, else the oldest one we have.
  let ref = s.history[0]?.[1];
  for (const [t, p] of s.history) if (t <= start) ref = p;
  if (ref === undefined) return false;
  return moveReaches(price, ref, direction, g.maxMovePct);
}

/**
 * Whether `(price / ref − 1)·direction·100 ≥ maxMovePct`. Guards sample every bar, so floats decide
 * whenever the move is clearly on one side: their error here is ~1e-15 relative, and a margin a million
 * times larger sends every near-tie (and any value outside the normal float range) to the exact decimal
 * comparison, so the answer is always the exact one.
 */
export function moveReaches(price: Dec, ref: Dec, direction: 1 | -1, maxMovePct: Dec): boolean {
  const p = Number(price);
  const r = Number(ref);
  const limit = Number(maxMovePct);
  if (normalFloat(p) && normalFloat(r) && r !== 0 && normalFloat(limit)) {
    const ratio = p / r;
    const move = (ratio - 1) * direction * 100;
    const margin = 1e-9 * (1 + 100 * Math.abs(ratio) + Math.abs(limit));
    if (Math.abs(move - limit) > margin) return move > limit;
  }
  const move = dec(price).dividedBy(dec(ref)).minus(1).times(direction).times(100);
  return move.greaterThanOrEqualTo(dec(maxMovePct));
}

/** Zero or a float far from overflow and underflow, where parsing keeps ~16 significant digits. */
const normalFloat = (x: number): boolean => x === 0 || (Math.abs(x) >= 1e-300 && Math.abs(x) <= 1e300);

/** Whether the pump guard defers deal starts at `now`. */
export const pumpActive = (s: DcaState, now: EpochMs): boolean =>
  s.guards.pumpUntil !== null && now < s.guards.pumpUntil;

/** Whether the dump guard blocks new safety orders at `now`. */
export const dumpActive = (s: DcaState, now: EpochMs): boolean =>
  s.guards.dumpUntil !== null && now < s.guards.dumpUntil;
