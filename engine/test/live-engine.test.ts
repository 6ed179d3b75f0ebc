import { describe, expect, it } from '@jest/globals';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MemoryHistoryStore } from '../src/adapters/store/memory.ts';
import { createLiveEngine } from '../src/live/engine.ts';
import type { BotRuntimeSpec } from '../src/ports/control.ts';
import { readAllEvents } from '../src/backtest/backtest.ts';

const gridSpec: BotRuntimeSpec = {
  botKey: 'alpha/grid-btc',
  namespace: 'alpha',
  name: 'grid-btc',
  strategy: 'grid',
  account: {
    name: 'paper-1m',
    exchange: 'paper',
    mode: 'paper',
    balances: { USDT: '10000' },
    makerFeeRate: '0.001',
    takerFeeRate: '0.001',
    replay: { timeframe: '1m', speed: 60, from: '2021-05-12T18:00:00Z' },
  },
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

function setup() {
  const store = new MemoryHistoryStore();
  const waiters: { bars: number; resolve: () => void }[] = [];
  const onBar = (_symbol: string, bars: number) => {
    for (const w of waiters.filter((x) => bars >= x.bars)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const barsDone = (bars: number) => new Promise<void>((resolve) => waiters.push({ bars, resolve }));
  // Each replayed bar waits one event-loop turn instead of wall-clock time.
  const sleep = async () => {
    await nextTurn();
  };
  return { store, barsDone, engine: createLiveEngine({ store, sleep, onBar, metricsEveryBars: 100 }) };
}

describe('live (paper) engine', () => {
  it('runs a created bot on the replayed market, reports it, and stops it leaving no orders and a final record', async () => {
    const { store, barsDone, engine: pending } = setup();
    const engine = await pending;

    await engine.create(gridSpec);
    await engine.create(gridSpec);
    await barsDone(300);
    const [observed] = await engine.observe();
    await engine.stop('alpha/grid-btc', 'cancelOrders', 'spec.state is stopped', 'rev-1');
    await engine.close();

    expect(observed).toEqual(
      expect.objectContaining({
        botKey: 'alpha/grid-btc',
        runId: 'alpha/grid-btc#1',
        state: 'running',
        revision: 'rev-1',
      }),
    );
    expect((await store.listRuns('alpha/grid-btc')).map((r) => r.runId)).toEqual(['alpha/grid-btc#1']);
    const events = await readAllEvents(store, 'alpha/grid-btc', 'alpha/grid-btc#1');
    expect(events.filter((e) => e.type === 'OrderFilled').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'MetricsSnapshot').length).toBeGreaterThanOrEqual(4);
    expect(events.at(-1)?.type).toBe('BotRunStopped');
    expect(events.at(-2)?.type).toBe('MetricsSnapshot');
    // Every submitted order ended: filled (a market fill is recorded before its acknowledgement) or cancelled.
    const ended = new Set<string>();
    for (const e of events) {
      if (e.type === 'OrderUpdated' && ['Cancelled', 'Rejected', 'Expired'].includes(e.data.order.status))
        ended.add(e.data.order.clientOrderId);
      if (e.type === 'OrderFilled') ended.add(e.data.fill.clientOrderId);
    }
    const submitted = events.flatMap((e) => (e.type === 'OrderSubmitted' ? [e.data.clientOrderId] : []));
    expect(submitted.filter((id) => !ended.has(id))).toEqual([]);
    expect((await engine.observe())[0]?.state).toBe('stopped');
  });

  it('pauses and resumes as audited events, applies params updates as ParamsApplied, and starts run 2 after a stop', async () => {
    const { store, barsDone, engine: pending } = setup();
    const engine = await pending;
    await engine.create(gridSpec);
    await barsDone(10);

    await engine.pause('alpha/grid-btc', 'rev-1');
    const whilePaused = await engine.signal('alpha/grid-btc', 'tradingview', 'closeDeal', {}, 'sig-1');
    await engine.resume('alpha/grid-btc', 'rev-1');
    const afterResume = await engine.signal('alpha/grid-btc', 'tradingview', 'closeDeal', {}, 'sig-2');
    await engine.update(
      'alpha/grid-btc',
      { ...(gridSpec.params as object), gridCount: 28 },
      [{ path: 'stopLoss.price', class: 'hot' }],
      'rev-2',
    );
    await engine.stop('alpha/grid-btc', 'keep', 'test', 'rev-2');
    await engine.create({ ...gridSpec, revision: 'rev-3' });
    await engine.close();

    const events = await readAllEvents(store, 'alpha/grid-btc', 'alpha/grid-btc#1');
    const audits = events.flatMap((e) => (e.type === 'AuditEvent' ? [e.data.action] : []));
    expect(audits).toEqual(expect.arrayContaining(['pause', 'resume']));
    expect(events.find((e) => e.type === 'ParamsApplied')?.revision).toBe('rev-2');
    expect([whilePaused, afterResume]).toEqual([false, true]);
    const signals = events.flatMap((e) =>
      e.type === 'SignalReceived' ? [[e.data.idempotencyKey, e.data.accepted, e.data.reason]] : [],
    );
    expect(signals).toEqual([
      ['sig-1', false, 'bot is paused'],
      ['sig-2', true, undefined],
    ]);
    expect((await store.listRuns('alpha/grid-btc')).map((r) => r.runId)).toEqual([
      'alpha/grid-btc#1',
      'alpha/grid-btc#2',
    ]);
  });
});
