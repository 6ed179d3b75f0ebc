/**
 * JSON Schema validation of manifest documents (stage one of validation). Schemas are compiled once
 * per set with ajv (allErrors, defaults applied); the custom keyword `x-decimal` records which
 * instance paths hold decimals (and checks bounds of decimals written as strings), so the loader can
 * put back their exact source text; `x-change*` annotate each param with its change class.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { TOWER_KEYWORDS } from '@tradingtower/schemas/keywords.ts';

/** The JSON Schemas the loader validates with. */
export interface SchemaSources {
  /** Manifest kind (`Bot`, `Account`, …) → schema of the whole document. */
  readonly kinds: Readonly<Record<string, object>>;
  /** Strategy kind (`grid`, `dca`, …) → schema of `spec.params`. */
  readonly strategies: Readonly<Record<string, object>>;
  /** Shared schemas referenced by `$id` (e.g. common definitions). */
  readonly shared?: readonly object[];
}

/** One structural problem: a JSON pointer into the document and ajv's view of it. */
export interface SchemaError {
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The outcome of validating one document (defaults are applied to the value in place). */
export interface SchemaOutcome {
  readonly errors: readonly SchemaError[];
  /** Pointers of decimal-typed values (`x-decimal`). */
  readonly decimals: readonly string[];
}

/** A compiled set of schemas. */
export interface SchemaSet {
  readonly sources: SchemaSources;
  /** Whether a manifest kind has a schema. */
  hasKind(kind: string): boolean;
  /** Validates a whole document of a known kind; a Bot's params are validated against its strategy's schema. */
  validate(kind: string, document: unknown): SchemaOutcome;
}

// The x-decimal keyword is called synchronously during validate(); this collects its hits.
let decimalHits: string[] = [];

type KeywordFn = ((
  schema: unknown,
  data: unknown,
  parentSchema?: Readonly<Record<string, unknown>>,
  cxt?: { instancePath: string },
) => boolean) & {
  errors?: unknown;
};

/** The project's keyword definitions, with `x-decimal` also recording where decimals are. */
function keywords(): object[] {
  return TOWER_KEYWORDS.map((definition) => {
    if (definition.keyword !== 'x-decimal') return definition;
    const inner = definition.validate;
    const recording: KeywordFn = (schema, data, parentSchema, cxt) => {
      if (schema === true && cxt) decimalHits.push(cxt.instancePath);
      if (!inner) return true;
      const ok = inner(schema, data, parentSchema);
      recording.errors = inner.errors;
      return ok;
    };
    return { ...definition, validate: recording };
  });
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true });
  (addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  for (const definition of keywords()) ajv.addKeyword(definition as Parameters<Ajv2020['addKeyword']>[0]);
  return ajv;
}

function toErrors(errors: readonly ErrorObject[] | null | undefined, prefix: string): SchemaError[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'if') // the failing `then` branch is reported on its own
    .map((e) => ({
      pointer: prefix + e.instancePath,
      keyword: e.keyword,
      message: e.message ?? e.keyword,
      params: e.params,
    }));
}

function paramsAt(document: unknown): { strategy: unknown; params: unknown } {
  const spec = (document as { spec?: { strategy?: unknown; params?: unknown } } | null)?.spec;
  return { strategy: spec?.strategy, params: spec?.params };
}

/** Compiles a schema set; throws only when the schemas themselves are broken (a project bug, not user input). */
export function compileSchemaSet(sources: SchemaSources): SchemaSet {
  const ajv = newAjv();
  for (const shared of sources.shared ?? []) ajv.addSchema(shared);
  const strategyValidators = new Map<string, ValidateFunction>();
  for (const [kind, schema] of Object.entries(sources.strategies))
    strategyValidators.set(kind, ajv.compile(schema));
  const kindValidators = new Map<string, ValidateFunction>();
  const botCoversParams = new Set<string>();
  for (const [kind, schema] of Object.entries(sources.kinds)) {
    kindValidators.set(kind, ajv.compile(schema));
    if (/"\$ref":"[^"]*params\.schema\.json/.test(JSON.stringify(schema))) botCoversParams.add(kind);
  }
  return {
    sources,
    hasKind: (kind) => kindValidators.has(kind),
    validate(kind, document) {
      const validator = kindValidators.get(kind);
      if (!validator) throw new Error(`no schema for kind ${kind}`);
      decimalHits = [];
      validator(document);
      const errors = toErrors(validator.errors, '');
      const { strategy, params } = paramsAt(document);
      const paramsValidator = typeof strategy === 'string' ? strategyValidators.get(strategy) : undefined;
      if (kind === 'Bot' && !botCoversParams.has(kind) && paramsValidator && params !== undefined) {
        const before = decimalHits.length;
        paramsValidator(params);
        errors.push(...toErrors(paramsValidator.errors, '/spec/params'));
        for (let i = before; i < decimalHits.length; i++) decimalHits[i] = `/spec/params${decimalHits[i]!}`;
      }
      return { errors, decimals: decimalHits };
    },
  };
}
