/** The project's own schemas from `@tradingtower/schemas`, compiled once per process. */
import { KIND_SCHEMAS, STRATEGY_PARAMS_SCHEMAS, commonSchema } from '@tradingtower/schemas';
import { compileSchemaSet, type SchemaSet, type SchemaSources } from './schema-set.ts';

/** The schema sources shipped in `@tradingtower/schemas`. */
export function projectSchemaSources(): SchemaSources {
  return { kinds: KIND_SCHEMAS, strategies: STRATEGY_PARAMS_SCHEMAS, shared: [commonSchema] };
}

let cached: SchemaSet | undefined;

/** The compiled project schema set (compiled on first use). */
export function projectSchemas(): SchemaSet {
  cached ??= compileSchemaSet(projectSchemaSources());
  return cached;
}
