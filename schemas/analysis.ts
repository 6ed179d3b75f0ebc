/**
 * Pure walks over the schema sources: the leaf paths of a params schema with their change classes,
 * the decimal paths the loader must deliver as exact text, and the self-contained editor bundle.
 * The generator uses these to write schemas/generated/ and schemas/bundle/; tests use them to check
 * the sources.
 */
import type { ChangeClass } from './keywords.ts';

/** A JSON Schema object as read from a source file. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One leaf field of a schema: its dotted path and what its annotations say. */
export interface SchemaLeaf {
  /** Dotted path; `[]` marks array items and `*` map values (e.g. `safetyOrders.customLevels[].size`). */
  readonly path: string;
  readonly schema: JsonSchema;
  /** The leaf's own `x-change`, else the nearest enclosing object's. */
  readonly change?: ChangeClass;
  readonly decimal: boolean;
  /** Whether this leaf sits inside an array item (not a path the planner diffs on its own). */
  readonly inArray: boolean;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  const props = asSchema(schema['properties']);
  if (props === undefined) return [];
  return Object.entries(props).flatMap(([key, value]) => {
    const child = asSchema(value);
    return child === undefined ? [] : [[key, child] as [string, JsonSchema]];
  });
}

function changeOf(schema: JsonSchema): ChangeClass | undefined {
  const value = schema['x-change'];
  return typeof value === 'string' ? (value as ChangeClass) : undefined;
}

interface WalkContext {
  readonly prefix: string;
  readonly inherited: ChangeClass | undefined;
  readonly inArray: boolean;
}

function walk(schema: JsonSchema, context: WalkContext, out: SchemaLeaf[]): void {
  for (const [key, child] of propertiesOf(schema)) {
    const path = context.prefix === '' ? key : `${context.prefix}.${key}`;
    const change = changeOf(child) ?? context.inherited;
    const next = { prefix: path, inherited: change, inArray: context.inArray };
    if (propertiesOf(child).length > 0) {
      walk(child, next, out);
      continue;
    }
    const items = asSchema(child['items']);
    const mapValues = asSchema(child['additionalProperties']);
    out.push({
      path,
      schema: child,
      decimal: child['x-decimal'] === true,
      inArray: context.inArray,
      ...opt(change),
    });
    if (items !== undefined && propertiesOf(items).length > 0) {
      walk(items, { ...next, prefix: `${path}[]`, inArray: true }, out);
    } else if (mapValues !== undefined && mapValues['x-decimal'] === true) {
      out.push({
        path: `${path}.*`,
        schema: mapValues,
        decimal: true,
        inArray: context.inArray,
        ...opt(change),
      });
    }
  }
}

function opt(change: ChangeClass | undefined): { change?: ChangeClass } {
  return change === undefined ? {} : { change };
}

/** Every leaf field under `schema` (objects with properties are descended into), in schema order. */
export function leavesOf(schema: JsonSchema, prefix = ''): SchemaLeaf[] {
  const out: SchemaLeaf[] = [];
  walk(schema, { prefix, inherited: undefined, inArray: false }, out);
  return out;
}

/** Every property schema under `schema` with its dotted path, objects included (for annotation checks). */
export function propertySchemasOf(schema: JsonSchema, prefix = ''): { path: string; schema: JsonSchema }[] {
  return propertiesOf(schema).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const items = asSchema(child['items']);
    const nested =
      items === undefined ? propertySchemasOf(child, path) : propertySchemasOf(items, `${path}[]`);
    return [{ path, schema: child }, ...nested];
  });
}

/** The change class of every diffable leaf path (array items are diffed as their whole array). */
export function changeClassesOf(schema: JsonSchema): Record<string, ChangeClass> {
  const out: Record<string, ChangeClass> = {};
  for (const leaf of leavesOf(schema)) {
    if (leaf.inArray || leaf.path.endsWith('.*')) continue;
    if (leaf.change === undefined) throw new Error(`params field ${leaf.path} has no x-change`);
    out[leaf.path] = leaf.change;
  }
  return out;
}

/** The class a numeric field takes when it rises or falls, where that differs from its `x-change`. */
export interface DirectionalChange {
  readonly increase?: ChangeClass;
  readonly decrease?: ChangeClass;
}

/** Directional change classes (`x-change-increase` / `x-change-decrease`) by leaf path. */
export function directionalChangesOf(schema: JsonSchema): Record<string, DirectionalChange> {
  const out: Record<string, DirectionalChange> = {};
  for (const leaf of leavesOf(schema)) {
    const increase = leaf.schema['x-change-increase'];
    const decrease = leaf.schema['x-change-decrease'];
    if (typeof increase !== 'string' && typeof decrease !== 'string') continue;
    out[leaf.path] = {
      ...(typeof increase === 'string' ? { increase: increase as ChangeClass } : {}),
      ...(typeof decrease === 'string' ? { decrease: decrease as ChangeClass } : {}),
    };
  }
  return out;
}

/** Paths of every decimal leaf under `schema` (`[]` for array items, `*` for map values). */
export function decimalPathsOf(schema: JsonSchema, prefix = ''): string[] {
  return leavesOf(schema, prefix)
    .filter((leaf) => leaf.decimal)
    .map((leaf) => leaf.path);
}
