/**
 * One replayed market of one paper account: a paper exchange, the bar-path driver and a paced replay of
 * the bundled candles (`spec.paper.replay`: timeframe, speed, from). The session's clock is the replay
 * time, so bots see the market's own timestamps. Bots join and leave while the replay runs.
 */
import { ManualClock } from '../core/clock.ts';
import type { Dec } from '../core/decimal.ts';
import type { MarketInfo } from '../model/market.ts';
import type { AccountRuntimeSpec } from '../ports/control.ts';
import type { HistoryStore } from '../ports/store.ts';
import { PaperExchange } from '../adapters/paper/exchange.ts';
import { PaperMarketDriver } from '../adapters/paper/driver.ts';
import { datasetPath, findDataset } from '../adapters/feeds/datasets.ts';
import { loadBarsFile } from '../adapters/feeds/files.ts';
import { ReplayFeed } from '../adapters/feeds/replay.ts';
import type { BarSeries } from '../ports/feed.ts';

/** How a session waits between bars (injected so tests replay without a wall clock). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A running replay of one market for one account. */
export class MarketSession {
  readonly exchange: PaperExchange;
  readonly driver: PaperMarketDriver;
  readonly clock: ManualClock;
  readonly market: MarketInfo;
  /** Bars walked so far. */
  bars = 0;
  /** Market time of the bar being walked or walked last (a checkpoint's replay cursor). */
  cursor: number | undefined;
  /** Bars up to this time are skipped unwalked (a resumed bot that is ahead of the replay). */
  private skipUntil = Number.NEGATIVE_INFINITY;
  private readonly series: BarSeries;
  private readonly feed: ReplayFeed;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly onBar: ((session: MarketSession) => Promise<void> | void) | undefined;
  private readonly log: (line: string) => void;

  private constructor(options: {
    account: AccountRuntimeSpec;
    market: MarketInfo;
    series: BarSeries;
    store: HistoryStore;
    speed: number;
    sleep?: Sleep;
    onBar?: (session: MarketSession) => Promise<void> | void;
    log: (line: string) => void;
    resumeAfter?: number;
  }) {
    const { account, market, series } = options;
    const from = account.replay?.from === undefined ? undefined : Date.parse(account.replay.from);
    const resumed = options.resumeAfter;
    // A resumed replay continues with the bar after its cursor, at the cursor bar's close.
    const start = resumed === undefined ? from : resumed + 1;
    const first = start === undefined ? 0 : Math.min(series.length - 1, lowerBound(series.ts, start));
    const at = resumed === undefined ? first : Math.max(0, lowerBound(series.ts, start!) - 1);
    if (resumed !== undefined) this.cursor = resumed;
    this.series = series;
    this.market = market;
    this.clock = new ManualClock(resumed === undefined ? series.ts[first]! : resumed + series.timeframeMs);
    this.exchange = new PaperExchange({
      markets: [market],
      clock: this.clock,
      balances: account.balances ?? {},
      ...(account.makerFeeRate === undefined ? {} : { makerFeeRate: account.makerFeeRate }),
      ...(account.takerFeeRate === undefined ? {} : { takerFeeRate: account.takerFeeRate }),
      ...(account.slippageBps === undefined ? {} : { slippageBps: account.slippageBps }),
    });
    this.driver = new PaperMarketDriver({
      exchange: this.exchange,
      clock: this.clock,
      store: options.store,
      symbol: market.symbol,
      timeframeMs: series.timeframeMs,
    });
    this.driver.setPrice(resumed === undefined ? series.bar(first).open : series.bar(at).close);
    const sleep = options.sleep;
    this.feed = new ReplayFeed(series, {
      symbol: market.symbol,
      from: start === undefined ? series.ts[first]! : start,
      speed: options.speed,
      // Skipped bars are not waited for.
      sleep: (ms, signal) =>
        (this.feed.last?.ts ?? Number.NEGATIVE_INFINITY) + series.timeframeMs <= this.skipUntil
          ? Promise.resolve()
          : (sleep ?? realSleep)(ms, signal),
    });
    this.onBar = options.onBar;
    this.log = options.log;
  }

  /** Opens a session on the bundled data set for the account's replay timeframe. */
  static async open(options: {
    account: AccountRuntimeSpec;
    market: MarketInfo;
    store: HistoryStore;
    defaultSpeed: number;
    sleep?: Sleep;
    onBar?: (session: MarketSession) => Promise<void> | void;
    log: (line: string) => void;
    /** Continue a replay after this bar time (a resumed run's cursor). */
    resumeAfter?: number;
  }): Promise<MarketSession> {
    const { account, market } = options;
    const dataset = findDataset(market.symbol, account.replay?.timeframe) ?? findDataset(market.symbol);
    if (!dataset) throw new Error(`account ${account.name}: no bundled market data for ${market.symbol}`);
    const series = await loadBarsFile(datasetPath(dataset));
    return new MarketSession({ ...options, series, speed: account.replay?.speed ?? options.defaultSpeed });
  }

  /** The current path price. */
  get price(): Dec {
    return this.exchange.price(this.market.symbol) ?? this.series.bar(0).open;
  }

  /** Starts the replay loop (idempotent). */
  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Runs `task` when no bar is being walked and no other task runs: control calls (create, update,
   * stop) never interleave with a bar's walk on the same market.
   */
  exclusive<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.chain.then(task);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async run(): Promise<void> {
    try {
      for await (const bar of this.feed.bars(this.abort.signal)) {
        if (bar.ts <= this.skipUntil) continue;
        await this.exclusive(async () => {
          this.cursor = bar.ts;
          await this.driver.walk(bar, Number(bar.open), Number(bar.high), Number(bar.low), Number(bar.close));
          this.bars++;
          await this.onBar?.(this);
        });
      }
      if (!this.abort.signal.aborted) this.log(`replay of ${this.market.symbol} reached the end of its data`);
    } catch (error) {
      this.log(`replay of ${this.market.symbol} failed: ${(error as Error).message}`);
    }
  }

  /** Skips, unwalked, every bar up to `ts` (a resumed bot joined with a later cursor than the replay's). */
  skipThrough(ts: number): void {
    if (this.cursor === undefined || ts > this.cursor) this.skipUntil = Math.max(this.skipUntil, ts);
  }

  /** Stops the replay and waits for the bar in progress to finish. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function lowerBound(ts: Float64Array, at: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
