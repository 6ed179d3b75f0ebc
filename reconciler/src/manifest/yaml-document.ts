/**
 * YAML → plain data with source positions. Each document becomes a plain value (numbers as numbers,
 * for JSON Schema) plus a side table of the exact source text of every numeric scalar, so a decimal
 * field keeps `0.1` and never becomes 0.1000000000000000055. Conversion is our own walk over the
 * parsed nodes so depth, alias expansion and key shapes are bounded and every failure is located.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { LIMITS, precheck } from './limits.ts';
import type { Issue } from './types.ts';

/** One parsed YAML document of a file. */
export interface ParsedDocument {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly value: unknown;
  /** JSON pointer → source text of each numeric scalar (`/spec/params/lowPrice` → `25000.50`). */
  readonly numbers: ReadonlyMap<string, string>;
  /** Line and column of the value (or, with `key`, of the map key) at a JSON pointer; falls back to the nearest ancestor. */
  locate(pointer: string, key?: boolean): { line: number; col: number };
}

class ConvertError extends Error {
  readonly code: string;
  readonly node: YamlNode | undefined;
  constructor(code: string, message: string, node: YamlNode | undefined) {
    super(message);
    this.code = code;
    this.node = node;
  }
}

/** Escapes one JSON pointer segment. */
export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

interface Walk {
  readonly doc: Document.Parsed;
  readonly numbers: Map<string, string>;
  // Alias.resolve searches the whole document each time; remember each alias's target.
  readonly aliases: Map<unknown, unknown>;
  nodes: number;
}

function target(walk: Walk, alias: { resolve(doc: Document.Parsed): unknown }): unknown {
  if (!walk.aliases.has(alias)) walk.aliases.set(alias, alias.resolve(walk.doc));
  return walk.aliases.get(alias);
}

function convert(walk: Walk, node: unknown, pointer: string, depth: number): unknown {
  if (++walk.nodes > LIMITS.maxNodes) {
    throw new ConvertError(
      'yaml-too-large',
      `document expands to more than ${LIMITS.maxNodes} nodes (alias bomb?)`,
      node as YamlNode,
    );
  }
  if (depth > LIMITS.maxDepth) {
    throw new ConvertError(
      'yaml-too-deep',
      `nesting deeper than ${LIMITS.maxDepth} levels`,
      node as YamlNode,
    );
  }
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(walk, target(walk, node), pointer, depth + 1);
  if (isScalar(node)) return scalar(walk, node, pointer);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = mapKey(walk, pair.key);
      // Checked here in O(n): the parser's own uniqueKeys check is quadratic in the number of keys.
      if (Object.hasOwn(out, key))
        throw new ConvertError(
          'yaml-duplicate-key',
          `map keys must be unique; "${key}" appears twice`,
          pair.key as YamlNode,
        );
      out[key] = convert(walk, pair.value, `${pointer}/${escapePointer(key)}`, depth + 1);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => convert(walk, item, `${pointer}/${i}`, depth + 1));
  throw new ConvertError('yaml-unsupported', 'unsupported YAML node', node as YamlNode);
}

function scalar(walk: Walk, node: YamlNode & { value: unknown; source?: string }, pointer: string): unknown {
  const value = node.value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ConvertError(
        'yaml-non-finite-number',
        `${node.source ?? String(value)} is not a finite number`,
        node,
      );
    }
    walk.numbers.set(pointer, node.source ?? String(value));
    return value;
  }
  if (typeof value === 'bigint')
    throw new ConvertError('yaml-unsupported', 'big integers are not supported', node);
  if (value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  throw new ConvertError('yaml-unsupported', `unsupported scalar of type ${typeof value}`, node);
}

function mapKey(walk: Walk, key: unknown): string {
  const resolved = isAlias(key) ? target(walk, key) : key;
  if (!isScalar(resolved)) {
    throw new ConvertError('yaml-complex-key', 'map keys must be plain scalars', key as YamlNode);
  }
  const text = String(resolved.value);
  if (text === '__proto__')
    throw new ConvertError('yaml-forbidden-key', 'the key "__proto__" is not allowed', resolved);
  return text;
}

function nodeAt(doc: Document.Parsed, pointer: string, key: boolean): YamlNode | undefined {
  let node: unknown = doc.contents;
  // The key through which `node` was reached: a missing child is reported at its parent's key.
  let via: unknown;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextVia: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      nextVia = pair?.key;
      next = pair?.value ?? pair?.key;
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
    }
    if (next === undefined || next === null) return (via ?? node) as YamlNode | undefined;
    node = next;
    via = nextVia;
  }
  return ((key ? via : undefined) ?? node) as YamlNode | undefined;
}

function locator(doc: Document.Parsed, lines: LineCounter) {
  return (pointer: string, key = false): { line: number; col: number } => {
    const node = nodeAt(doc, pointer, key);
    const offset = node?.range?.[0] ?? doc.range[0];
    return lines.linePos(offset);
  };
}

function yamlIssues(file: string, doc: Document.Parsed, lines: LineCounter): Issue[] {
  const code = (c: string): string => `yaml-${c.toLowerCase().replaceAll('_', '-')}`;
  const first = (m: string): string => m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return [
    ...doc.errors.map((e) => ({ e, severity: 'error' as const })),
    ...doc.warnings.map((e) => ({ e, severity: 'warning' as const })),
  ].map(({ e, severity }) => ({
    file,
    ...lines.linePos(e.pos[0]),
    code: code(e.code),
    message: first(e.message),
    severity,
  }));
}

/** One parsed document → a ParsedDocument; undefined for empty or broken documents (issues appended). */
function convertDocument(
  file: string,
  doc: Document.Parsed,
  index: number,
  lines: LineCounter,
  issues: Issue[],
): ParsedDocument | undefined {
  const found = yamlIssues(file, doc, lines);
  issues.push(...found);
  if (found.some((i) => i.severity === 'error')) return undefined;
  const walk: Walk = { doc, numbers: new Map(), aliases: new Map(), nodes: 0 };
  try {
    const value = convert(walk, doc.contents, '', 0);
    if (value === null) return undefined; // an empty document (e.g. a trailing `---`) is not a manifest
    return { file, index, value, numbers: walk.numbers, locate: locator(doc, lines) };
  } catch (error) {
    // Anything but a ConvertError is a loader bug; it still becomes a located issue, never a crash.
    const known = error instanceof ConvertError ? error : undefined;
    const offset = known?.node?.range?.[0] ?? doc.range[0];
    const code = known?.code ?? 'loader-internal-error';
    issues.push({
      file,
      ...lines.linePos(offset),
      code,
      message: known?.message ?? String(error),
      severity: 'error',
    });
    return undefined;
  }
}

/** Parses every document of a file; problems are appended to `issues`, never thrown. */
export function parseFile(file: string, text: string, issues: Issue[]): ParsedDocument[] {
  const refused = precheck(file, text);
  if (refused) {
    issues.push(refused);
    return [];
  }
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    issues.push({
      file,
      line: 1,
      col: 1,
      code: 'yaml-unreadable',
      message: `YAML parser failed: ${String(error)}`,
      severity: 'error',
    });
    return [];
  }
  const out: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    const parsed = convertDocument(file, doc, index, lines, issues);
    if (parsed) out.push(parsed);
  });
  return out;
}
