/**
 * Rules across documents: `name-duplicate` (names are unique per kind and namespace),
 * `ref-account-unresolved` and `ref-signal-source-unresolved` (a Bot's references resolve in its namespace).
 */
import { issueAt, type ManifestDocument } from '../document.ts';
import { escapePointer } from '../yaml-document.ts';
import type { Issue } from '../types.ts';

/** A duplicate-name issue for every document whose kind, namespace and name were seen before. */
export function duplicateNames(documents: readonly ManifestDocument[]): Issue[] {
  const first = new Map<string, ManifestDocument>();
  const out: Issue[] = [];
  for (const doc of documents) {
    const id = `${doc.kind}\u0000${doc.key}`;
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, doc);
      continue;
    }
    const there = earlier.parsed.locate('/metadata/name');
    out.push(
      issueAt(
        doc.parsed,
        '/metadata/name',
        'name-duplicate',
        `${doc.kind} "${doc.key}" is already defined at ${earlier.parsed.file}:${there.line}:${there.col}`,
      ),
    );
  }
  return out;
}

/** Every SignalSource name a Bot's `spec.signals` refers to, with its pointer. */
export function signalReferences(
  signals: unknown,
  pointer = '/spec/signals',
): { name: string; pointer: string }[] {
  if (signals === null || typeof signals !== 'object') return [];
  const out: { name: string; pointer: string }[] = [];
  const entries = Array.isArray(signals)
    ? signals.map((v, i) => [String(i), v] as const)
    : Object.entries(signals);
  for (const [key, value] of entries) {
    const here = `${pointer}/${escapePointer(key)}`;
    if (typeof value === 'string' && /^(source|sourceRef|signalSource)$/.test(key))
      out.push({ name: value, pointer: here });
    else if (key === 'sources' && Array.isArray(value)) {
      value.forEach((v, i) => {
        if (typeof v === 'string') out.push({ name: v, pointer: `${here}/${i}` });
        else out.push(...signalReferences(v, `${here}/${i}`));
      });
    } else if (typeof value === 'object') out.push(...signalReferences(value, here));
  }
  return out;
}

/** Issues for Bot references (account, signal sources) that name no document of that kind in the namespace. */
export function unresolvedReferences(documents: readonly ManifestDocument[]): Issue[] {
  const names = new Set(documents.map((d) => `${d.kind}\u0000${d.key}`));
  const has = (kind: string, namespace: string, name: string): boolean =>
    names.has(`${kind}\u0000${namespace}/${name}`);
  const out: Issue[] = [];
  for (const bot of documents) {
    if (bot.kind !== 'Bot') continue; // references are checked even when the schema found other problems
    const account = bot.spec['account'];
    if (typeof account === 'string' && !has('Account', bot.namespace, account)) {
      out.push(
        issueAt(
          bot.parsed,
          '/spec/account',
          'ref-account-unresolved',
          `spec.account "${account}" names no Account in namespace "${bot.namespace}"`,
        ),
      );
    }
    for (const ref of signalReferences(bot.spec['signals'])) {
      if (!has('SignalSource', bot.namespace, ref.name)) {
        out.push(
          issueAt(
            bot.parsed,
            ref.pointer,
            'ref-signal-source-unresolved',
            `signal source "${ref.name}" names no SignalSource in namespace "${bot.namespace}"`,
          ),
        );
      }
    }
  }
  return out;
}
