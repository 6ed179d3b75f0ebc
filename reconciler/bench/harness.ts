/**
 * The benchmark harness. Every benchmark measures its subject and a floor in the same run and reports
 * the ratio, so results compare across machines. Output: one JSON object per line with `--json`
 * (`{"name","value","unit","floor","ratio"}`), a readable table otherwise.
 */
import { performance } from 'node:perf_hooks';

/** One benchmark result line. `value` and `floor` are in `unit` (higher is better for rates). */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly floor: number;
  /** How many times slower than the floor (floor rate / value rate, or value time / floor time). */
  readonly ratio: number;
  /** The goal for the ratio, when the issue states one. */
  readonly goal?: number;
  readonly notes?: string;
}

/** A named benchmark; `run` returns one or more results. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<readonly BenchResult[]>;
}

/** Runs `fn` `repeat` times and returns the best wall time in milliseconds (best-of reduces noise). */
export async function bestOf(repeat: number, fn: () => unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** A result for a throughput (items per second): ratio = floor rate / measured rate. */
export function rate(
  name: string,
  items: number,
  ms: number,
  floorMs: number,
  unit: string,
  goal?: number,
): BenchResult {
  const value = (items / ms) * 1000;
  const floor = (items / floorMs) * 1000;
  return {
    name,
    value: round(value),
    unit,
    floor: round(floor),
    ratio: round(floor / value),
    ...(goal === undefined ? {} : { goal }),
  };
}

/** A result for a latency (ms): ratio = measured / floor. */
export function latency(name: string, ms: number, floorMs: number, goal?: number): BenchResult {
  return {
    name,
    value: round(ms),
    unit: 'ms',
    floor: round(floorMs),
    ratio: round(ms / Math.max(floorMs, 1e-6)),
    ...(goal === undefined ? {} : { goal }),
  };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

/** Formats results as an aligned table. */
export function table(results: readonly BenchResult[]): string {
  const rows = [['benchmark', 'value', 'unit', 'floor', 'ratio', 'goal']];
  for (const r of results) {
    rows.push([
      r.name,
      String(r.value),
      r.unit,
      String(r.floor),
      `${r.ratio}×`,
      r.goal === undefined ? '' : `≤ ${r.goal}×`,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')).join('\n');
}
