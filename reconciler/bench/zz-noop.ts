import { runBacktest, MARKETS } from '@tradingtower/engine';
import { loadBarsFile } from '@tradingtower/engine/adapters/feeds/index.ts';
import { repeatToLength } from './backtest.bench.ts';
const noop = { kind: 'grid', futures: false, normalizeParams: (r: unknown) => r, validate: () => [], init: () => ({}), phase: () => 'X', onEvent: (s: unknown) => ({ state: s, intents: [] }) } as never;
const base = await loadBarsFile('/work/shared/data/ohlcv/binance_BTC-USDT_1m_2021-04_2021-05.csv.gz');
const series = repeatToLength(base, 525600);
const market = MARKETS.find((m) => m.venue === 'paper' && m.symbol === 'BTC/USDT')!;
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  await runBacktest({ strategy: noop, params: {}, market, series });
  const ms = performance.now() - t0;
  console.log(ms.toFixed(0), 'ms', (525600 / ms * 1000).toFixed(0), 'bars/s');
}
let s = 0; const t1 = performance.now(); for (let i = 0; i < series.length; i++) { const b = series.bar(i); s += b.close.length; } console.log('bar() only', (performance.now() - t1).toFixed(0), 'ms', s > 0);
