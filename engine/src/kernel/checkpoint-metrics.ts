/**
 * The metrics part of a kernel checkpoint. The equity curve is not stored sample by sample (it grows
 * with every bar, and a checkpoint goes with every event batch): it is compacted to three synthetic
 * samples that give the same max drawdown and time-weighted exposure when the run continues, since
 * both are folds (running peak and worst drop; weighted and total time) of the curve.
 */
import { str, type Dec, type DecimalValue } from '../core/decimal.ts';
import { MetricsRecorder } from '../metrics/metrics.ts';

/** A compacted equity curve: parallel arrays of sample time, equity and |position value|. */
export interface CurveState {
  readonly ts: readonly number[];
  readonly equity: readonly number[];
  readonly exposure: readonly number[];
}

/** The metrics accumulators of a run. */
export interface MetricsState {
  readonly initialEquity: Dec;
  readonly start: number;
  readonly fees: Dec;
  readonly slippage: Dec;
  readonly liquidationLoss: Dec;
  readonly trades: number;
  readonly liquidations: number;
  readonly roundTripPnls: readonly Dec[];
  readonly curve: CurveState;
}

interface Fold {
  count: number;
  peak: number;
  worst: number;
  weighted: number;
  total: number;
  previous: number;
  lastTs: number;
}

/** Folds already computed per recorder, so each checkpoint only reads the samples added since the last. */
const folds = new WeakMap<MetricsRecorder, Fold>();

/** The recorder's curve as at most three samples with the same drawdown and exposure. */
export function compactCurve(recorder: MetricsRecorder): CurveState {
  const curve = recorder.curve();
  const initial = Number(recorder.initialEquity);
  let fold = folds.get(recorder);
  if (!fold || fold.count > curve.ts.length) {
    fold = {
      count: 0,
      peak: initial,
      worst: 0,
      weighted: 0,
      total: 0,
      previous: curve.start,
      lastTs: curve.start,
    };
    folds.set(recorder, fold);
  }
  for (let i = fold.count; i < curve.ts.length; i++) {
    const t = curve.ts[i]!;
    const e = curve.equity[i]!;
    const x = curve.exposure[i]!;
    // The same folds as metrics.ts maxDrawdownPct and exposurePct.
    if (e > fold.peak) fold.peak = e;
    else if (fold.peak > 0) fold.worst = Math.max(fold.worst, (fold.peak - e) / fold.peak);
    const w = t - fold.previous;
    fold.previous = t;
    fold.lastTs = t;
    if (w > 0) {
      fold.weighted += w * (e > 0 ? x / e : x > 0 ? 1 : 0);
      fold.total += w;
    }
  }
  fold.count = curve.ts.length;
  if (fold.count === 0) return { ts: [], equity: [], exposure: [] };
  if (fold.peak <= 0) {
    // No positive peak: ratios degenerate, so keep the raw curve (rare: an account with no equity).
    return {
      ts: Array.from(curve.ts),
      equity: Array.from(curve.equity),
      exposure: Array.from(curve.exposure),
    };
  }
  const { peak, worst, weighted, total, lastTs } = fold;
  const start = curve.start;
  // Zero-weight samples carry the peak and the worst drop; the last carries the average exposure.
  return {
    ts: [start, start, lastTs],
    equity: [peak, peak * (1 - worst), peak],
    exposure: [0, 0, total === 0 ? 0 : (weighted / total) * peak],
  };
}

interface RecorderSums {
  readonly fees: DecimalValue;
  readonly slippage: DecimalValue;
  readonly liquidationLoss: DecimalValue;
}

/** The recorder's accumulators with `curve` (exact sums read from the recorder itself). */
export function saveMetrics(recorder: MetricsRecorder, curve: CurveState): MetricsState {
  // The recorder keeps its exact sums private; a checkpoint needs them exact, not rounded as reported.
  const sums = recorder as unknown as RecorderSums;
  if (sums.fees === undefined || sums.slippage === undefined || sums.liquidationLoss === undefined)
    throw new Error('checkpoint: MetricsRecorder no longer exposes fees/slippage/liquidationLoss sums');
  return {
    initialEquity: recorder.initialEquity,
    start: recorder.start,
    fees: str(sums.fees),
    slippage: str(sums.slippage),
    liquidationLoss: str(sums.liquidationLoss),
    trades: recorder.trades,
    liquidations: recorder.liquidations,
    roundTripPnls: [...recorder.roundTripPnls],
    curve,
  };
}

/** A recorder that continues from `state`. */
export function restoreMetrics(state: MetricsState): MetricsRecorder {
  const recorder = new MetricsRecorder(state.initialEquity, state.start);
  for (let i = 0; i < state.curve.ts.length; i++)
    recorder.sample(state.curve.ts[i]!, state.curve.equity[i]!, state.curve.exposure[i]!);
  recorder.recordFill(state.fees, state.slippage);
  recorder.trades = state.trades;
  recorder.recordLiquidation(state.liquidationLoss);
  recorder.liquidations = state.liquidations;
  recorder.roundTripPnls.push(...state.roundTripPnls);
  return recorder;
}
