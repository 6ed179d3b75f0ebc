/**
 * The custom schema keywords of TradingTower, as ajv keyword definitions. Register them with
 * `for (const k of TOWER_KEYWORDS) ajv.addKeyword(k)` before compiling the schemas in strict mode.
 *
 * - `x-change`: the change class of a params field (annotation; DESIGN §4).
 * - `x-change-increase` / `x-change-decrease`: the class when a numeric field rises / falls, where it
 *   differs from `x-change` (e.g. adding investment moves funds, removing it needs a fresh run).
 * - `x-decimal`: the value is an exact decimal; the loader delivers its exact text. Because JSON
 *   Schema's numeric bounds ignore strings, this keyword applies the bounds of its own schema object
 *   (minimum, maximum, exclusiveMinimum, exclusiveMaximum) to decimals written as strings.
 */
import { DECIMAL_TEXT, compareDecimalText, numberText } from './decimal-text.ts';

/** The change classes of DESIGN §4, lowest to highest. */
export const CHANGE_CLASS_ORDER = ['hot', 'amend', 'funds', 'next-cycle', 'recreate', 'immutable'] as const;

/** A change class (DESIGN §4). */
export type ChangeClass = (typeof CHANGE_CLASS_ORDER)[number];

/** One validation error in ajv's shape (kept structural so this package needs no ajv import). */
export interface KeywordError {
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** A validating keyword function in ajv's shape: `errors` is set when it returns false. */
export interface KeywordValidate {
  (schema: unknown, data: unknown, parentSchema?: Readonly<Record<string, unknown>>): boolean;
  errors?: KeywordError[];
}

/** The subset of ajv's KeywordDefinition these keywords use. */
export interface TowerKeyword {
  readonly keyword: string;
  readonly schemaType: 'string' | 'boolean';
  readonly metaSchema?: Record<string, unknown>;
  readonly validate?: KeywordValidate;
  readonly errors?: boolean;
}

const BOUNDS = [
  ['minimum', (c: number) => c >= 0, '>='],
  ['exclusiveMinimum', (c: number) => c > 0, '>'],
  ['maximum', (c: number) => c <= 0, '<='],
  ['exclusiveMaximum', (c: number) => c < 0, '<'],
] as const;

/** The first bound of `schema` that decimal text `text` violates, as an error, or undefined. */
export function decimalBoundError(
  text: string,
  schema: Readonly<Record<string, unknown>>,
): KeywordError | undefined {
  if (!DECIMAL_TEXT.test(text)) return undefined; // the `pattern` keyword reports malformed text
  for (const [keyword, holds, comparison] of BOUNDS) {
    const limit = schema[keyword];
    if (typeof limit !== 'number') continue;
    if (!holds(compareDecimalText(text, numberText(limit)))) {
      return { keyword, message: `must be ${comparison} ${limit}`, params: { comparison, limit } };
    }
  }
  return undefined;
}

const validateDecimal: KeywordValidate = (schema, data, parentSchema) => {
  if (schema !== true || typeof data !== 'string' || parentSchema === undefined) return true;
  const error = decimalBoundError(data.trim(), parentSchema);
  if (error === undefined) return true;
  validateDecimal.errors = [error];
  return false;
};

const changeClassMeta = { type: 'string', enum: [...CHANGE_CLASS_ORDER] };

/** Every custom keyword used by the schemas, ready for `ajv.addKeyword`. */
export const TOWER_KEYWORDS: readonly TowerKeyword[] = [
  { keyword: 'x-change', schemaType: 'string', metaSchema: changeClassMeta },
  { keyword: 'x-change-increase', schemaType: 'string', metaSchema: changeClassMeta },
  { keyword: 'x-change-decrease', schemaType: 'string', metaSchema: changeClassMeta },
  { keyword: 'x-decimal', schemaType: 'boolean', validate: validateDecimal, errors: true },
];
