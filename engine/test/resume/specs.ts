/** Two example-like bots on one paper account and market (a grid and a DCA), and engine helpers. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { HistoryEvent } from '../../src/model/events.ts';
import type { BotRuntimeSpec } from '../../src/ports/control.ts';
import type { HistoryStore } from '../../src/ports/store.ts';
import { createLiveEngine, type LiveEngine } from '../../src/live/engine.ts';
import { readAllEvents } from '../../src/backtest/backtest.ts';

const account: BotRuntimeSpec['account'] = {
  name: 'paper-1m',
  exchange: 'paper',
  mode: 'paper',
  balances: { USDT: '10000' },
  makerFeeRate: '0.001',
  takerFeeRate: '0.001',
  replay: { timeframe: '1m', speed: 60, from: '2021-05-12T18:00:00Z' },
};

export const GRID: BotRuntimeSpec = {
  botKey: 'alpha/grid-btc',
  namespace: 'alpha',
  name: 'grid-btc',
  strategy: 'grid',
  account,
  market: 'BTC/USDT',
  params: {
    lowPrice: '46000',
    highPrice: '60000',
    gridCount: 28,
    gridMode: 'arithmetic',
    investment: '2800',
    orderSizeMode: 'quote',
  },
  state: 'running',
  closeAction: 'cancelOrders',
  revision: 'rev-1',
};

export const DCA: BotRuntimeSpec = {
  botKey: 'beta/dca-btc',
  namespace: 'beta',
  name: 'dca-btc',
  strategy: 'dca',
  account,
  market: 'BTC/USDT',
  params: {
    direction: 'long',
    baseOrder: { size: 50, sizeUnit: 'quote', orderType: 'market' },
    safetyOrders: {
      ...{ maxCount: 5, maxActive: 2, size: 50, sizeUnit: 'quote', deviationPct: 0.4 },
      ...{ stepScale: 1.3, volumeScale: 1.5, deviationBase: 'fromBase', orderType: 'limit' },
    },
    takeProfit: { pct: 0.4, base: 'average', orderType: 'limit', trailing: { enabled: false } },
    stopLoss: { pct: 0 },
    deal: { cooldownSec: 60 },
    start: { mode: 'immediate' },
    reinvest: { pct: 0 },
    budget: { maxQuote: 750, reserveFunds: 'all' },
  },
  risk: { maxOrderNotional: 500, maxBotNotional: 1000, maxOpenOrders: 5, maxConsecutiveErrors: 5 },
  state: 'running',
  closeAction: 'cancelOrders',
  revision: 'rev-1',
};

/** An engine on `store` that replays one bar per event-loop turn, with a way to await bar counts. */
export async function startEngine(
  store: HistoryStore,
  onBar?: (bars: number) => void,
): Promise<{ engine: LiveEngine; barsDone: (bars: number) => Promise<void> }> {
  const waiters: { bars: number; resolve: () => void }[] = [];
  const engine = await createLiveEngine({
    store,
    sleep: async () => {
      await nextTurn();
    },
    metricsEveryBars: 50,
    onBar: (_symbol, bars) => {
      onBar?.(bars);
      for (const w of waiters.filter((x) => bars >= x.bars)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  const barsDone = (bars: number) => new Promise<void>((resolve) => waiters.push({ bars, resolve }));
  return { engine, barsDone };
}

/** Every event of each bot's runs, by bot key. */
export async function historyOf(
  store: HistoryStore,
  botKey: string,
): Promise<{ runIds: string[]; events: HistoryEvent[] }> {
  const runs = await store.listRuns(botKey);
  const events: HistoryEvent[] = [];
  for (const run of runs) events.push(...(await readAllEvents(store, botKey, run.runId)));
  return { runIds: runs.map((r) => r.runId), events };
}
