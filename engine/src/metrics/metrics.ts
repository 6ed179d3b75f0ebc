/**
 * Performance metrics (DESIGN §6.2): one definition for backtest, paper, live and the site. The engine
 * feeds a recorder as it runs; `summarize` turns the record into the metrics. Money sums (PnL, fees,
 * slippage) are exact decimals, reported to 10 places; ratios over the equity curve (drawdown, exposure) are computed on the
 * float equity samples, which are charts-grade values, and rounded to 6 decimals.
 */
import { dec, gt, str, sum, toNumber, toPlaces, type Dec, type DecLike } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';
import { RunningAmount } from '../core/running-amount.ts';
import { CurveRecorder, type CurveFolds, type EquityCurve, type EquityLineF } from './curve.ts';

export type { CurveFolds, EquityCurve, EquityLineF } from './curve.ts';

/** The metrics of DESIGN §6.2, with exactly those names, plus the liquidation count and loss. */
export interface Metrics {
  readonly totalPnl: Dec;
  readonly totalPnlPct: Dec;
  readonly realizedPnl: Dec;
  readonly maxDrawdownPct: number;
  /** Profitable closed round trips ÷ closed round trips (0 … 1; 0 when none closed). */
  readonly winRate: number;
  readonly fees: Dec;
  readonly slippage: Dec;
  readonly exposurePct: number;
  readonly trades: number;
  readonly roundTrips: number;
  readonly initialEquity: Dec;
  readonly finalEquity: Dec;
  readonly liquidations: number;
  readonly liquidationLoss: Dec;
}

/** Everything the metrics are computed from. */
export interface MetricsInput {
  readonly initialEquity: Dec;
  readonly finalEquity: Dec;
  readonly curve: EquityCurve;
  readonly fees: Dec;
  readonly slippage: Dec;
  readonly trades: number;
  /** Net PnL (after fees) of every closed round trip. */
  readonly roundTripPnls: readonly Dec[];
  readonly liquidations?: number;
  readonly liquidationLoss?: Dec;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Money in the metrics, to 10 decimal places (half-even): ledger maths divides (margin = notional /
 * leverage) at 40 significant digits, and those last digits are noise, not money.
 */
const money = (value: DecLike): Dec => toPlaces(value, 10);

/** max over t of (running peak − equity(t)) / running peak × 100; the peak starts at `initial`. */
export function maxDrawdownPct(initial: number, equity: ArrayLike<number>): number {
  let peak = initial;
  let worst = 0;
  const n = equity.length;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    else if (peak > 0) {
      const drawdown = (peak - e) / peak;
      if (drawdown > worst) worst = drawdown;
    }
  }
  return round6(worst * 100);
}

/** Time-weighted average of |position value| / equity × 100; each sample weighs its period. */
export function exposurePct(curve: EquityCurve): number {
  // Columns in locals: one pass over up to a year of minute samples is a hot loop.
  const { ts, equity, exposure } = curve;
  const n = ts.length;
  let weighted = 0;
  let total = 0;
  let previous = curve.start;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    const w = t - previous;
    previous = t;
    if (w <= 0) continue;
    const e = equity[i]!;
    const x = exposure[i]!;
    weighted += w * (e > 0 ? x / e : x > 0 ? 1 : 0);
    total += w;
  }
  return total === 0 ? 0 : round6((weighted / total) * 100);
}

/** Computes the metrics of a run. */
export function summarize(input: MetricsInput): Metrics {
  const initial = toNumber(input.initialEquity);
  return metricsOf(input, maxDrawdownPct(initial, input.curve.equity), exposurePct(input.curve));
}

/** The metrics with the two curve ratios already folded (the recorder folds them as samples arrive). */
function metricsOf(input: Omit<MetricsInput, 'curve'>, maxDrawdown: number, exposure: number): Metrics {
  const initial = dec(input.initialEquity);
  const totalPnl = dec(input.finalEquity).minus(initial);
  const wins = input.roundTripPnls.filter((p) => gt(p, '0')).length;
  const realized = sum(input.roundTripPnls);
  return {
    totalPnl: money(totalPnl),
    totalPnlPct: initial.isZero() ? '0' : toPlaces(totalPnl.dividedBy(initial).times(100), 8),
    realizedPnl: money(realized),
    maxDrawdownPct: maxDrawdown,
    winRate: input.roundTripPnls.length === 0 ? 0 : round6(wins / input.roundTripPnls.length),
    fees: money(input.fees),
    slippage: money(input.slippage),
    exposurePct: exposure,
    trades: input.trades,
    roundTrips: input.roundTripPnls.length,
    initialEquity: money(input.initialEquity),
    finalEquity: money(input.finalEquity),
    liquidations: input.liquidations ?? 0,
    liquidationLoss: money(input.liquidationLoss ?? '0'),
  };
}

/** Collects what the metrics need while a bot runs (fills, round trips, equity samples at bar close). */
export class MetricsRecorder {
  readonly initialEquity: Dec;
  readonly start: EpochMs;
  private readonly equity: CurveRecorder;
  // Exact running sums, changed per fill and read once a run: their text is written only when read.
  private readonly fees = new RunningAmount();
  private readonly slippage = new RunningAmount();
  private readonly liquidationLoss = new RunningAmount();
  trades = 0;
  liquidations = 0;
  readonly roundTripPnls: Dec[] = [];

  /** `capacity`: the expected number of samples, a sizing hint. */
  constructor(initialEquity: Dec, start: EpochMs, capacity?: number) {
    this.initialEquity = str(initialEquity);
    this.start = start;
    this.equity = new CurveRecorder(toNumber(this.initialEquity), start, capacity);
  }

  /** Records the equity and |position value| at a bar close. */
  sample(ts: EpochMs, equity: number, exposure: number): void {
    this.equity.sample(ts, equity, exposure);
  }

  /**
   * Samples bars `from`…`to − 1` at their closes (`ts + timeframeMs`) for a position that stays the same
   * through them: what `sample` records bar by bar, in one pass over the columns.
   */
  sampleRun(
    ts: Float64Array,
    close: Float64Array,
    from: number,
    to: number,
    timeframeMs: number,
    line: EquityLineF,
  ): void {
    this.equity.sampleRun(ts, close, from, to, timeframeMs, line);
  }

  /** Records one fill: its fee and its slippage, both in quote. */
  recordFill(feeQuote: Dec, slippageQuote: Dec): void {
    this.trades++;
    this.fees.change(feeQuote, 1);
    if (slippageQuote !== '0') this.slippage.change(slippageQuote, 1);
  }

  /** Records a closed round trip with its net PnL. */
  recordRoundTrip(pnl: Dec): void {
    this.roundTripPnls.push(str(pnl));
  }

  /** Records a liquidation and the margin it cost. */
  recordLiquidation(loss: Dec): void {
    this.liquidations++;
    this.liquidationLoss.change(loss, 1);
  }

  /** The exact running sums (checkpoints keep them exact, not rounded as the metrics report them). */
  sums(): { readonly fees: Dec; readonly slippage: Dec; readonly liquidationLoss: Dec } {
    return {
      fees: this.fees.value(),
      slippage: this.slippage.value(),
      liquidationLoss: this.liquidationLoss.value(),
    };
  }

  /** The equity curve so far, sample by sample. */
  curve(): EquityCurve {
    return this.equity.curve();
  }

  /** The running folds of the equity curve (what a checkpoint keeps of it). */
  curveFolds(): CurveFolds {
    return this.equity.folds();
  }

  /** The metrics with `finalEquity` computed exactly by the caller. */
  summarize(finalEquity: Dec): Metrics {
    const { worst, weighted, total } = this.equity.folds();
    // The same values maxDrawdownPct and exposurePct give over the curve, folded as it was recorded.
    return metricsOf(
      {
        initialEquity: this.initialEquity,
        finalEquity,
        fees: this.fees.value(),
        slippage: this.slippage.value(),
        trades: this.trades,
        roundTripPnls: this.roundTripPnls,
        liquidations: this.liquidations,
        liquidationLoss: this.liquidationLoss.value(),
      },
      round6(worst * 100),
      total === 0 ? 0 : round6((weighted / total) * 100),
    );
  }
}
