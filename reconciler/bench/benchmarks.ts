/** The registry of benchmarks run by `npm run bench`. Each issue adds its benchmarks here. */
import type { Benchmark } from './harness.ts';
import { decimalArithmetic } from './decimal.bench.ts';
import { storeAppend } from './store.bench.ts';
import { reconcileBenchmarks } from './reconcile.bench.ts';
import { backtestThroughput } from './backtest.bench.ts';
import { validatePlan } from './validate-plan.bench.ts';

export const benchmarks: readonly Benchmark[] = [
  decimalArithmetic,
  storeAppend,
  reconcileBenchmarks,
  backtestThroughput,
  validatePlan,
];
