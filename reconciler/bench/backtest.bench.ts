/**
 * Backtest throughput (bars/s) of the example grid and DCA bots over one year of 1-minute bars,
 * against a floor of one plain loop over the same bars held in typed arrays, in the same run.
 * The year is the shared 1-minute BTC/USDT file (61k real bars, April–May 2021) repeated with shifted
 * timestamps until it spans 365 days (CI has ../shared beside the repository).
 */
import { fileURLToPath } from 'node:url';
import { MARKETS, runBacktest, type StrategyDefinition } from '@tradingtower/engine';
import { ColumnarBars, loadBarsFile } from '@tradingtower/engine/adapters/feeds/index.ts';
import { strategyOf } from '@tradingtower/engine/strategies/index.ts';
import { readBacktestInput } from '../src/cli/backtest-input.ts';
import { bestOf, rate, type Benchmark, type BenchResult } from './harness.ts';

const SHARED_1M = fileURLToPath(
  new URL('../../../shared/data/ohlcv/binance_BTC-USDT_1m_2021-04_2021-05.csv.gz', import.meta.url),
);
const EXAMPLES = fileURLToPath(new URL('../../bots.example/', import.meta.url));
const YEAR_BARS = 365 * 24 * 60;

/** The shared 1-minute bars repeated (timestamps shifted to stay increasing) to `bars` bars. */
export function repeatToLength(source: ColumnarBars, bars: number): ColumnarBars {
  const n = source.length;
  const span = source.ts[n - 1]! - source.ts[0]! + 60_000;
  const cols = {
    ts: new Float64Array(bars),
    open: new Float64Array(bars),
    high: new Float64Array(bars),
    low: new Float64Array(bars),
    close: new Float64Array(bars),
    volume: new Float64Array(bars),
  };
  for (let i = 0; i < bars; i++) {
    const j = i % n;
    cols.ts[i] = source.ts[j]! + Math.floor(i / n) * span;
    cols.open[i] = source.open[j]!;
    cols.high[i] = source.high[j]!;
    cols.low[i] = source.low[j]!;
    cols.close[i] = source.close[j]!;
    cols.volume[i] = source.volume[j]!;
  }
  const texts = source.textColumns;
  const repeat = (column: readonly string[]): string[] =>
    Array.from({ length: bars }, (_, i) => column[i % n]!);
  return new ColumnarBars(
    cols,
    new Map(),
    texts && {
      open: repeat(texts.open),
      high: repeat(texts.high),
      low: repeat(texts.low),
      close: repeat(texts.close),
      volume: repeat(texts.volume),
    },
  );
}

/** The floor: one pass over the typed arrays doing a comparison per price, as the bar walk does. */
function floorLoop(series: ColumnarBars): number {
  const { open, high, low, close } = series;
  let crossings = 0;
  let level = close[0]!;
  for (let i = 0; i < series.length; i++) {
    if (low[i]! <= level && high[i]! >= level) crossings++;
    if (open[i]! > close[i]!) level = close[i]!;
  }
  return crossings;
}

async function measure(file: string, series: ColumnarBars, floorMs: number): Promise<BenchResult> {
  const loaded = await readBacktestInput(`${EXAMPLES}${file}`);
  if (!loaded.ok)
    throw new Error(`${file}: ${loaded.message ?? loaded.issues.map((i) => i.message).join('; ')}`);
  const input = loaded.input;
  const strategy = strategyOf(input.strategy);
  if (!strategy) throw new Error(`strategy ${input.strategy} is not registered`);
  let trades = 0;
  const ms = await bestOf(1, async () => {
    const result = await runBacktest({
      strategy,
      params: input.params,
      market: input.market,
      series,
      ...(input.account.balances ? { balances: input.account.balances } : {}),
    });
    trades = result.metrics.trades;
  });
  return {
    ...rate(`backtest ${input.strategy} (${file}), 1y of 1m bars`, series.length, ms, floorMs, 'bars/s', 20),
    notes: `${trades} fills; floor = typed-array loop`,
  };
}

/** A strategy that does nothing: measures the engine's own cost per bar (walk, kernel, metrics). */
const idle: StrategyDefinition<unknown, unknown> = {
  kind: 'grid',
  futures: false,
  normalizeParams: (raw) => raw,
  validate: () => [],
  init: () => ({}),
  phase: () => 'IDLE',
  onEvent: (state) => ({ state, intents: [] }),
};

async function measureEngine(series: ColumnarBars, floorMs: number): Promise<BenchResult> {
  const market = MARKETS.find((m) => m.venue === 'paper' && m.symbol === 'BTC/USDT')!;
  const ms = await bestOf(3, () => runBacktest({ strategy: idle, params: {}, market, series }));
  return {
    ...rate('backtest engine only (idle strategy), 1y of 1m bars', series.length, ms, floorMs, 'bars/s', 20),
    notes: 'the kernel, paper walk and metrics without strategy work',
  };
}

export const backtestThroughput: Benchmark = {
  name: 'backtest',
  async run() {
    const series = repeatToLength(await loadBarsFile(SHARED_1M), YEAR_BARS);
    let sink = 0;
    const floorMs = await bestOf(5, () => {
      sink += floorLoop(series);
    });
    if (sink === 0) throw new Error('floor result unused');
    return [
      await measureEngine(series, floorMs),
      await measure('alpha/grid-btc.yaml', series, floorMs),
      await measure('beta/dca-btc.yaml', series, floorMs),
    ];
  },
};
