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
  s.history = s.history.slice(firstKept);
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
  const move = dec(price).dividedBy(dec(ref)).minus(1).times(direction).times(100);
  return move.greaterThanOrEqualTo(dec(g.maxMovePct));
}

/** Whether the pump guard defers deal starts at `now`. */
export const pumpActive = (s: DcaState, now: EpochMs): boolean =>
  s.guards.pumpUntil !== null && now < s.guards.pumpUntil;

/** Whether the dump guard blocks new safety orders at `now`. */
export const dumpActive = (s: DcaState, now: EpochMs): boolean =>
  s.guards.dumpUntil !== null && now < s.guards.dumpUntil;
