/**
 * Rule `secret-literal`: a manifest never holds a secret. Credentials and secret-named fields must be
 * references (`{ env: NAME }` or `{ keyVault: { vault, secret } }`); key material is recognised
 * anywhere. Messages name the field, never the value.
 */
import { dotted, issueAt } from '../document.ts';
import { escapePointer, type ParsedDocument } from '../yaml-document.ts';
import type { Issue } from '../types.ts';

// Field names that hold secrets; `…Ref` / `…Name` fields hold reference names and are fine.
const SECRET_KEY =
  /^(api[-_]?key|api[-_]?secret|secret([-_]?key)?|password|passphrase|private[-_]?key|token|access[-_]?token|auth[-_]?token|client[-_]?secret|hmac[-_]?secret|webhook[-_]?secret|connection[-_]?string)$/i;
// Values that are key material wherever they appear.
const KEY_MATERIAL =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----|^(ghp|gho|ghs|github_pat|sk|xox[bap])[-_][A-Za-z0-9_]{16,}$|AccountKey=/;

function isReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'env' || keys[0] === 'keyVault');
}

function visit(
  parsed: ParsedDocument,
  node: unknown,
  pointer: string,
  inCredentials: boolean,
  out: Issue[],
): void {
  if (typeof node === 'string') {
    const keyName = pointer.slice(pointer.lastIndexOf('/') + 1);
    if (inCredentials || SECRET_KEY.test(keyName) || KEY_MATERIAL.test(node)) {
      out.push(
        issueAt(
          parsed,
          pointer,
          'secret-literal',
          `${dotted(pointer)} holds a literal secret; reference it instead ({ env: NAME } or { keyVault: { vault, secret } })`,
        ),
      );
    }
    return;
  }
  if (node === null || typeof node !== 'object' || isReference(node)) return;
  const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
  for (const [key, child] of entries) {
    visit(parsed, child, `${pointer}/${escapePointer(key)}`, inCredentials || key === 'credentials', out);
  }
}

/** Issues for every literal secret in a document. */
export function literalSecrets(parsed: ParsedDocument): Issue[] {
  const out: Issue[] = [];
  visit(parsed, parsed.value, '', false, out);
  return out;
}
