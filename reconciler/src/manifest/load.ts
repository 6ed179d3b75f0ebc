/**
 * The loader: snapshot → parsed documents → schema validation (stage one) → named semantic rules
 * (stage two) → desired state. Pure apart from reading the compiled project schemas once; never
 * throws on bad input: every problem is a located issue and the other files are still checked.
 */
import { isDec, str, type Dec } from '@tradingtower/engine';
import { issueAt, valueAt, type ManifestDocument } from './document.ts';
import { projectSchemas } from './project-schemas.ts';
import { buildDesired } from './desired.ts';
import { capIssues, liveTradingIssues, policiesByNamespace, policyFor } from './rules/policy.ts';
import { duplicateNames, unresolvedReferences } from './rules/references.ts';
import { literalSecrets } from './rules/secrets.ts';
import { marketOf, strategyIssues } from './rules/strategy.ts';
import { schemaIssues } from './schema-issues.ts';
import type { SchemaSet } from './schema-set.ts';
import type { Issue, LoadResult, Snapshot } from './types.ts';
import { parseFile, type ParsedDocument } from './yaml-document.ts';

/** The API version every manifest declares. */
export const API_VERSION = 'tradingtower.dev/v1';

/** Options of `loadSnapshot`. */
export interface LoadOptions {
  /** The schemas to validate with; defaults to the project's schemas. */
  readonly schemas?: SchemaSet;
  /** The price start-time rules are evaluated at (e.g. a last known price), per venue and symbol. */
  readonly referencePrice?: (venue: string, symbol: string) => Dec | undefined;
  /**
   * The snapshot is only part of a manifest tree (single files): check syntax, schema and secrets,
   * and skip the rules that need the other documents (references, names, markets, strategies, Policy).
   */
  readonly partial?: boolean;
}

function canonical(text: string): string {
  return isDec(text) ? str(text) : text;
}

/** Puts exact decimal text back at every decimal-typed pointer (defaults become their shortest text). */
function restoreDecimals(parsed: ParsedDocument, pointers: readonly string[]): void {
  // x-decimal fires on a property and again on the definition it refers to: each pointer once.
  for (const pointer of new Set(pointers)) {
    const cut = pointer.lastIndexOf('/');
    const parent = valueAt(parsed.value, pointer.slice(0, cut));
    if (parent === null || typeof parent !== 'object') continue;
    const key = pointer
      .slice(cut + 1)
      .replaceAll('~1', '/')
      .replaceAll('~0', '~');
    const value = (parent as Record<string, unknown>)[key];
    if (typeof value !== 'number') continue;
    (parent as Record<string, unknown>)[key] = canonical(parsed.numbers.get(pointer) ?? String(value));
  }
}

function namespaceOf(file: string, metadata: Record<string, unknown>): string {
  const declared = metadata['namespace'];
  if (typeof declared === 'string' && declared !== '') return declared;
  const slash = file.indexOf('/');
  return slash > 0 ? file.slice(0, slash) : 'default';
}

/** Issues of the document envelope (a map, apiVersion, a known kind); returns the kind when usable. */
function envelope(parsed: ParsedDocument, schemas: SchemaSet, issues: Issue[]): string | undefined {
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const message = 'a manifest must be a map with apiVersion, kind, metadata and spec';
    issues.push(issueAt(parsed, '', 'manifest-not-a-map', message));
    return undefined;
  }
  const doc = value as Record<string, unknown>;
  const apiVersion = doc['apiVersion'];
  if (apiVersion !== API_VERSION) {
    const message = `apiVersion must be "${API_VERSION}", was ${apiVersion === undefined ? 'missing' : JSON.stringify(apiVersion)}`;
    issues.push(
      issueAt(parsed, '/apiVersion', 'manifest-api-version', message, { key: apiVersion === undefined }),
    );
  }
  const kind = doc['kind'];
  if (typeof kind === 'string' && schemas.hasKind(kind)) return kind;
  const known = Object.keys(schemas.sources.kinds).join(', ');
  const message = `kind must be one of ${known}, was ${kind === undefined ? 'missing' : JSON.stringify(kind)}`;
  issues.push(issueAt(parsed, '/kind', 'manifest-unknown-kind', message, { key: kind === undefined }));
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Validates one document and resolves its identity; undefined when it cannot be a manifest at all. */
function identify(parsed: ParsedDocument, schemas: SchemaSet, issues: Issue[]): ManifestDocument | undefined {
  const kind = envelope(parsed, schemas, issues);
  const secrets = literalSecrets(parsed);
  issues.push(...secrets);
  if (kind === undefined) return undefined;
  const doc = parsed.value as Record<string, unknown>;
  const outcome = schemas.validate(kind, doc);
  const structural = outcome.errors.filter((e) => e.pointer !== '/apiVersion' && e.pointer !== '/kind');
  // A literal secret is reported once, as such, not again as a wrong type at the same place.
  const secretAt = new Set(secrets.map((i) => `${i.line}:${i.col}`));
  issues.push(...schemaIssues(parsed, structural).filter((i) => !secretAt.has(`${i.line}:${i.col}`)));
  restoreDecimals(parsed, outcome.decimals);
  const metadata = record(doc['metadata']);
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
  const namespace = namespaceOf(parsed.file, metadata);
  const valid = structural.length === 0 && doc['apiVersion'] === API_VERSION && name !== '';
  return {
    parsed,
    kind,
    namespace,
    name,
    key: `${namespace}/${name}`,
    value: doc,
    spec: record(doc['spec']),
    valid,
  };
}

function semanticIssues(documents: readonly ManifestDocument[], options: LoadOptions): Issue[] {
  const issues: Issue[] = [
    ...duplicateNames(documents.filter((d) => d.name !== '')),
    ...unresolvedReferences(documents),
  ];
  const { policies, issues: policyIssues } = policiesByNamespace(documents);
  issues.push(...policyIssues);
  const accounts = new Map(documents.filter((d) => d.kind === 'Account' && d.valid).map((d) => [d.key, d]));
  for (const account of accounts.values())
    issues.push(...liveTradingIssues(account, policyFor(policies, account.namespace)));
  for (const bot of documents) {
    if (bot.kind !== 'Bot' || !bot.valid) continue;
    const account = accounts.get(`${bot.namespace}/${String(bot.spec['account'])}`);
    const { market, issues: marketIssues } = marketOf(bot, account);
    issues.push(...marketIssues);
    if (market)
      issues.push(...strategyIssues(bot, market, options.referencePrice?.(market.venue, market.symbol)));
    issues.push(...capIssues(bot, policyFor(policies, bot.namespace)));
  }
  return issues;
}

function parseSafely(file: string, text: string, issues: Issue[]): ParsedDocument[] {
  try {
    return parseFile(file, text, issues);
  } catch (error) {
    issues.push({
      file,
      line: 1,
      col: 1,
      code: 'loader-internal-error',
      message: String(error),
      severity: 'error',
    });
    return [];
  }
}

/** Loads and validates a snapshot: the desired state and every issue, each located. Never throws on bad input. */
export function loadSnapshot(snapshot: Snapshot, options: LoadOptions = {}): LoadResult {
  const schemas = options.schemas ?? projectSchemas();
  const issues: Issue[] = [];
  const documents: ManifestDocument[] = [];
  for (const file of [...snapshot.files.keys()].sort()) {
    for (const parsed of parseSafely(file, snapshot.files.get(file)!, issues)) {
      const doc = identify(parsed, schemas, issues);
      if (doc) documents.push(doc);
    }
  }
  if (!options.partial) issues.push(...semanticIssues(documents, options));
  const ordered = issues.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col,
  );
  const complete = !ordered.some((i) => i.severity === 'error');
  return { desired: buildDesired(snapshot.revision, documents, complete), issues: ordered };
}
