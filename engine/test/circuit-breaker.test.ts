import { describe, expect, it } from '@jest/globals';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MemoryHistoryStore } from '../src/adapters/store/memory.ts';
import { readAllEvents } from '../src/backtest/backtest.ts';
import { MAX_REJECTIONS_PER_SETTLE } from '../src/kernel/runner.ts';
import { createLiveEngine } from '../src/live/engine.ts';
import type { AccountRuntimeSpec, BotRuntimeSpec } from '../src/ports/control.ts';

const replay = { timeframe: '1m', speed: 60, from: '2021-05-12T18:00:00Z' } as const;

function aPaperAccount(name: string, usdt: string): AccountRuntimeSpec {
  return { name, exchange: 'paper', mode: 'paper', balances: { USDT: usdt }, replay };
}

function aBot(
  name: string,
  strategy: 'dca' | 'grid',
  account: AccountRuntimeSpec,
  params: unknown,
): BotRuntimeSpec {
  return {
    botKey: `team/${name}`,
    namespace: 'team',
    name,
    strategy,
    account,
    market: 'BTC/USDT',
    params,
    state: 'running',
    closeAction: 'cancelOrders',
    revision: 'rev-1',
  };
}

/** A DCA bot whose 100 USDT base order its 50 USDT account can never pay: the venue refuses every try. */
const starved = aBot('dca-starved', 'dca', aPaperAccount('paper-poor', '50'), {
  baseOrder: { size: '100' },
  safetyOrders: { size: '100', maxCount: 3 },
  takeProfit: { pct: '1.5' },
  budget: { maxQuote: '1000' },
});

const grid = aBot('grid-btc', 'grid', aPaperAccount('paper-rich', '10000'), {
  lowPrice: '46000',
  highPrice: '60000',
  gridCount: 28,
  gridMode: 'arithmetic',
  investment: '2800',
  orderSizeMode: 'quote',
});

describe('the order circuit breaker', () => {
  it('halts a bot whose orders the venue keeps refusing, while the other bots keep trading', async () => {
    const store = new MemoryHistoryStore();
    const waiters: { bars: number; resolve: () => void }[] = [];
    const onBar = (_symbol: string, bars: number): void => {
      for (const w of waiters.filter((x) => bars >= x.bars)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    const engine = await createLiveEngine({ store, sleep: () => nextTurn(), onBar });

    await engine.create(starved);
    await engine.create(grid);
    await new Promise<void>((resolve) => waiters.push({ bars: 200, resolve }));
    const observed = await engine.observe();
    await engine.close();

    const starvedEvents = await readAllEvents(store, starved.botKey, `${starved.botKey}#1`);
    const halted = starvedEvents.filter((e) => e.type === 'StateTransition' && e.data.to === 'HALTED');
    const refused = starvedEvents.filter(
      (e) => e.type === 'OrderUpdated' && e.data.order.status === 'Rejected',
    );
    expect(halted).toHaveLength(1);
    expect(halted[0]!.data).toMatchObject({ reason: expect.stringContaining('insufficient-balance') });
    // Halted at the limit; the one order the strategy queued on the last refusal still went out.
    expect(refused.length).toBeGreaterThanOrEqual(MAX_REJECTIONS_PER_SETTLE);
    expect(refused.length).toBeLessThanOrEqual(MAX_REJECTIONS_PER_SETTLE + 1);
    expect(observed.find((o) => o.botKey === starved.botKey)?.phase).toBe('HALTED');
    const gridEvents = await readAllEvents(store, grid.botKey, `${grid.botKey}#1`);
    expect(gridEvents.filter((e) => e.type === 'OrderFilled').length).toBeGreaterThan(0);
    expect(observed.find((o) => o.botKey === grid.botKey)?.phase).not.toBe('HALTED');
  });
});
