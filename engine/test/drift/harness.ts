/**
 * A paper engine whose replay walks a bar only when the test lets it: drift and next-cycle tests look
 * at the engine between bars, with no wall clock involved.
 */
import { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import { createLiveEngine, type LiveEngine } from '../../src/live/engine.ts';
import type { BotRuntimeSpec } from '../../src/ports/control.ts';

/** Hands out replay steps: each `sleep` of the replay waits for one granted step. */
export class SteppedReplay {
  bars = 0;
  private grants = 0;
  private readonly sleepers: (() => void)[] = [];
  private readonly waiters: { bars: number; resolve: () => void }[] = [];

  /** The replay's wait between bars. */
  readonly sleep = (_ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (this.grants > 0) {
        this.grants--;
        resolve();
        return;
      }
      this.sleepers.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });

  /** Called by the engine after every walked bar. */
  readonly onBar = (_symbol: string, bars: number): void => {
    this.bars = bars;
    for (const w of this.waiters.filter((x) => bars >= x.bars)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  /** Resolves once `bars` bars have been walked in total. */
  walked(bars: number): Promise<void> {
    if (this.bars >= bars) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ bars, resolve }));
  }

  /** Lets the replay walk one more bar and resolves once it has. */
  step(): Promise<void> {
    const target = this.bars + 1;
    const sleeper = this.sleepers.shift();
    if (sleeper) sleeper();
    else this.grants++;
    return this.walked(target);
  }
}

/** A paper engine on a memory store with a stepped replay. */
export async function aSteppedEngine(): Promise<{
  engine: LiveEngine;
  replay: SteppedReplay;
  store: MemoryHistoryStore;
}> {
  const replay = new SteppedReplay();
  const store = new MemoryHistoryStore();
  const engine = await createLiveEngine({ store, sleep: replay.sleep, onBar: replay.onBar });
  return { engine, replay, store };
}

const account: BotRuntimeSpec['account'] = {
  name: 'paper-1m',
  exchange: 'paper',
  mode: 'paper',
  balances: { USDT: '10000' },
  makerFeeRate: '0.001',
  takerFeeRate: '0.001',
  replay: { timeframe: '1m', speed: 60, from: '2021-05-12T18:00:00Z' },
};

/** A grid bot spec on the shared 1m BTC/USDT paper account. */
export function aGridSpec(name = 'grid-btc', revision = 'r1'): BotRuntimeSpec {
  return {
    botKey: `alpha/${name}`,
    namespace: 'alpha',
    name,
    strategy: 'grid',
    account,
    market: 'BTC/USDT',
    params: { lowPrice: '46000', highPrice: '60000', gridCount: 14, investment: '1400' },
    state: 'running',
    closeAction: 'cancelOrders',
    revision,
  };
}

/** A DCA bot spec on the same account (small take profit: deals close within a few hundred bars). */
export function aDcaSpec(
  name = 'dca-btc',
  revision = 'r1',
  params: Record<string, unknown> = {},
): BotRuntimeSpec {
  return {
    ...aGridSpec(name, revision),
    strategy: 'dca',
    params: {
      baseOrder: { size: '100' },
      safetyOrders: { size: '100', maxCount: 3, deviationPct: '1' },
      takeProfit: { pct: '0.3' },
      budget: { maxQuote: '1000' },
      ...params,
    },
  };
}
