/**
 * The backtester: one bot through the kernel against the paper exchange over a bar series, with a
 * simulated clock, an in-memory (or given) history store and the shared metrics module.
 */
import { ManualClock } from '../core/clock.ts';
import type { Dec } from '../core/decimal.ts';
import { runIdOf } from '../core/ids.ts';
import type { HistoryEvent } from '../model/events.ts';
import type { MarketInfo } from '../model/market.ts';
import type { Fill } from '../model/orders.ts';
import type { BarSeries } from '../ports/feed.ts';
import type { HistoryStore } from '../ports/store.ts';
import { MemoryHistoryStore } from '../adapters/store/memory.ts';
import { PaperExchange } from '../adapters/paper/exchange.ts';
import { RECENT_TERMINAL_ORDERS } from '../adapters/paper/order-registry.ts';
import { PaperMarketDriver } from '../adapters/paper/driver.ts';
import { BotKernel } from '../kernel/bot-kernel.ts';
import { settle } from '../kernel/runner.ts';
import type { StrategyDefinition } from '../kernel/strategy.ts';
import type { EquityCurve, Metrics } from '../metrics/metrics.ts';
import type { RiskGate } from '../risk/gate.ts';
import { startingBudget } from './budget.ts';

/** What to backtest. */
export interface BacktestOptions {
  readonly strategy: StrategyDefinition<unknown, unknown>;
  readonly params: unknown;
  readonly market: MarketInfo;
  readonly series: BarSeries;
  /** Inclusive time window (epoch ms of bar open); default: all bars. */
  readonly from?: number;
  readonly to?: number;
  readonly botKey?: string;
  readonly revision?: string;
  readonly account?: string;
  /** Account balances; the bot's budget comes from its params, else the quote balance here. */
  readonly balances?: Readonly<Record<string, Dec>>;
  readonly makerFeeRate?: Dec;
  readonly takerFeeRate?: Dec;
  readonly slippageBps?: number;
  readonly volumeCapPct?: number;
  readonly spotFeeAsset?: 'received' | 'quote';
  readonly store?: HistoryStore;
  readonly riskGate?: RiskGate;
  /** Called every `progressEvery` bars with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
  /**
   * Walk every bar's full path even when it is quiet (nothing fills, wakes or is due), instead of
   * skipping such runs of bars in one pass; the outcome is the same, only slower (tests prove it).
   */
  readonly walkEveryBar?: boolean;
}

/** One fill of the run, for the trades table. */
export interface Trade extends Fill {
  readonly symbol: string;
}

/** The outcome of a backtest. */
export interface BacktestResult {
  readonly botKey: string;
  readonly runId: string;
  readonly metrics: Metrics;
  readonly trades: readonly Trade[];
  readonly equity: EquityCurve;
  readonly bars: number;
  /** Bars that went through the full price path (the rest were skipped as quiet). */
  readonly barsWalked: number;
  readonly phase: string;
  readonly store: HistoryStore;
}

const DEFAULT_QUOTE: Dec = '10000';

/** Runs a backtest to the end of the window and returns metrics, trades and the equity curve. */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const { series, market } = options;
  const first = options.from === undefined ? 0 : lowerBound(series.ts, options.from);
  const end = options.to === undefined ? series.length : lowerBound(series.ts, options.to + 1);
  if (first >= end)
    throw new Error(`backtest: no bars in the window ${String(options.from)}..${String(options.to)}`);
  const clock = new ManualClock(series.ts[first]!);
  const store = options.store ?? new MemoryHistoryStore({ adoptAppended: true });
  const quoteAsset = market.settle ?? market.quote;
  const balances = options.balances ?? { [quoteAsset]: DEFAULT_QUOTE };
  const exchange = new PaperExchange({
    markets: [market],
    clock,
    balances,
    ...pick(options, ['makerFeeRate', 'takerFeeRate', 'slippageBps', 'volumeCapPct', 'spotFeeAsset']),
    // No run resumes against a backtest's venue: it need not remember every ended order.
    endedOrdersKept: RECENT_TERMINAL_ORDERS,
  });
  const driver = new PaperMarketDriver({
    exchange,
    clock,
    store,
    symbol: market.symbol,
    timeframeMs: series.timeframeMs,
  });
  const botKey = options.botKey ?? 'backtest/bot';
  const kernel = new BotKernel({
    botKey,
    runNumber: 1,
    revision: options.revision ?? 'backtest',
    account: options.account ?? 'paper',
    mode: 'backtest',
    strategy: options.strategy,
    params: options.params,
    market,
    clock,
    budget: startingBudget(options.strategy, options.params, balances[quoteAsset] ?? DEFAULT_QUOTE),
    takerFeeRate: options.takerFeeRate ?? market.taker,
    simulateLiquidation: true,
    ...(options.riskGate === undefined ? {} : { riskGate: options.riskGate }),
  });
  const firstBar = series.bar(first);
  driver.setPrice(firstBar.open);
  kernel.start(firstBar.open, end - first);
  driver.add(kernel);
  await settle(kernel, exchange, store);
  const barsWalked = await walkAll(driver, series, first, end, options);
  const metrics = kernel.finish('end of data');
  await settle(kernel, exchange, store);
  let trades: readonly Trade[] | undefined;
  return {
    botKey,
    runId: runIdOf(botKey, 1),
    metrics,
    // Rows made when read, from the venue's fills: a second object per fill kept alive for the whole
    // run made the garbage collector copy it over and over.
    get trades(): readonly Trade[] {
      trades ??= exchange.fillsOf(market.symbol).map((fill) => tradeOf(fill, market.symbol));
      return trades;
    },
    // Written out sample by sample only when read (a report's charts): most bars were skipped as quiet.
    get equity(): EquityCurve {
      return kernel.metrics.curve();
    },
    bars: end - first,
    barsWalked,
    phase: kernel.phase(),
    store,
  };
}

/** Walks the window's bars, skipping runs of quiet ones; returns how many bars were walked in full. */
async function walkAll(
  driver: PaperMarketDriver,
  series: BarSeries,
  first: number,
  end: number,
  options: BacktestOptions,
): Promise<number> {
  const { open, high, low, close, volume } = series;
  const every = options.progressEvery ?? 10_000;
  const skip = options.walkEveryBar !== true;
  let walked = 0;
  let reported = first;
  for (let i = first; i < end; i++) {
    if (skip) i = driver.skipQuiet(series, i, end);
    if (i === end) break;
    walked++;
    const pending = driver.walk(series.bar(i), open[i]!, high[i]!, low[i]!, close[i]!, volume[i]);
    if (pending) await pending;
    if (options.onProgress && i - reported >= every) {
      reported = i;
      options.onProgress(i - first, end - first);
    }
  }
  options.onProgress?.(end - first, end - first);
  return walked;
}

/** Reads every event of a run from a store, in sequence order. */
export async function readAllEvents(
  store: HistoryStore,
  botKey: string,
  runId: string,
): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.readRun(botKey, runId, {
      limit: 5000,
      ...(continuation === undefined ? {} : { continuation }),
    });
    out.push(...page.items);
    continuation = page.continuation;
  } while (continuation !== undefined);
  return out;
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

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** The trade row of a fill: its fields written out in the fill's order (cheaper than a spread per fill). */
function tradeOf(f: Fill, symbol: string): Trade {
  const { tradeId, clientOrderId, ts, side, price, qty, fee, feeAsset, liquidity } = f;
  return { tradeId, clientOrderId, ts, side, price, qty, fee, feeAsset, liquidity, symbol };
}
