import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { loadSnapshot, type Issue } from '@tradingtower/reconciler/manifest/index.ts';
import { PAPER_ACCOUNT, gridBot, snapshotOf } from './fixtures.ts';

const SIGNALS =
  'apiVersion: tradingtower.dev/v1\nkind: SignalSource\nmetadata: { name: tv }\nspec: { type: tradingview, token: { env: TV_TOKEN } }\n';
const VALID = `${PAPER_ACCOUNT}---\n${SIGNALS}---\n${gridBot('grid-btc', '\n    lowPrice: 25000\n    highPrice: 35000\n    gridCount: 10\n    investment: 1000', '  risk: { maxOrderNotional: 100 }\n  signals:\n    - { source: tv, actions: [startDeal] }\n')}`;

// Characters that matter to YAML and to the loader's prechecks.
const NASTY = [
  ':',
  '-',
  ' ',
  '\n',
  '\t',
  '[',
  ']',
  '{',
  '}',
  '&a',
  '*a',
  '!',
  '!!binary',
  '"',
  "'",
  '#',
  '|',
  '>',
  '%',
  '@',
  '`',
  '---',
  '...',
  '<<',
  '\u0000',
  '\uFFFD',
  '\uFEFF',
  '0x1F',
  '.inf',
  '.nan',
  '1e999',
  '~',
  'null',
  '__proto__',
];

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
    times: fc.integer({ min: 2, max: 60 }),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  return text.slice(0, at) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at);
}

/** Loads a hostile file (with `withGood`, next to a valid one) and checks the loader's promises. */
function checkLoader(hostile: string, withGood = false): void {
  const files = withGood ? { 'hostile.yaml': hostile, 'good/bots.yaml': VALID } : { 'hostile.yaml': hostile };
  const lines = hostile.split('\n').length;
  const started = performance.now();

  const { issues, desired } = loadSnapshot(snapshotOf(files));

  expect(performance.now() - started).toBeLessThan(2000);
  const isLocated = (i: Issue): boolean =>
    i.file === 'hostile.yaml' &&
    i.line >= 1 &&
    i.line <= lines + 1 &&
    i.col >= 1 &&
    /^[a-z0-9]+(-[a-z0-9]+)*$/.test(i.code) &&
    i.message.length > 0;
  expect(issues.filter((i) => !isLocated(i))).toEqual([]);
  // The valid file in another namespace is still checked and loaded.
  if (withGood) expect(desired.bots.some((b) => b.key === 'good/grid-btc')).toBe(true);
}

describe('the loader on hostile input', () => {
  it('never crashes, never hangs and locates every failure for thousands of mutated manifests', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        checkLoader(mutations.reduce(mutate, VALID));
      }),
      { numRuns: 1500, seed: 20261121 },
    );
  }, 120_000);

  it('locates every failure for arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkLoader(text)),
      { numRuns: 800, seed: 7 },
    );
  });

  it('locates every failure for arbitrary data serialised as JSON documents', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 6 }), { minLength: 1, maxLength: 5 }), (values) => {
        checkLoader(values.map((v) => JSON.stringify(v)).join('\n---\n'), true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('handles classic attacks within the time limit', () => {
    const attacks = [
      `a: &a [${'x,'.repeat(50)}x]\n${Array.from({ length: 20 }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`}, *${i === 0 ? 'a' : `b${i - 1}`}]`).join('\n')}\n`,
      '- '.repeat(5000),
      `${' '.repeat(2)}a:\n`.repeat(2000),
      '---\n'.repeat(5000),
      `a: ${'{b: '.repeat(5000)}`,
      'a: !!binary AAAA\nb: !custom {x: 1}\n',
      `${'x'.repeat(100_000)}: 1\n`,
      '? [complex, key]\n: 1\n',
      'a: &x {b: *x}\n',
    ];

    for (const attack of attacks) checkLoader(attack, true);
  });
});
