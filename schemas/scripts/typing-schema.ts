/**
 * Turns the editor bundle into the schema json-schema-to-typescript compiles: decimal fields become
 * `string` (the loader delivers exact decimal text), pure validation constraints (if/then/else, not,
 * and compositions of `required`-only branches) are dropped because they add no shape, and `$defs`
 * become `definitions`, which the compiler names types after.
 */
import type { JsonSchema } from '../analysis.ts';

const CONSTRAINT_ONLY = new Set(['if', 'then', 'else', 'not', 'dependentRequired', 'dependentSchemas']);
const SHAPE_KEYS = ['type', '$ref', 'properties', 'items', 'enum', 'const'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether every branch of a composition only constrains (no type, ref, properties or enum of its own). */
function constraintOnly(branches: unknown): boolean {
  return Array.isArray(branches) && branches.every((b) => isObject(b) && !SHAPE_KEYS.some((k) => k in b));
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!isObject(node)) return node;
  if (node['x-decimal'] === true) {
    const description = node['description'];
    return typeof description === 'string' ? { type: 'string', description } : { type: 'string' };
  }
  // A reference with siblings would make the compiler declare a numbered alias (DnsLabel1, …) per use.
  if (typeof node['$ref'] === 'string') return { $ref: node['$ref'].replace('#/$defs/', '#/definitions/') };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (CONSTRAINT_ONLY.has(key) || key.startsWith('x-')) continue;
    if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && constraintOnly(value)) continue;
    out[key] = convert(value);
  }
  // A free-form object (Bot params before strategy selection, plugin params) is a string-keyed map.
  if (out['type'] === 'object' && !('properties' in out) && !('additionalProperties' in out)) {
    out['additionalProperties'] = true;
  }
  return out;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The schema to compile: an index object with one property per non-decimal definition (the compiler
 * declares a type for everything reachable from the root, under the definition's title).
 */
export function typingSchema(bundle: JsonSchema): JsonSchema {
  const defs = (bundle['$defs'] ?? {}) as Readonly<Record<string, Record<string, unknown>>>;
  const definitions: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(defs)) {
    if (schema['x-decimal'] === true) continue;
    const converted = convert(schema) as Record<string, unknown>;
    definitions[name] = {
      ...converted,
      title: typeof schema['title'] === 'string' ? schema['title'] : pascal(name),
    };
  }
  const names = Object.keys(definitions);
  return {
    title: 'SchemaTypeIndex',
    description: 'Index of every generated type, keyed by its schema definition name (not a manifest shape).',
    type: 'object',
    additionalProperties: false,
    required: names,
    properties: Object.fromEntries(names.map((name) => [name, { $ref: `#/definitions/${name}` }])),
    definitions,
  };
}
