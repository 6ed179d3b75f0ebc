/** TWAP run state (plain JSON) and its small helpers. */
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { TwapParams } from './params.ts';

/** Phases of §4.4; the last four are terminal. */
export type TwapPhase =
  'Pending' | 'Running' | 'Paused' | 'Finishing' | 'Completed' | 'Expired' | 'Cancelled' | 'Failed';

/** The child order in flight. */
export interface LiveChild {
  readonly key: string;
  readonly index: number;
  readonly attempt: number;
  /** Requested quantity in base. */
  readonly requested: Dec;
  filled: Dec;
  retriesLeft: number;
  readonly placedAt: EpochMs;
  cancelling: boolean;
}

/** The whole TWAP state. */
export interface TwapState {
  params: TwapParams;
  readonly seed: string;
  phase: TwapPhase;
  startTs: EpochMs | null;
  times: EpochMs[];
  nominal: Dec;
  /** Index of the next slice to evaluate. */
  next: number;
  /** Executed amount in the params' unit (base, or quote in quote mode), and base bought/sold and quote value. */
  filled: Dec;
  baseFilled: Dec;
  cost: Dec;
  fees: Dec;
  /** nextSlice catch-up: quantity owed from skipped slices and unfilled remainders. */
  deficit: Dec;
  live: LiveChild | null;
  /** A slice waiting for the cancel confirmation of the previous passive child. */
  pendingSlice: number | null;
  lastPrice: Dec | null;
  /** Bar volume since the previous slice (participation cap). */
  volume: Dec;
  transientFailures: number;
  extensionMs: number;
  timers: Record<string, EpochMs>;
  /** Log of slice outcomes, for status and tests: quantity sent or the pause reason. */
  slices: { index: number; at: EpochMs; requested: Dec | null; reason?: string }[];
}

/**
 * A private working copy for one reducer step. Steps replace `params`, `times` and `slices` whole (the
 * arrays are only ever extended by copying, once per slice) and never mutate their items, so those are
 * shared; the live child and the timers, which steps mutate, are copied.
 */
export function workingCopy(s: TwapState): TwapState {
  return { ...s, live: s.live === null ? null : { ...s.live }, timers: { ...s.timers } };
}

/** Terminal phases end the run. */
export const TERMINAL: readonly TwapPhase[] = ['Completed', 'Expired', 'Cancelled', 'Failed'];

/** Child order key: `slice:<i>:<attempt>`. */
export const childKey = (index: number, attempt: number): string => `slice:${index}:${attempt}`;
