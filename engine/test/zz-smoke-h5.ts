// TEMPORARY smoke script (not a test): backtests the DCA-family strategies on real data. Deleted after use.
import { datasetPath, findDataset } from '../src/adapters/feeds/datasets.ts';
import { loadBarsFile } from '../src/adapters/feeds/files.ts';
import { readAllEvents, runBacktest } from '../src/backtest/backtest.ts';
import { strategyOf } from '../src/strategies/index.ts';
import { MARKETS } from '../src/markets/venues.ts';

const spot = MARKETS.find((m) => m.venue === 'paper' && m.symbol === 'BTC/USDT')!;
const perp = MARKETS.find((m) => m.venue === 'paper' && m.symbol === 'BTC/USDT:USDT')!;
const cases = [
  ['dca', spot, { baseOrder: { size: 100 }, safetyOrders: { maxCount: 5, maxActive: 2, size: 100, deviationPct: 1, stepScale: 1.3, volumeScale: 1.5 }, takeProfit: { pct: 1, trailing: { enabled: true, deviationPct: 0.3 } }, stopLoss: { pct: 15, onTrigger: 'closeAndContinue' }, deal: { cooldownSec: 600 }, budget: { maxQuote: 2000 } }],
  ['dca-futures', perp, { leverage: 3, baseOrder: { size: 100 }, safetyOrders: { maxCount: 4, maxActive: 1, size: 100, deviationPct: 1.5, stepScale: 1.3, volumeScale: 1.5 }, takeProfit: { pct: 1 }, budget: { maxQuote: 3000 } }],
  ['twap', spot, { side: 'buy', totalQuantity: '0.5', durationSec: 86400, slices: { count: 48 }, priceProtection: { limitPrice: '58000' } }],
  ['combo', perp, { direction: 'LONG', investment: '3000', leverage: 2, baseOrder: { qty: '0.02' }, safetyOrders: { count: 3, stepPct: '2', qty: '0.02', volumeMultiplier: '1.5' }, exit: { levels: 4, minProfitPct: '0.8', stepPct: '0.6' }, stopLoss: { pct: '20' }, lowPrice: '30000', highPrice: '80000' }],
] as const;
const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT', '1m')!));
let calls = 0;
const types: Record<string, number> = {};
for (const [kind, market, params] of cases) {
  if (process.argv[2] && kind !== process.argv[2]) continue;
  const def = strategyOf(kind)!;
  const counted = { ...def, onEvent: (s: unknown, e: Parameters<typeof def.onEvent>[1], c: Parameters<typeof def.onEvent>[2]) => { calls++; types[e.type] = (types[e.type] ?? 0) + 1; const r = def.onEvent(s, e, c); if (e.type === 'price' && calls % 20000 === 0) console.log(e, r.wake, (r.state as { phase: string }).phase, JSON.stringify((r.state as { deal: unknown }).deal).slice(0, 400)); return r; } };
  const t0 = performance.now();
  const r = await runBacktest({ strategy: counted, params, market, series, balances: { USDT: '10000' } });
  const events = await readAllEvents(r.store, r.botKey, r.runId);
  const faults = events.filter((e) => JSON.stringify(e).includes('FAULTED') || JSON.stringify(e).includes('threw'));
  const transitions = events.filter((e) => e.type === 'StateTransition').length;
  const denied = events.filter((e) => e.type === 'RiskDenied');
  console.log(kind, { calls, types, ms: Math.round(performance.now() - t0), bars: r.bars, trades: r.trades.length, phase: r.phase, roundTrips: r.metrics.roundTrips, realized: r.metrics.realizedPnl, totalPnl: r.metrics.totalPnl, transitions, faults: faults.slice(0, 2).map((e) => JSON.stringify(e).slice(0, 300)), denied: denied.length, firstDenied: denied.slice(0, 2).map((e) => JSON.stringify(e).slice(300, 700)) });
}
