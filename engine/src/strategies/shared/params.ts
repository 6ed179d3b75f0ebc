/**
 * Loose-input readers for `normalizeParams`: manifests give decimals as exact text, hand-written tests may
 * give numbers; both become canonical `Dec`. A missing required field throws with its path (schemas
 * reject such manifests first, so this only fires for hand-built params).
 */
import { isDec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';

/** A raw params object (or sub-object) as it arrives. */
export type Raw = Readonly<Record<string, unknown>>;

/** The object at `key`, or an empty object. */
export function objectAt(raw: Raw, key: string): Raw {
  const value = raw[key];
  return typeof value === 'object' && value !== null ? (value as Raw) : {};
}

/** The value as raw params, or an empty object when it is not an object. */
export const asRaw = (value: unknown): Raw =>
  typeof value === 'object' && value !== null ? (value as Raw) : {};

/** A decimal field, or undefined when absent. */
export function optDec(raw: Raw, key: string, path = key): Dec | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return str(String(value));
  if (typeof value === 'string' && isDec(value)) return str(value);
  throw new TypeError(`params.${path}: expected a decimal, got ${JSON.stringify(value)}`);
}

/** A decimal field with a default (required when `fallback` is undefined). */
export function reqDec(raw: Raw, key: string, fallback?: Dec, path = key): Dec {
  const value = optDec(raw, key, path) ?? fallback;
  if (value === undefined) throw new TypeError(`params.${path} is required`);
  return value;
}

/** An integer field, or undefined when absent. */
export function optInt(raw: Raw, key: string, path = key): number | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw new TypeError(`params.${path}: expected an integer, got ${JSON.stringify(value)}`);
}

/** A boolean field with a default. */
export function bool(raw: Raw, key: string, fallback: boolean, path = key): boolean {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  throw new TypeError(`params.${path}: expected true or false, got ${JSON.stringify(value)}`);
}

/** One of `allowed`, with a default. */
export function oneOf<T extends string>(
  raw: Raw,
  key: string,
  allowed: readonly T[],
  fallback: T,
  path = key,
): T {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new TypeError(`params.${path}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

/** Pump protection settings (§1.10d); thresholds are our deterministic placeholder [I]. */
export interface PumpProtection {
  readonly enabled: boolean;
  readonly windowSec: number;
  readonly maxMovePct: Dec;
  readonly cooldownSec: number;
}

/** Reads `pumpProtection` with the document defaults; `enabledByDefault` when any trailing is on. */
export function pumpProtectionOf(raw: Raw, enabledByDefault: boolean): PumpProtection {
  const p = objectAt(raw, 'pumpProtection');
  return {
    enabled: bool(p, 'enabled', enabledByDefault, 'pumpProtection.enabled'),
    windowSec: optInt(p, 'windowSec', 'pumpProtection.windowSec') ?? 60,
    maxMovePct: reqDec(p, 'maxMovePct', '3', 'pumpProtection.maxMovePct'),
    cooldownSec: optInt(p, 'cooldownSec', 'pumpProtection.cooldownSec') ?? 300,
  };
}

/** Price and PnL-percent triggers of a stop loss or take profit. */
export interface StopTrigger {
  readonly price?: Dec;
  readonly pnlPct?: Dec;
}

/** Reads a `{ price, pnlPct }` trigger object. */
export function stopTriggerOf(raw: Raw, key: string): StopTrigger {
  const o = objectAt(raw, key);
  const price = optDec(o, 'price', `${key}.price`);
  const pnlPct = optDec(o, 'pnlPct', `${key}.pnlPct`);
  return { ...(price !== undefined ? { price } : {}), ...(pnlPct !== undefined ? { pnlPct } : {}) };
}

/** `{ [key]: value }`, or `{}` when the value is undefined (keeps optional properties absent). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
