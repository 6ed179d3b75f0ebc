/**
 * Test support for the schema suites: an ajv 2020 instance in strict mode with the TradingTower
 * keywords and formats, loaded with every source schema or with the editor bundle alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { TOWER_KEYWORDS } from '../keywords.ts';
import type { JsonSchema } from '../analysis.ts';

/** The schemas package directory. */
export const SCHEMAS_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The manifest repository example. */
export const EXAMPLES_DIR = join(SCHEMAS_DIR, '..', 'bots.example');

/** A strict ajv 2020 instance with formats and the custom keywords registered. */
export function strictAjv(): Ajv2020 {
  // strictRequired stays off: `required` inside if/then/oneOf names properties the enclosing object
  // defines, which ajv's check cannot see (it runs applicators before `properties`).
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  (addFormats as unknown as { default: (instance: Ajv2020) => void }).default(ajv);
  for (const keyword of TOWER_KEYWORDS) ajv.addKeyword({ ...keyword });
  return ajv;
}

/** Every source schema file, relative to schemas/, sorted. */
export function sourceSchemaFiles(): string[] {
  const list = (dir: string, suffix: string): string[] =>
    readdirSync(join(SCHEMAS_DIR, dir))
      .filter((name) => name.endsWith(suffix))
      .sort()
      .map((name) => `${dir}/${name}`);
  return [
    'common.schema.json',
    ...list('kinds', '.schema.json'),
    ...list('strategies', '.params.schema.json'),
  ];
}

/** Reads a JSON file relative to schemas/. */
export function readSchema(relative: string): JsonSchema {
  return JSON.parse(readFileSync(join(SCHEMAS_DIR, relative), 'utf8')) as JsonSchema;
}

/** An ajv loaded with every source schema, and a validator lookup by file (e.g. `kinds/bot.schema.json`). */
export function sourceValidators(): (relative: string) => ValidateFunction {
  const ajv = strictAjv();
  for (const file of sourceSchemaFiles()) ajv.addSchema({ ...readSchema(file) });
  return (relative) => {
    const validate = ajv.getSchema(`https://tradingtower.dev/schemas/v1/${relative}`);
    if (validate === undefined) throw new Error(`no schema ${relative}`);
    return validate;
  };
}

/** A validator of the editor bundle compiled on its own (proves it is self-contained). */
export function bundleValidator(): ValidateFunction {
  return strictAjv().compile({ ...readSchema('bundle/tradingtower.schema.json') });
}

/** Runs a validator and returns its errors (empty when valid), for readable test failures. */
export function errorsOf(validate: ValidateFunction, data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
