/** Manifest loading and validation: YAML with positions → JSON Schema → semantic rules → desired state. */
export type {
  BotState,
  DesiredBot,
  DesiredResource,
  DesiredState,
  Issue,
  LoadResult,
  Snapshot,
  SourceLocation,
  UpdatePolicy,
} from './types.ts';
export { API_VERSION, loadSnapshot, type LoadOptions } from './load.ts';
export { DEFAULT_UPDATE } from './desired.ts';
export { compileSchemaSet, type SchemaSet, type SchemaSources } from './schema-set.ts';
export { projectSchemaSources, projectSchemas } from './project-schemas.ts';
export { LIMITS } from './limits.ts';
