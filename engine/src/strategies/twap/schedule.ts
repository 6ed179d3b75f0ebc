/**
 * TWAP schedule and slice sizing (strategies/dca-twap-risk.md §4.3.1, §4.3.4): slice count and times
 * (with seeded jitter), the nominal slice, and the requested quantity of a slice under each catch-up mode.
 * Randomness comes from a PRNG seeded by params or the bot key, never from Math.random.
 */
import { dec, div, gt, lt, min, mul, str, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import { fnv1a32 } from '../../core/ids.ts';
import { addSessionMillis } from '../../calendar/nyse.ts';
import type { TwapParams } from './params.ts';

/** Slice count N and spacing Δ (ms) of §4.3.1. */
export function sliceGeometry(p: TwapParams): { n: number; intervalMs: number } {
  const durationMs = p.durationSec * 1000;
  if (p.slices.count !== null) {
    const n = Math.max(1, p.slices.count);
    const gaps = p.slices.anchor === 'endInclusive' && n > 1 ? n - 1 : n;
    return { n, intervalMs: Math.floor(durationMs / gaps) };
  }
  const intervalMs = Math.max(1, p.slices.intervalSec ?? 30) * 1000;
  const n = Math.floor(durationMs / intervalMs) + (p.slices.anchor === 'endInclusive' ? 1 : 0);
  return { n: Math.max(1, n), intervalMs };
}

/** A deterministic uniform number in [0, 1) for a seed and a label (mulberry32 of FNV-1a). */
export function uniform(seed: string, label: string): number {
  let t = (fnv1a32(`${seed}:${label}`) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A symmetric random fraction in [−x, +x] as a decimal (x a fraction), rounded to 1e-6. */
export function symmetric(seed: string, label: string, x: Dec): Dec {
  const u = Math.round((uniform(seed, label) * 2 - 1) * 1e6);
  return mul(x, div(String(u), '1000000'));
}

/**
 * Slice times from `start`: `t_i = start + i·Δ`, jittered by up to ±timeJitterPct·Δ and clamped so that
 * t_0 ≥ start, times strictly increase and the last ≤ end. With the session clock (stocks) the offsets
 * are session time, so no slice falls in a closed market.
 */
export function sliceTimes(p: TwapParams, start: EpochMs, seed: string): EpochMs[] {
  const { n, intervalMs } = sliceGeometry(p);
  const sessionClock = p.session.calendar !== null && p.session.clock === 'session';
  const at = (offset: number): EpochMs => (sessionClock ? addSessionMillis(start, offset) : start + offset);
  const end = at(p.durationSec * 1000);
  const jitter = div(p.randomization.timeJitterPct, '100');
  const times: EpochMs[] = [];
  for (let i = 0; i < n; i++) {
    const shift = gt(jitter, '0') ? Math.round(Number(symmetric(seed, `time:${i}`, jitter)) * intervalMs) : 0;
    const previous = times[i - 1];
    let t = at(Math.max(0, i * intervalMs + shift));
    if (previous !== undefined && t <= previous) t = previous + 1;
    times.push(Math.min(t, Math.max(end, previous === undefined ? start : previous + 1)));
  }
  return times;
}

/** Nominal slice q̄ = floor_step(total / N). */
export const nominalSlice = (total: Dec, n: number, lot: Dec): Dec =>
  toStep(div(total, String(n)), lot, 'floor');

/** What the sizing rule needs to know about progress. */
export interface SliceProgress {
  readonly index: number;
  readonly n: number;
  readonly total: Dec;
  readonly filled: Dec;
  readonly nominal: Dec;
  /** nextSlice: nominal quantity of skipped slices plus unfilled remainders since the last executed slice. */
  readonly deficit: Dec;
}

/**
 * The requested quantity of slice i before randomisation and clamping (§4.3.4):
 * redistribute `rem/left` (last slice `rem`), nextSlice `q̄ + deficit` (last `rem`), none `q̄` (last
 * `total − (N−1)·q̄`, or `rem` when paused slices are appended instead of forfeited).
 */
export function requestedQuantity(p: TwapParams, g: SliceProgress, lot: Dec): Dec {
  const rem = sub(g.total, g.filled);
  const last = g.index >= g.n - 1;
  switch (p.catchUp.mode) {
    case 'redistribute':
      return last ? rem : toStep(div(rem, String(g.n - g.index)), lot, 'floor');
    case 'nextSlice':
      return last ? rem : str(dec(g.nominal).plus(g.deficit));
    case 'none':
      if (!last) return g.nominal;
      return p.catchUp.extendOnPause ? rem : min(rem, sub(g.total, mul(g.nominal, String(g.n - 1))));
  }
}

/** Applies randomisation (never on the last slice), the maxMultiple cap (not on the last slice), rem and lot. */
export function clampSlice(p: TwapParams, q: Dec, g: SliceProgress, seed: string, lot: Dec): Dec {
  const last = g.index >= g.n - 1;
  const rem = sub(g.total, g.filled);
  let out = q;
  if (!last && gt(p.randomization.sizePct, '0')) {
    out = mul(out, str(dec(1).plus(symmetric(seed, `size:${g.index}`, div(p.randomization.sizePct, '100')))));
  }
  if (!last) out = min(out, mul(p.catchUp.maxMultiple, g.nominal));
  out = min(out, rem);
  return lt(out, '0') ? '0' : toStep(out, lot, 'floor');
}
