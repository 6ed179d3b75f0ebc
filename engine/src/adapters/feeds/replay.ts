/**
 * Replays a bar series as a market data feed: as fast as possible for backtests, or paced against
 * real time with a speed-up factor for paper trading (speed 60 = one minute of market per second).
 */
import type { Bar } from '../../model/market.ts';
import type { BarSeries, MarketDataFeed } from '../../ports/feed.ts';

/** How to replay. */
export interface ReplayOptions {
  readonly symbol: string;
  /** First bar time to deliver (epoch ms); default: the first bar. */
  readonly from?: number;
  /** Last bar time to deliver (inclusive); default: the last bar. */
  readonly to?: number;
  /** Speed-up against real time; `Infinity` (default) replays without waiting. */
  readonly speed?: number;
  /** Waits `ms`; injected so tests need no wall clock. Default: a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A paced or unpaced replay of `series`. */
export class ReplayFeed implements MarketDataFeed {
  readonly symbol: string;
  readonly timeframeMs: number;
  last?: { readonly ts: number; readonly close: string };
  private readonly series: BarSeries;
  private readonly options: ReplayOptions;

  constructor(series: BarSeries, options: ReplayOptions) {
    this.series = series;
    this.options = options;
    this.symbol = options.symbol;
    this.timeframeMs = series.timeframeMs;
  }

  async *bars(signal?: AbortSignal): AsyncIterable<Bar> {
    const { series } = this;
    const start = this.startIndex();
    const to = this.options.to ?? Number.POSITIVE_INFINITY;
    const speed = this.options.speed ?? Number.POSITIVE_INFINITY;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let i = start; i < series.length && series.ts[i]! <= to; i++) {
      if (signal?.aborted) return;
      if (Number.isFinite(speed) && i > start) {
        await sleep((series.ts[i]! - series.ts[i - 1]!) / speed, signal);
        if (signal?.aborted) return;
      }
      const bar = series.bar(i);
      this.last = { ts: bar.ts, close: bar.close };
      yield bar;
    }
  }

  private startIndex(): number {
    const from = this.options.from;
    if (from === undefined) return 0;
    let i = 0;
    while (i < this.series.length && this.series.ts[i]! < from) i++;
    if (i > 0) this.last = { ts: this.series.ts[i - 1]!, close: this.series.bar(i - 1).close };
    return i;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
