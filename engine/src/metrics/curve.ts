/**
 * A bot's equity curve as it is recorded: the folds the metrics need (running peak and worst drop for
 * the max drawdown; weighted and total time for the exposure) are updated as each sample arrives, so the
 * metrics cost nothing per call. The samples themselves are kept as a log: single samples as values,
 * and a run of quiet bars (a position that stays the same through them) as the bar range plus the line
 * its equity follows. The curve is written out sample by sample only when asked for (reports, charts,
 * checkpoints), from where the last call left off, with the same float formulas: bit for bit the values
 * the folds saw.
 */
import type { EpochMs } from '../core/clock.ts';

/** An equity curve sampled at bar closes, with the position value at each sample. */
export interface EquityCurve {
  readonly ts: ArrayLike<number>;
  readonly equity: ArrayLike<number>;
  readonly exposure: ArrayLike<number>;
  /** Time the first sample's period started (the first bar's open). */
  readonly start: EpochMs;
}

/** A bot's equity as a line in the price: offset + slope·(price − entry); exposure |slope·price|. */
export interface EquityLineF {
  readonly offset: number;
  readonly slope: number;
  readonly entry: number;
}

/** The folds of a curve so far (see `maxDrawdownPct` and `exposurePct` in metrics.ts). */
export interface CurveFolds {
  /** Highest equity so far, starting at the initial equity. */
  readonly peak: number;
  /** Largest (peak − equity) / peak so far. */
  readonly worst: number;
  /** Σ weight · |position value| / equity. */
  readonly weighted: number;
  /** Σ weight (time covered by samples with a positive period). */
  readonly total: number;
  /** Time of the last sample (the start when there is none). */
  readonly lastTs: number;
  /** Number of samples. */
  readonly count: number;
}

/** Bars `from`…`to − 1` of a series sampled at their closes on one equity line. */
interface QuietRun {
  /** Samples recorded one by one before this run (its place in the log). */
  readonly afterPoints: number;
  readonly ts: Float64Array;
  readonly close: Float64Array;
  readonly from: number;
  readonly to: number;
  readonly timeframeMs: number;
  readonly line: EquityLineF;
}

/** Growable float columns. */
class Columns {
  ts: Float64Array;
  equity: Float64Array;
  exposure: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.ts = new Float64Array(capacity);
    this.equity = new Float64Array(capacity);
    this.exposure = new Float64Array(capacity);
  }

  /** Makes room for `more` values. */
  reserve(more: number): void {
    let size = this.ts.length;
    if (this.length + more <= size) return;
    while (this.length + more > size) size *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.ts = grow(this.ts);
    this.equity = grow(this.equity);
    this.exposure = grow(this.exposure);
  }

  push(t: number, e: number, x: number): void {
    this.reserve(1);
    this.ts[this.length] = t;
    this.equity[this.length] = e;
    this.exposure[this.length] = x;
    this.length++;
  }
}

/** Records an equity curve and keeps its metric folds current. */
export class CurveRecorder {
  readonly start: EpochMs;
  private peak: number;
  /** Lowest equity since the peak was last raised (the worst drop can only come from a new low). */
  private trough = Number.POSITIVE_INFINITY;
  private worst = 0;
  private weighted = 0;
  private total = 0;
  private previous: number;
  private count = 0;
  /** Samples recorded one by one, and the quiet runs between them, in order. */
  private readonly points: Columns;
  private readonly runs: QuietRun[] = [];
  /** The curve written out so far, and how much of the log it covers. */
  private written: Columns | undefined;
  private writtenPoints = 0;
  private writtenRuns = 0;

  /**
   * `initial`: the equity the running peak starts from; `capacity`: the expected number of samples (a
   * hint: a backtest records most of them as quiet runs, so single samples start small).
   */
  constructor(initial: number, start: EpochMs, capacity = 64) {
    this.points = new Columns(Math.max(16, Math.min(capacity, 4096)));
    this.start = start;
    this.peak = initial;
    this.previous = start;
  }

  /** Records one sample: time, equity and |position value|. */
  sample(t: number, e: number, x: number): void {
    this.points.push(t, e, x);
    this.fold(t, e, x);
    this.count++;
  }

  /**
   * Samples bars `from`…`to − 1` at their closes (`ts + timeframeMs`) on the equity line `line`: what
   * `sample` records bar by bar, folded in one pass and kept as the run itself.
   */
  sampleRun(
    ts: Float64Array,
    close: Float64Array,
    from: number,
    to: number,
    timeframeMs: number,
    line: EquityLineF,
  ): void {
    if (to <= from) return;
    this.runs.push({ afterPoints: this.points.length, ts, close, from, to, timeframeMs, line });
    const { offset, slope, entry } = line;
    // `fold` inlined over locals: this loop covers most bars of a backtest.
    let { peak, trough, worst, weighted, total, previous } = this;
    for (let i = from; i < to; i++) {
      const c = close[i]!;
      const t = ts[i]! + timeframeMs;
      const e = offset + slope * (c - entry);
      if (e > peak) {
        peak = e;
        trough = Number.POSITIVE_INFINITY;
      } else if (e < trough) {
        trough = e;
        if (peak > 0 && (peak - e) / peak > worst) worst = (peak - e) / peak;
      }
      const w = t - previous;
      previous = t;
      if (w > 0) {
        const x = Math.abs(slope * c);
        weighted += w * (e > 0 ? x / e : x > 0 ? 1 : 0);
        total += w;
      }
    }
    this.peak = peak;
    this.trough = trough;
    this.worst = worst;
    this.weighted = weighted;
    this.total = total;
    this.previous = previous;
    this.count += to - from;
  }

  /**
   * The folds of metrics.ts, sample by sample in order, so the sums are the same floats. The drawdown
   * (peak − e) / peak is monotonic in e for a fixed peak (IEEE rounding is monotonic), so only a new
   * low since the peak can raise the worst drop: the division is skipped for the others.
   */
  private fold(t: number, e: number, x: number): void {
    if (e > this.peak) {
      this.peak = e;
      this.trough = Number.POSITIVE_INFINITY;
    } else if (e < this.trough) {
      this.trough = e;
      if (this.peak > 0) {
        const drawdown = (this.peak - e) / this.peak;
        if (drawdown > this.worst) this.worst = drawdown;
      }
    }
    const w = t - this.previous;
    this.previous = t;
    if (w > 0) {
      this.weighted += w * (e > 0 ? x / e : x > 0 ? 1 : 0);
      this.total += w;
    }
  }

  /** The folds so far. */
  folds(): CurveFolds {
    const { peak, worst, weighted, total, count } = this;
    return { peak, worst, weighted, total, count, lastTs: count === 0 ? this.start : this.previous };
  }

  /** The curve sample by sample (views of columns kept and extended by later calls). */
  curve(): EquityCurve {
    const out = (this.written ??= new Columns(Math.max(16, this.count)));
    out.reserve(this.count - out.length);
    for (; this.writtenRuns < this.runs.length; this.writtenRuns++) {
      const run = this.runs[this.writtenRuns]!;
      this.writePoints(out, run.afterPoints);
      const { ts, close, from, to, timeframeMs } = run;
      const { offset, slope, entry } = run.line;
      let n = out.length;
      for (let i = from; i < to; i++, n++) {
        const c = close[i]!;
        out.ts[n] = ts[i]! + timeframeMs;
        out.equity[n] = offset + slope * (c - entry);
        out.exposure[n] = Math.abs(slope * c);
      }
      out.length = n;
    }
    this.writePoints(out, this.points.length);
    return {
      ts: out.ts.subarray(0, out.length),
      equity: out.equity.subarray(0, out.length),
      exposure: out.exposure.subarray(0, out.length),
      start: this.start,
    };
  }

  /** Copies the single samples up to `end` into the written curve. */
  private writePoints(out: Columns, end: number): void {
    const p = this.points;
    for (; this.writtenPoints < end; this.writtenPoints++) {
      const i = this.writtenPoints;
      const n = out.length++;
      out.ts[n] = p.ts[i]!;
      out.equity[n] = p.equity[i]!;
      out.exposure[n] = p.exposure[i]!;
    }
  }
}
