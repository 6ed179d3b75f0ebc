/**
 * Values a DCA bot derives from its params alone — the ladder's deviations, step factors and sizes, the
 * take-profit, stop-loss and trailing multipliers, the ladder's total notional — computed once per params
 * object instead of on every event.
 *
 * Why this is exact and pure: each value is the same decimal text the per-event formula produced (the same
 * operations on the same inputs, merely performed earlier), and params are immutable data that a step only
 * ever replaces whole (paramsChanged), so a cache keyed by the params object can never serve a value of
 * other params. The cache is not state: a resumed run (params parsed from a checkpoint) simply recomputes.
 */
import type { DcaParams } from './params.ts';

const cache = new WeakMap<object, Map<string, unknown>>();

/** `compute()` for these params, computed once per params object and `key` (the key names the formula). */
export function derived<T>(params: DcaParams, key: string, compute: () => T): T {
  let values = cache.get(params);
  if (values === undefined) {
    values = new Map();
    cache.set(params, values);
  }
  const known = values.get(key);
  if (known !== undefined || values.has(key)) return known as T;
  const value = compute();
  values.set(key, value);
  return value;
}

/**
 * `compute(input)` through a one-entry memo per params object and `key`: for values that change rarely
 * (a liquidation level changes only when the position does) yet are needed on every bar. `input` must
 * determine the result together with the params.
 */
export function derivedLast<T>(params: DcaParams, key: string, input: string, compute: () => T): T {
  const last = derived(params, key, () => ({
    input: undefined as string | undefined,
    value: undefined as T,
  }));
  if (last.input !== input) {
    last.value = compute();
    last.input = input;
  }
  return last.value;
}
