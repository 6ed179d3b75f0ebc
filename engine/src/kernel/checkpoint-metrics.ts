/**
 * The metrics part of a kernel checkpoint. The equity curve is not stored sample by sample (it grows
 * with every bar, and a checkpoint goes with every event batch): it is compacted to three synthetic
 * samples that give the same max drawdown and time-weighted exposure when the run continues, since
 * both are folds (running peak and worst drop; weighted and total time) of the curve, which the
 * recorder keeps as the samples arrive.
 */
import type { Dec } from '../core/decimal.ts';
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

/** The recorder's curve as at most three samples with the same drawdown and exposure. */
export function compactCurve(recorder: MetricsRecorder): CurveState {
  const { count, peak, worst, weighted, total, lastTs } = recorder.curveFolds();
  if (count === 0) return { ts: [], equity: [], exposure: [] };
  if (peak <= 0) {
    // No positive peak: ratios degenerate, so keep the raw curve (rare: an account with no equity).
    const curve = recorder.curve();
    return {
      ts: Array.from(curve.ts),
      equity: Array.from(curve.equity),
      exposure: Array.from(curve.exposure),
    };
  }
  const start = recorder.start;
  // Zero-weight samples carry the peak and the worst drop; the last carries the average exposure.
  return {
    ts: [start, start, lastTs],
    equity: [peak, peak * (1 - worst), peak],
    exposure: [0, 0, total === 0 ? 0 : (weighted / total) * peak],
  };
}

/** The recorder's accumulators with `curve` (exact sums read from the recorder itself). */
export function saveMetrics(recorder: MetricsRecorder, curve: CurveState): MetricsState {
  const sums = recorder.sums();
  return {
    initialEquity: recorder.initialEquity,
    start: recorder.start,
    fees: sums.fees,
    slippage: sums.slippage,
    liquidationLoss: sums.liquidationLoss,
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
