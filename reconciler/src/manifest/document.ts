/**
 * A manifest document after parsing and schema validation, with helpers that make located issues.
 * Rules receive these and return issues; they never throw for bad input.
 */
import type { ParsedDocument } from './yaml-document.ts';
import type { Issue } from './types.ts';

/** A manifest document with its identity resolved. */
export interface ManifestDocument {
  readonly parsed: ParsedDocument;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`. */
  readonly key: string;
  readonly value: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
  /** False when the document failed schema validation (later rules skip it). */
  readonly valid: boolean;
}

/** Options of a located issue. */
export interface IssueOptions {
  /** Point at the map key instead of the value (missing or unexpected properties). */
  readonly key?: boolean;
  readonly severity?: Issue['severity'];
}

/** A located issue at a JSON pointer of a parsed document. */
export function issueAt(
  parsed: ParsedDocument,
  pointer: string,
  code: string,
  message: string,
  options: IssueOptions = {},
): Issue {
  const position = parsed.locate(pointer, options.key ?? false);
  return { file: parsed.file, ...position, code, message, severity: options.severity ?? 'error' };
}

/** A JSON pointer as the dotted path users read (`/spec/params/levels/0` → `spec.params.levels[0]`). */
export function dotted(pointer: string): string {
  if (pointer === '') return '(document)';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out === '' ? s : `${out}.${s}`), '');
}

/** A param path as strategies write it (`safetyOrders.size`, `levels[2]`) → JSON pointer under `spec.params`. */
export function paramPointer(path: string): string {
  if (path === '') return '/spec/params';
  const segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
  return `/spec/params/${segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A short, secret-free rendering of a found value for messages. */
export function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string')
    return value.length > 40 ? `"${value.slice(0, 37)}…"` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null || typeof value !== 'object') return 'null';
  return Array.isArray(value) ? `a list of ${value.length}` : 'a map';
}
