/**
 * Capped exponential backoff with jitter, per key (controller-runtime's per-item limiter, with jitter so
 * a fleet of failing bots does not retry in lock-step). The random source is injected for tests.
 */

/** Backoff parameters. */
export interface BackoffPolicy {
  /** Delay after the first failure. */
  readonly baseMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  /** Fraction of the delay that is randomised, 0 (none) … 1 (full jitter). */
  readonly jitter: number;
  /** Uniform random numbers in [0, 1). */
  readonly random: () => number;
}

/** Defaults: 500 ms doubling to 5 minutes, with 20 % jitter. */
export const DEFAULT_BACKOFF: Omit<BackoffPolicy, 'random'> = { baseMs: 500, maxMs: 300_000, jitter: 0.2 };

/** The delay before retry number `failures` (1 = after the first failure), in [(1 − jitter)·d, d]. */
export function backoffDelay(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 52);
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(capped * (1 - policy.jitter * policy.random()));
}
