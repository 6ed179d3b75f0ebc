import { loadSnapshot } from '@tradingtower/reconciler/manifest/index.ts';
import { readDirectorySnapshot } from '@tradingtower/reconciler/sources/directory.ts';
const ex = await readDirectorySnapshot('/work/main/bots.example');
const files = new Map<string, string>();
for (let c = 0; c < 250; c++) for (const [p, t] of ex.files) { const s = p.indexOf('/'); if (s > 0) files.set(`${p.slice(0, s)}-${c}${p.slice(s)}`, t); }
loadSnapshot({ revision: 'x', files: ex.files });
const t = performance.now();
loadSnapshot({ revision: 'x', files });
console.log(performance.now() - t);
