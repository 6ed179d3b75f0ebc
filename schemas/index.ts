/** Paths of the JSON Schemas (the source of truth) and the generated TypeScript types. */
export const SCHEMAS_DIR = new URL('.', import.meta.url);
