/**
 * Builds the self-contained editor schema (schemas/bundle/tradingtower.schema.json): every source
 * schema moves under `$defs`, cross-file references become local ones, and the root accepts any of
 * the four manifest kinds, discriminated by `kind`. Descriptions and custom keywords are kept.
 */
import type { JsonSchema } from './analysis.ts';

/** The `$id` prefix of every source schema. */
export const SCHEMA_BASE = 'https://tradingtower.dev/schemas/v1/';

/** The `$id` of the bundle. */
export const BUNDLE_ID = `${SCHEMA_BASE}tradingtower.schema.json`;

/** The source schemas the bundle is made of. */
export interface BundleSources {
  readonly common: JsonSchema;
  /** Manifest kind (`Bot`, …) → its schema. */
  readonly kinds: Readonly<Record<string, JsonSchema>>;
  /** Strategy kind (`grid`, …) → its params schema. */
  readonly strategies: Readonly<Record<string, JsonSchema>>;
}

/** The `$defs` name of a strategy's params schema in the bundle (`futures-grid` → `FuturesGridParams`). */
export function paramsDefName(strategy: string): string {
  const pascal = strategy
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}Params`;
}

function rewriteRef(ref: string): string {
  const common = /^(?:\.\.\/)?common\.schema\.json#\/\$defs\/(.+)$/.exec(ref);
  if (common) return `#/$defs/${common[1]}`;
  const strategy = /^(?:\.\.\/strategies\/|\.\/)?([a-z-]+)\.params\.schema\.json$/.exec(ref);
  if (strategy?.[1] !== undefined) return `#/$defs/${paramsDefName(strategy[1])}`;
  if (ref.startsWith('#/$defs/')) return ref;
  throw new Error(`bundle: cannot inline $ref ${ref}`);
}

/** A deep copy of `value` with `$ref`s made local and the top-level `$id`/`$schema` dropped. */
function localise(value: unknown, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => localise(item, false));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (top && (key === '$id' || key === '$schema' || key === '$defs')) continue;
    out[key] = key === '$ref' && typeof child === 'string' ? rewriteRef(child) : localise(child, false);
  }
  return out;
}

function sortedEntries(record: Readonly<Record<string, JsonSchema>>): [string, JsonSchema][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The editor bundle: one schema accepting any manifest document, all references local. */
export function buildBundle(sources: BundleSources): JsonSchema {
  const defs: Record<string, unknown> = {};
  const commonDefs = (sources.common['$defs'] ?? {}) as Readonly<Record<string, JsonSchema>>;
  for (const [name, schema] of sortedEntries(commonDefs)) defs[name] = localise(schema, false);
  for (const [kind, schema] of sortedEntries(sources.kinds)) defs[kind] = localise(schema, true);
  for (const [strategy, schema] of sortedEntries(sources.strategies)) {
    defs[paramsDefName(strategy)] = localise(schema, true);
  }
  const kinds = sortedEntries(sources.kinds).map(([kind]) => kind);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: BUNDLE_ID,
    title: 'TradingTower manifest',
    description:
      'Any TradingTower manifest document (Bot, Account, Policy, SignalSource), selected by `kind`. Generated from schemas/ by `npm run gen:types` — do not edit.',
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { $ref: '#/$defs/apiVersion' },
      kind: { description: 'Manifest kind.', type: 'string', enum: kinds },
    },
    allOf: kinds.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: { $ref: `#/$defs/${kind}` },
    })),
    $defs: defs,
  };
}
