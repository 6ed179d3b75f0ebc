/**
 * Market data ports. Backtests read a whole `BarSeries` (columnar, floats for the hot path plus the
 * exact decimal text); paper and live trading consume a `MarketDataFeed` of bars as they arrive.
 */
import type { EpochMs } from '../core/clock.ts';
import type { Bar } from '../model/market.ts';

/**
 * Bars held as columns. Floats are exact images of the decimal text for prices of ≤ 15 significant
 * digits, so comparisons on them decide like decimal comparisons; `bar(i)` gives the exact decimals.
 */
export interface BarSeries {
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Funding rate per bar (NaN when the bar has none). Absent when the data has no funding column. */
  readonly fundingRate?: Float64Array;
  /** The bar at index `i` with exact decimal text. */
  bar(i: number): Bar;
  /** `bar(i).close` without making the bar (a skipped run of quiet bars needs only its last close). */
  closeText?(i: number): string;
  /** Milliseconds per bar (the most common spacing). */
  readonly timeframeMs: number;
}

/** A stream of closed bars for one market, in time order. */
export interface MarketDataFeed {
  readonly symbol: string;
  readonly timeframeMs: number;
  bars(signal?: AbortSignal): AsyncIterable<Bar>;
  /** The latest bar delivered (or the last bar before the replay start), if any. */
  readonly last?: { readonly ts: EpochMs; readonly close: string };
}
