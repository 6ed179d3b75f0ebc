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
  }) {
    const { account, market, series } = options;
    const from = account.replay?.from === undefined ? undefined : Date.parse(account.replay.from);
    const first = from === undefined ? 0 : Math.min(series.length - 1, lowerBound(series.ts, from));
    this.series = series;
    this.market = market;
    this.clock = new ManualClock(series.ts[first]!);
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
    this.driver.setPrice(series.bar(first).open);
    this.feed = new ReplayFeed(series, {
      symbol: market.symbol,
      from: series.ts[first]!,
      speed: options.speed,
      ...(options.sleep ? { sleep: options.sleep } : {}),
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
        await this.exclusive(async () => {
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

  /** Stops the replay and waits for the bar in progress to finish. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
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
