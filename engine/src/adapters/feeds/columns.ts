/**
 * A columnar bar series parsed from the normalised OHLCV CSV text (`timestamp,open,high,low,close,volume`
 * and an optional `fundingRate` column). Floats serve the hot path; the exact decimal text of a value
 * is the float's shortest round-trip text whenever that equals the source text, which holds for every
 * value of ≤ 15 significant digits. Other values keep their source text in an override table.
 */
import type { Dec } from '../../core/decimal.ts';
import type { Bar } from '../../model/market.ts';
import type { BarSeries } from '../../ports/feed.ts';

const COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Column-wise bars with exact decimal text on demand. */
export class ColumnarBars implements BarSeries {
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly fundingRate?: Float64Array;
  readonly timeframeMs: number;
  /** Source text of values whose float text differs (`row*6 + column`), rare in practice. */
  private readonly overrides: ReadonlyMap<number, Dec>;
  /** Exact text per price/volume column when the source kept it (saves formatting floats per bar). */
  private readonly texts: BarTexts | undefined;

  constructor(
    columns: {
      ts: Float64Array;
      open: Float64Array;
      high: Float64Array;
      low: Float64Array;
      close: Float64Array;
      volume: Float64Array;
      fundingRate?: Float64Array;
    },
    overrides: ReadonlyMap<number, Dec> = new Map(),
    texts?: BarTexts,
  ) {
    this.texts = texts;
    this.length = columns.ts.length;
    this.ts = columns.ts;
    this.open = columns.open;
    this.high = columns.high;
    this.low = columns.low;
    this.close = columns.close;
    this.volume = columns.volume;
    if (columns.fundingRate) this.fundingRate = columns.fundingRate;
    this.overrides = overrides;
    this.timeframeMs = inferTimeframe(columns.ts);
  }

  /** The exact decimal text of column `c` (0 open … 4 volume, 5 funding) at row `i`. */
  text(i: number, c: number): Dec {
    const override = this.overrides.size === 0 ? undefined : this.overrides.get(i * 6 + c);
    if (override !== undefined) return override;
    const column = c === 5 ? this.fundingRate : this[COLUMNS[c]!];
    return floatText(column![i]!);
  }

  /** The exact close text of bar `i` (what `bar(i).close` holds). */
  closeText(i: number): Dec {
    return this.texts ? this.texts.close[i]! : this.text(i, 3);
  }

  bar(i: number): Bar {
    const funding = this.fundingRate?.[i];
    const t = this.texts;
    const base = t
      ? {
          ts: this.ts[i]!,
          open: t.open[i]!,
          high: t.high[i]!,
          low: t.low[i]!,
          close: t.close[i]!,
          volume: t.volume[i]!,
        }
      : {
          ts: this.ts[i]!,
          open: this.text(i, 0),
          high: this.text(i, 1),
          low: this.text(i, 2),
          close: this.text(i, 3),
          volume: this.text(i, 4),
        };
    return funding === undefined || Number.isNaN(funding) ? base : { ...base, fundingRate: this.text(i, 5) };
  }

  /** A view of rows [from, to) sharing the same buffers. */
  slice(from: number, to: number): ColumnarBars {
    const sub = (a: Float64Array): Float64Array => a.subarray(from, to);
    const overrides = new Map<number, Dec>();
    for (const [k, v] of this.overrides) {
      const row = Math.floor(k / 6);
      if (row >= from && row < to) overrides.set((row - from) * 6 + (k % 6), v);
    }
    return new ColumnarBars(
      {
        ts: sub(this.ts),
        open: sub(this.open),
        high: sub(this.high),
        low: sub(this.low),
        close: sub(this.close),
        volume: sub(this.volume),
        ...(this.fundingRate ? { fundingRate: sub(this.fundingRate) } : {}),
      },
      overrides,
      this.texts && {
        open: this.texts.open.slice(from, to),
        high: this.texts.high.slice(from, to),
        low: this.texts.low.slice(from, to),
        close: this.texts.close.slice(from, to),
        volume: this.texts.volume.slice(from, to),
      },
    );
  }

  /** The exact text columns, when kept (builders of derived series reuse them). */
  get textColumns(): BarTexts | undefined {
    return this.texts;
  }

  /** The index of the first bar with `ts ≥ at` (binary search); `length` when none. */
  indexAt(at: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Exact decimal text of the price and volume columns, row by row. */
export interface BarTexts {
  readonly open: readonly Dec[];
  readonly high: readonly Dec[];
  readonly low: readonly Dec[];
  readonly close: readonly Dec[];
  readonly volume: readonly Dec[];
}

/** Shortest round-trip text of a float without exponent (the CSV never uses exponents). */
function floatText(x: number): Dec {
  const s = String(x);
  if (!s.includes('e')) return s;
  return x.toFixed(20).replace(/\.?0+$/, '');
}

/** The most common spacing among the first bars (gaps in the data do not skew it). */
function inferTimeframe(ts: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < Math.min(ts.length, 64); i++) {
    const d = ts[i]! - ts[i - 1]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 60_000;
  let bestCount = 0;
  for (const [d, n] of counts) if (n > bestCount || (n === bestCount && d < best)) [best, bestCount] = [d, n];
  return best;
}

/** Canonical decimal text of a CSV field: no trailing fractional zeros, no leading `+`. */
function canonical(field: string): string {
  let s = field.trim();
  if (s.startsWith('+')) s = s.slice(1);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s.startsWith('.')) s = `0${s}`;
  if (s.startsWith('-.')) s = `-0${s.slice(1)}`;
  return s === '-0' ? '0' : s;
}

/**
 * Parses normalised OHLCV CSV text. Throws with the line number on a malformed row, a non-increasing
 * timestamp or an impossible candle (high below open/close, low above them).
 */
export function parseOhlcvCsv(text: string, source = 'csv'): ColumnarBars {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().toLowerCase().split(',');
  const expected = ['timestamp', 'open', 'high', 'low', 'close', 'volume'];
  if (expected.some((name, i) => header[i] !== name)) {
    throw new Error(`${source}:1: header must start with ${expected.join(',')}, was "${lines[0] ?? ''}"`);
  }
  const fundingCol = header.findIndex((h) => h === 'fundingrate' || h === 'funding_rate');
  let n = 0;
  for (let i = 1; i < lines.length; i++) if (lines[i]!.trim() !== '') n++;
  const cols = Array.from({ length: 6 }, () => new Float64Array(n));
  const funding = fundingCol >= 0 ? new Float64Array(n).fill(Number.NaN) : undefined;
  const overrides = new Map<number, Dec>();
  const texts = Array.from({ length: 5 }, () => new Array<Dec>(n));
  let row = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const fields = line.split(',');
    for (let c = 0; c < 6; c++) {
      const field = fields[c];
      const value = field === undefined || field.trim() === '' ? Number.NaN : Number(field);
      if (!Number.isFinite(value))
        throw new Error(`${source}:${i + 1}: column ${expected[c]} is not a number`);
      cols[c]![row] = value;
      if (c > 0) texts[c - 1]![row] = canonical(field!);
    }
    if (funding) readFunding(fields[fundingCol], row, funding, overrides, `${source}:${i + 1}`);
    checkRow(cols, row, `${source}:${i + 1}`);
    row++;
  }
  const [ts, open, high, low, close, volume] = cols as [Float64Array, ...Float64Array[]];
  return new ColumnarBars(
    {
      ts,
      open: open!,
      high: high!,
      low: low!,
      close: close!,
      volume: volume!,
      ...(funding ? { fundingRate: funding } : {}),
    },
    overrides,
    { open: texts[0]!, high: texts[1]!, low: texts[2]!, close: texts[3]!, volume: texts[4]! },
  );
}

function readFunding(
  field: string | undefined,
  row: number,
  funding: Float64Array,
  overrides: Map<number, Dec>,
  where: string,
): void {
  if (field === undefined || field.trim() === '') return;
  const value = Number(field);
  if (!Number.isFinite(value)) throw new Error(`${where}: fundingRate is not a number`);
  funding[row] = value;
  const exact = canonical(field);
  if (exact !== floatText(value)) overrides.set(row * 6 + 5, exact);
}

function checkRow(cols: Float64Array[], row: number, where: string): void {
  const [ts, o, h, l, c] = cols.map((col) => col[row]!) as [number, number, number, number, number];
  if (row > 0 && ts <= cols[0]![row - 1]!)
    throw new Error(`${where}: timestamp ${ts} is not after the previous row`);
  if (h < Math.max(o, c) || l > Math.min(o, c))
    throw new Error(`${where}: high/low do not contain open and close`);
}
