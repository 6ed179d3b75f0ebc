import { readFileSync } from 'node:fs';
import { loadSnapshot } from '@tradingtower/reconciler/manifest/index.ts';
const dir = 'test/manifest/fixtures/invalid/';
for (const f of process.argv.slice(2)) {
  const text = readFileSync(dir + f, 'utf8');
  const r = loadSnapshot({ revision: 'x', files: new Map([[f, text]]) });
  for (const i of r.issues) console.log(`${i.file}:${i.line}:${i.col}: ${i.severity} ${i.code}: ${i.message} | ${JSON.stringify(text.split('\n')[i.line - 1]!.slice(i.col - 1, i.col + 20))}`);
}
