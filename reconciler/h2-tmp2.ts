import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { loadSnapshot } from '@tradingtower/reconciler/manifest/index.ts';
const PAPER_ACCOUNT = `apiVersion: tradingtower.dev/v1
kind: Account
metadata: { name: paper-main }
spec:
  exchange: paper
  mode: paper
  paper:
    balances: { USDT: 10000 }
`;
const VALID = PAPER_ACCOUNT + `---
apiVersion: tradingtower.dev/v1
kind: Bot
metadata: { name: grid-btc }
spec:
  strategy: grid
  account: paper-main
  market: BTC/USDT
  params:
    lowPrice: 25000
    highPrice: 35000
    gridCount: 10
    investment: 1000
`;
const NASTY = [':', '-', ' ', '\n', '\t', '[', ']', '{', '}', '&a', '*a', '!', '!!binary', '"', "'", '#', '|', '>', '%', '@', '`', '---', '...', '<<', '\u0000', '\uFFFD', '\uFEFF', '0x1F', '.inf', '.nan', '1e999', '~', 'null', '__proto__'];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 60 }) }),
);
function mutate(text: string, m: any): string {
  const at = m.at % (text.length + 1);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  return text.slice(0, at) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at);
}
let n = 0;
fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
  const text = ms.reduce(mutate, VALID);
  writeFileSync('/tmp/h2last.txt', text);
  const t = performance.now();
  loadSnapshot({ revision: 'x', files: new Map([['h.yaml', text], ['good/b.yaml', VALID]]) });
  const d = performance.now() - t;
  if (d > 100) console.log('slow', n, d.toFixed(0));
  if (++n % 500 === 0) console.log(n);
}), { numRuns: 2500, seed: 20261121 });
