/**
 * Field-level diff of two bots. Maps are compared key by key; lists are one field (a ladder is one
 * thing to review); decimals compare by value, so `1.50` → `1.5` is no change.
 */
import { dec, isDec } from '@tradingtower/engine';
import type { ChangeClassifier } from './change-classes.ts';
import type { CurrentBot, FieldChange } from './types.ts';

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && isDec(value) ? value : undefined;
}

/** Deep equality where decimals compare by value. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const da = decimalText(a);
  const db = decimalText(b);
  if (da !== undefined && db !== undefined) return dec(da).equals(dec(db));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!same(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Changed leaf paths between two values (maps recurse; everything else is a leaf). */
export function changedPaths(
  from: unknown,
  to: unknown,
  prefix: string,
  out: { path: string; from: unknown; to: unknown }[] = [],
): typeof out {
  if (isMap(from) && isMap(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const key of keys) changedPaths(from[key], to[key], prefix === '' ? key : `${prefix}.${key}`, out);
    return out;
  }
  if (!same(from, to)) out.push({ path: prefix, from: from ?? null, to: to ?? null });
  return out;
}

const IDENTITY = ['strategy', 'account', 'market'] as const;

/** Every changed field of a bot with its class (state is not a field: it becomes the action). */
export function diffBot(current: CurrentBot, desired: CurrentBot, classify: ChangeClassifier): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const key of IDENTITY) {
    if (current[key] !== desired[key])
      fields.push({ path: key, from: current[key], to: desired[key], class: 'immutable' });
  }
  for (const change of changedPaths(current.params ?? {}, desired.params ?? {}, '')) {
    fields.push({
      ...change,
      path: `params.${change.path}`,
      class: classify(desired.strategy, change.path, change.from, change.to),
    });
  }
  // Control-plane sections: risk limits, signal wiring, update policy and labels apply without exchange calls.
  const hot: [string, unknown, unknown][] = [
    ['risk', current.risk, desired.risk],
    ['signals', current.signals, desired.signals],
    ['update', current.update, desired.update],
    ['metadata.labels', current.labels, desired.labels],
  ];
  for (const [prefix, from, to] of hot) {
    for (const change of changedPaths(from ?? {}, to ?? {}, prefix)) fields.push({ ...change, class: 'hot' });
  }
  return fields;
}
