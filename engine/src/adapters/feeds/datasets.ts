/**
 * The bundled data sets (engine/data, provenance in engine/data/README.md): which file replays which
 * market and timeframe. Perpetuals (`BTC/USDT:USDT`) replay the spot candles of the same pair as their
 * mark price: the bundle has no perpetual candles, and spot and perpetual prices track each other
 * closely (the basis is a fraction of a percent outside extreme minutes).
 */
import { fileURLToPath } from 'node:url';

/** A bar timeframe the bundle can hold. */
export type Timeframe = '1m' | '5m' | '1h' | '1d';

/** One bundled file. */
export interface Dataset {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** File name inside engine/data. */
  readonly file: string;
  readonly description: string;
}

/** Every bundled data set. */
export const DATASETS: readonly Dataset[] = [
  {
    symbol: 'BTC/USDT',
    timeframe: '1m',
    file: 'BTC-USDT_1m_2021-05-08_2021-05-14.csv.gz',
    description: 'Binance spot, the week of the May 12 2021 drop',
  },
  {
    symbol: 'BTC/USDT',
    timeframe: '5m',
    file: 'BTC-USDT_5m_2021-05.csv.gz',
    description: 'Binance spot, May 2021 (May 19 crash)',
  },
  {
    symbol: 'ETH/USDT',
    timeframe: '5m',
    file: 'ETH-USDT_5m_2021-05.csv.gz',
    description: 'Binance spot, May 2021 (May 19 crash)',
  },
  {
    symbol: 'BTC/USDT',
    timeframe: '1h',
    file: 'BTC-USDT_1h_2020-10_2022-10.csv.gz',
    description: 'Binance spot, two years hourly',
  },
  {
    symbol: 'ETH/USDT',
    timeframe: '1h',
    file: 'ETH-USDT_1h_2020-10_2022-10.csv.gz',
    description: 'Binance spot, two years hourly',
  },
  { symbol: 'SPY/USD', timeframe: '1d', file: 'SPY_1d_2008-01_2021-03.csv.gz', description: 'SPY ETF daily' },
  {
    symbol: 'AAPL/USD',
    timeframe: '1d',
    file: 'AAPL_1d_2004-08_2018-01.csv.gz',
    description: 'AAPL daily, split-adjusted',
  },
];

/** The folder holding the bundled files. */
export const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

/** The spot symbol whose candles stand in for a market (`BTC/USDT:USDT` → `BTC/USDT`). */
export function candleSymbolOf(symbol: string): string {
  const colon = symbol.indexOf(':');
  return colon < 0 ? symbol : symbol.slice(0, colon);
}

/**
 * The bundled data set for a market and timeframe; without a timeframe the finest one bundled.
 * Undefined when nothing is bundled for the market.
 */
export function findDataset(symbol: string, timeframe?: Timeframe): Dataset | undefined {
  const candles = candleSymbolOf(symbol);
  const order: readonly Timeframe[] = ['1m', '5m', '1h', '1d'];
  const matches = DATASETS.filter(
    (d) => d.symbol === candles && (timeframe === undefined || d.timeframe === timeframe),
  );
  return matches.sort((a, b) => order.indexOf(a.timeframe) - order.indexOf(b.timeframe))[0];
}

/** The absolute path of a bundled data set. */
export function datasetPath(dataset: Dataset): string {
  return `${DATA_DIR}${dataset.file}`;
}
