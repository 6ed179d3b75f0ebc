/**
 * `npm run bench [-- --json] [-- name-filter]`: runs every benchmark registered in benchmarks.ts.
 * Each benchmark file exports a `Benchmark`; add new ones to the list in benchmarks.ts.
 */
import { benchmarks } from './benchmarks.ts';
import { table, type BenchResult } from './harness.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));
const results: BenchResult[] = [];
for (const bench of benchmarks) {
  if (filters.length > 0 && !filters.some((f) => bench.name.includes(f))) continue;
  if (!json) process.stderr.write(`running ${bench.name}…\n`);
  for (const result of await bench.run()) {
    results.push(result);
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}
if (!json) process.stdout.write(`${table(results)}\n`);
