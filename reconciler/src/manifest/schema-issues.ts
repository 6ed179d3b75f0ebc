/** ajv errors → located issues with stable codes (`schema-<keyword>`) and messages that say what was found. */
import { dotted, issueAt, shown, valueAt } from './document.ts';
import type { SchemaError } from './schema-set.ts';
import type { ParsedDocument } from './yaml-document.ts';
import type { Issue } from './types.ts';

const SECRETISH = /(secret|password|passphrase|token|credential|apikey|api_key|privatekey|private_key)/i;

/** Whether a value at this pointer might be a secret, so messages must not echo it. */
export function mayBeSecret(pointer: string): boolean {
  return SECRETISH.test(pointer);
}

function kebab(keyword: string): string {
  return keyword.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

function describe(error: SchemaError, found: unknown): { pointer: string; key: boolean; message: string } {
  const p = error.params;
  const where = dotted(error.pointer);
  switch (error.keyword) {
    case 'required': {
      const missing = String(p['missingProperty']);
      return {
        pointer: error.pointer,
        key: true,
        message: `${where}: missing required property "${missing}"`,
      };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(p['additionalProperty'] ?? p['unevaluatedProperty']);
      return {
        pointer: `${error.pointer}/${extra.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        key: true,
        message: `${where}: unknown property "${extra}"`,
      };
    }
    case 'enum':
      return {
        pointer: error.pointer,
        key: false,
        message: `${where} must be one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, was ${shown(found)}`,
      };
    case 'pattern':
      if (String(p['pattern']).startsWith('^-?(\\d+')) {
        return {
          pointer: error.pointer,
          key: false,
          message: `${where} must be a decimal number, was ${shown(found)}`,
        };
      }
      return {
        pointer: error.pointer,
        key: false,
        message: `${where} must match ${String(p['pattern'])}, was ${mayBeSecret(error.pointer) ? 'hidden' : shown(found)}`,
      };
    default: {
      const was = mayBeSecret(error.pointer) ? '' : `, was ${shown(found)}`;
      return { pointer: error.pointer, key: false, message: `${where} ${error.message}${was}` };
    }
  }
}

/** Located issues for a document's schema errors; duplicates (same place, same code) are reported once. */
export function schemaIssues(parsed: ParsedDocument, errors: readonly SchemaError[]): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const error of errors) {
    const found = valueAt(parsed.value, error.pointer);
    const { pointer, key, message } = describe(error, found);
    const issue = issueAt(parsed, pointer, `schema-${kebab(error.keyword)}`, message, { key });
    const id = `${issue.line}:${issue.col}:${issue.code}:${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(issue);
  }
  return out;
}
