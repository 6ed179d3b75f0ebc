/**
 * The public surface of @tradingtower/schemas: the manifest JSON Schemas as constants (no file system
 * needed), the types generated from them, the change-class and decimal-path tables, and the custom
 * keywords a validator must register. Pure: no node: imports.
 */
import { CHANGE_CLASSES, DIRECTIONAL_CHANGE_CLASSES } from './generated/schemas.ts';
import { CHANGE_CLASS_ORDER, type ChangeClass } from './keywords.ts';
import { DECIMAL_TEXT, compareDecimalText } from './decimal-text.ts';
import type { StrategyKind } from './generated/types.ts';

export * from './generated/schemas.ts';
export type * from './generated/types.ts';
export { CHANGE_CLASS_ORDER, TOWER_KEYWORDS, decimalBoundError } from './keywords.ts';
export type { ChangeClass, KeywordError, KeywordValidate, TowerKeyword } from './keywords.ts';
export { DECIMAL_TEXT, compareDecimalText } from './decimal-text.ts';
export { buildBundle, paramsDefName, BUNDLE_ID, SCHEMA_BASE } from './bundle.ts';
export type { BundleSources } from './bundle.ts';
export type { DirectionalChange, JsonSchema, SchemaLeaf } from './analysis.ts';
export {
  changeClassesOf,
  decimalPathsOf,
  directionalChangesOf,
  leavesOf,
  propertySchemasOf,
} from './analysis.ts';

/** Path of the editor bundle relative to the repository root (for `# yaml-language-server: $schema=`). */
export const BUNDLE_PATH = 'schemas/bundle/tradingtower.schema.json';

/** The higher of two change classes (a change set's class is the highest of its fields, DESIGN §4). */
export function maxChangeClass(a: ChangeClass, b: ChangeClass): ChangeClass {
  return CHANGE_CLASS_ORDER.indexOf(a) >= CHANGE_CLASS_ORDER.indexOf(b) ? a : b;
}

/** The declared change class of a params path (dotted, relative to spec.params), or undefined if unknown. */
export function changeClassOf(kind: StrategyKind, path: string): ChangeClass | undefined {
  const table = CHANGE_CLASSES[kind];
  if (Object.hasOwn(table, path)) return table[path];
  // A path inside a leaf (an array element, `safetyOrders.customLevels.0.size`) takes the leaf's class.
  const parts = path.split('.');
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const prefix = parts.slice(0, length).join('.');
    if (Object.hasOwn(table, prefix)) return table[prefix];
  }
  return undefined;
}

function asDecimalText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return value.trim();
  return undefined;
}

/**
 * The change class of one changed params value: the path's declared class, refined by its direction
 * for numeric fields whose class depends on it (`investment` up → funds, down → recreate). Unknown
 * paths are `recreate`, the safe answer for a field the planner cannot classify.
 */
export function classifyChange(kind: StrategyKind, path: string, from: unknown, to: unknown): ChangeClass {
  const declared = changeClassOf(kind, path) ?? 'recreate';
  const directional = DIRECTIONAL_CHANGE_CLASSES[kind][path];
  const before = asDecimalText(from);
  const after = asDecimalText(to);
  if (directional === undefined || before === undefined || after === undefined) return declared;
  const order = compareDecimalText(after, before);
  if (order > 0) return directional.increase ?? declared;
  if (order < 0) return directional.decrease ?? declared;
  return declared;
}
