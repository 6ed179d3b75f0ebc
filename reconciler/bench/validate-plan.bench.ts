/**
 * Validate + plan 10,000 bot manifests (the bots.example repository replicated into 1,250 namespace
 * pairs, one bot per strategy each) against a base revision where every fifth copy differs. Floor: the
 * yaml package parsing the same text alone, in the same run. Goal: a ratio of at most 2.
 */
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadSnapshot, type Snapshot } from '../src/manifest/index.ts';
import { planChanges } from '../src/plan/index.ts';
import { readDirectorySnapshot } from '../src/sources/directory.ts';
import { bestOf, rate, type Benchmark } from './harness.ts';

const TARGET_BOTS = 10_000;

/** Copies of the example repository, each copy's folders renamed so namespaces stay unique. */
function replicate(
  example: Snapshot,
  copies: number,
  tweak: (copy: number, text: string) => string,
): Snapshot {
  const files = new Map<string, string>();
  for (let copy = 0; copy < copies; copy++) {
    for (const [path, text] of example.files) {
      const slash = path.indexOf('/');
      if (slash === -1) {
        if (copy === 0) files.set(path, text); // the org-wide Policy exists once
        continue;
      }
      files.set(`${path.slice(0, slash)}-${copy}${path.slice(slash)}`, tweak(copy, text));
    }
  }
  return { revision: `copies-${copies}`, files };
}

export const validatePlan: Benchmark = {
  name: 'validate-plan',
  async run() {
    const example = await readDirectorySnapshot(
      fileURLToPath(new URL('../../bots.example/', import.meta.url)),
    );
    const perCopy = loadSnapshot(example).desired.bots.length;
    const copies = Math.ceil(TARGET_BOTS / perCopy);
    // The base differs in every fifth copy: a hot risk limit, so the plan has updates to describe.
    const base = replicate(example, copies, (c, t) =>
      c % 5 === 0 ? t.replace('maxConsecutiveErrors: 5', 'maxConsecutiveErrors: 4') : t,
    );
    const head = replicate(example, copies, (_c, t) => t);
    const baseBots = loadSnapshot(base).desired.bots;
    const texts = [...head.files.values()];
    let sink = 0;
    const floorMs = await bestOf(2, () => {
      for (const text of texts) sink += parseAllDocuments(text).length;
    });
    let bots = 0;
    let changed = 0;
    const ms = await bestOf(2, () => {
      const { desired, issues } = loadSnapshot(head);
      if (issues.length > 0)
        throw new Error(`generated manifests are invalid: ${issues[0]!.file}: ${issues[0]!.message}`);
      const plan = planChanges(baseBots, desired);
      bots = desired.bots.length;
      changed = plan.bots.filter((b) => b.action !== 'noop').length;
    });
    if (sink === 0) throw new Error('benchmark result unused');
    const files = head.files.size;
    return [
      {
        ...rate(
          `validate + plan ${bots} bots (${files} files) vs YAML parse`,
          files,
          ms,
          floorMs,
          'files/s',
          2,
        ),
        notes: `${changed} bots changed`,
      },
    ];
  },
};
