/**
 * Loose reading of raw params for `normalizeParams`: manifests deliver exact decimal text, but tests
 * and hand-written params may use numbers, so every decimal field accepts either and becomes a `Dec`.
 */
import { isDec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';

/** A plain object view of an unknown value (empty when it is not an object). */
export function obj(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A decimal field: number or decimal text; `fallback` when absent or unreadable. */
export function decField(value: unknown, fallback: Dec): Dec {
  if (typeof value === 'number' && Number.isFinite(value)) return str(String(value));
  if (typeof value === 'string' && isDec(value)) return str(value);
  return fallback;
}

/** An optional decimal field: undefined/null stays null. */
export function optDec(value: unknown): Dec | null {
  if (value === undefined || value === null) return null;
  const d = decField(value, '');
  return d === '' ? null : d;
}

/** An integer field; decimal text is accepted too. */
export function intField(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return fallback;
}

/** An optional integer field (null when absent). */
export function optInt(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const n = intField(value, Number.NaN);
  return Number.isNaN(n) ? null : n;
}

/** A boolean field. */
export function boolField(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** An enum field: the value when it is one of `allowed`, else the fallback. */
export function enumField<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

/** A string field or null. */
export function optString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
