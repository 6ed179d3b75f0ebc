import { afterEach, describe, expect, it } from '@jest/globals';
import type { BotStatus, EngineControl } from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { botShortId, encodeClientOrderId } from '@tradingtower/engine/core/ids.ts';
import { createLiveEngine, type LiveEngine } from '@tradingtower/engine/live/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { projectPlanning } from '../../src/reconcile/default-planning.ts';
import { EventBus } from '../../src/reconcile/events.ts';
import { Reconciler } from '../../src/reconcile/reconciler.ts';
import { aPaperAccount } from './helpers/manifests.ts';

const KEY = 'team/dca-btc';

/** A replay that never advances past its first bar (until closed): these tests look at control and status. */
const holdReplay = (_ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));

function aDcaBot(deviationPct: string, risk = ''): string {
  return `apiVersion: tradingtower.dev/v1
kind: Bot
metadata:
  name: dca-btc
spec:
  strategy: dca
  account: paper-main
  market: BTC/USDT
  update:
    closeAction: cancelOrders
  params:
    baseOrder:
      size: 100
    safetyOrders:
      size: 100
      maxCount: 3
      deviationPct: ${deviationPct}
    takeProfit:
      pct: 1.5
    budget:
      maxQuote: 1000
${risk}`;
}

function snapshot(revision: string, bot: string) {
  return {
    revision,
    files: new Map([
      ['team/account.yaml', aPaperAccount()],
      ['team/dca.yaml', bot],
    ]),
  };
}

describe('status written by the reconcile loop over the real paper engine', () => {
  let engine: LiveEngine;
  let store: MemoryHistoryStore;
  let reconciler: Reconciler;
  const riskArgs: unknown[] = [];

  async function start(): Promise<void> {
    store = new MemoryHistoryStore();
    engine = await createLiveEngine({ store, sleep: holdReplay });
    riskArgs.length = 0;
    // The real engine, with the risk argument of each update call noted on the way through.
    const control: EngineControl = {
      observe: () => engine.observe(),
      create: (spec) => engine.create(spec),
      update: (key, params, changes, revision, risk) => {
        riskArgs.push(risk);
        return engine.update(key, params, changes, revision, risk);
      },
      recreate: (spec) => engine.recreate(spec),
      pause: (key, revision) => engine.pause(key, revision),
      resume: (key, revision) => engine.resume(key, revision),
      stop: (key, closeAction, reason, revision) => engine.stop(key, closeAction, reason, revision),
    };
    reconciler = new Reconciler({
      engine: control,
      store,
      planning: projectPlanning(),
      bus: new EventBus(),
      logger: silentLogger,
      now: () => Date.now(),
      random: () => 0.5,
      resyncMs: 0,
      backoff: { baseMs: 5, maxMs: 50, jitter: 0.2 },
    });
  }

  async function pass(revision: string, bot: string): Promise<BotStatus> {
    reconciler.accept(snapshot(revision, bot));
    await reconciler.idle();
    const status = await store.getStatus(KEY);
    if (!status) throw new Error(`no status written for ${KEY}`);
    return status.value;
  }

  const reasonOf = (status: BotStatus) => status.conditions.find((c) => c.type === 'Ready')?.reason;

  afterEach(async () => {
    await reconciler.shutdown();
    await engine.close();
  });

  it('writes empty drift and no pending fields for a freshly created bot', async () => {
    await start();

    const status = await pass('r1', aDcaBot('1'));

    expect(status).toMatchObject({ lastAppliedRevision: 'r1', pendingUntilNextCycle: [], drift: [] });
  });

  it('writes a next-cycle edit as pending until the next cycle', async () => {
    await start();
    await pass('r1', aDcaBot('1'));

    const status = await pass('r2', aDcaBot('2'));

    expect(reasonOf(status)).toBe('Applied');
    expect(status.pendingUntilNextCycle).toEqual(['safetyOrders.deviationPct']);
  });

  it('writes an unknown order with our prefix and a moved venue balance into the bot’s drift', async () => {
    await start();
    await pass('r1', aDcaBot('1'));
    const venue = engine.venueOf(KEY)!;
    const stray = encodeClientOrderId({
      ns: 'tt',
      bot: botShortId(KEY),
      seq: 4242,
      role: 'manual',
      idx: 0,
      att: 0,
    });
    await venue.createOrder({
      clientOrderId: stray,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '20000',
      amount: '0.001',
    });
    venue.balances.restoreShare({ USDT: '-25' });

    const status = await pass('r1', aDcaBot('1'));

    expect(status.drift?.map((d) => d.kind).sort()).toEqual(['BalanceMismatch', 'UnknownOrder']);
    expect(status.drift?.find((d) => d.kind === 'UnknownOrder')?.message).toContain(stray);
  });

  it('passes an edited spec.risk to the engine once; the next pass of the same revision is a noop', async () => {
    await start();
    await pass('r1', aDcaBot('1'));
    const risk = '  risk:\n    maxOrderNotional: 50\n';

    const applied = await pass('r2', aDcaBot('1', risk));
    const again = await pass('r2', aDcaBot('1', risk));

    expect(reasonOf(applied)).toBe('Applied');
    expect(riskArgs).toEqual([{ maxOrderNotional: '50' }]);
    expect(reasonOf(again)).toBe('UpToDate');
  });
});
