/**
 * Cheap checks that run before the YAML parser, so hostile input (huge files, binary junk, wrong
 * encodings, bracket towers, thousands of documents) is refused with a located error instead of
 * costing seconds of parsing or a stack overflow.
 */
import type { Issue } from './types.ts';

/** Loader limits; every one has a located error code. */
export const LIMITS = {
  /** Bytes (UTF-16 code units) per file. */
  maxFileSize: 1024 * 1024,
  /** YAML documents per file. */
  maxDocuments: 1000,
  /** Nesting depth of maps and sequences. */
  maxDepth: 64,
  /** Nodes produced per document, counting alias expansions (alias bombs). */
  maxNodes: 100_000,
} as const;

/** Line and column (1-based) of a character offset. */
export function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

function issueAt(file: string, text: string, offset: number, code: string, message: string): Issue {
  return { file, ...positionOf(text, offset), code, message, severity: 'error' };
}

/** The first character that cannot be in a UTF-8 text manifest, as an issue; undefined when clean. */
function encodingIssue(file: string, text: string): Issue | undefined {
  // U+FFFD is what a lenient UTF-8 decoder leaves for invalid bytes; NUL and C0 controls (other than
  // tab, LF, CR) mean binary junk or UTF-16/32 text read as UTF-8.
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD\uFFFE]/.exec(text);
  if (bad === null) return undefined;
  const ch = bad[0];
  const what =
    ch === '\uFFFD'
      ? 'bytes that are not valid UTF-8'
      : ch === '\u0000'
        ? 'a NUL byte (binary data, or UTF-16/UTF-32 text)'
        : `the control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  return issueAt(
    file,
    text,
    bad.index,
    'file-encoding',
    `file contains ${what}; manifests must be UTF-8 text`,
  );
}

function flowDepthIssue(file: string, text: string): Issue | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > LIMITS.maxDepth) {
        return issueAt(file, text, i, 'yaml-too-deep', `nesting deeper than ${LIMITS.maxDepth} levels`);
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

function lineIssues(file: string, text: string): Issue | undefined {
  let documents = 0;
  const compact = /^(?:[ \t]*-[ \t]+){65}/;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (text.startsWith('---', start) && ++documents > LIMITS.maxDocuments) {
      return issueAt(
        file,
        text,
        start,
        'yaml-too-many-documents',
        `more than ${LIMITS.maxDocuments} documents in one file`,
      );
    }
    if (text.charCodeAt(start) === 0x2d || text.charCodeAt(start) === 0x20) {
      if (compact.test(text.slice(start, Math.min(stop, start + 4096)))) {
        return issueAt(file, text, start, 'yaml-too-deep', `nesting deeper than ${LIMITS.maxDepth} levels`);
      }
    }
    start = stop + 1;
  }
  return undefined;
}

/** The first limit a file's text breaks, as a located issue; undefined when the parser may read it. */
export function precheck(file: string, text: string): Issue | undefined {
  if (text.length > LIMITS.maxFileSize) {
    return {
      file,
      line: 1,
      col: 1,
      code: 'file-too-large',
      message: `file is ${text.length} characters; the limit is ${LIMITS.maxFileSize}`,
      severity: 'error',
    };
  }
  return encodingIssue(file, text) ?? flowDepthIssue(file, text) ?? lineIssues(file, text);
}
