import { afterEach, describe, expect, it } from '@jest/globals';
import { botShortId, encodeClientOrderId } from '../../src/core/ids.ts';
import { readAllEvents } from '../../src/backtest/backtest.ts';
import type { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import type { LiveEngine } from '../../src/live/engine.ts';
import type { ObservedBot } from '../../src/ports/control.ts';
import { aDcaSpec, aGridSpec, aSteppedEngine } from './harness.ts';

const GRID = 'alpha/grid-btc';
const DCA = 'alpha/dca-btc';

function driftOf(observed: readonly ObservedBot[], botKey: string): ObservedBot['drift'] {
  const bot = observed.find((b) => b.botKey === botKey);
  if (!bot) throw new Error(`${botKey} not observed`);
  return bot.drift;
}

async function fillsOf(store: MemoryHistoryStore, botKey: string): Promise<number> {
  const events = await readAllEvents(store, botKey, `${botKey}#1`);
  return events.filter((e) => e.type === 'OrderFilled').length;
}

/** An order id with our prefix and `botKey`'s short id, for an order the bot never placed. */
function strayIdOf(botKey: string): string {
  return encodeClientOrderId({
    ns: 'tt',
    bot: botShortId(botKey),
    seq: 9999,
    role: 'manual',
    idx: 7,
    att: 0,
  });
}

describe('drift between the paper venue and its bots', () => {
  let engine: LiveEngine | undefined;

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function twoBotsOnOneVenue(): Promise<LiveEngine> {
    ({ engine } = await aSteppedEngine());
    await engine.create(aGridSpec());
    await engine.create(aDcaSpec());
    return engine;
  }

  it('reports no drift when the venue holds exactly what the bots placed and booked', async () => {
    const live = await twoBotsOnOneVenue();

    const observed = await live.observe();

    expect(driftOf(observed, GRID)).toEqual([]);
    expect(driftOf(observed, DCA)).toEqual([]);
  });

  it('reports an open order with our prefix that the bot does not know as UnknownOrder of that bot only', async () => {
    const live = await twoBotsOnOneVenue();
    const venue = live.venueOf(DCA)!;
    const id = strayIdOf(DCA);

    await venue.createOrder({
      clientOrderId: id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '30000',
      amount: '0.001',
    });
    const observed = await live.observe();

    expect(driftOf(observed, DCA)).toEqual([
      expect.objectContaining({ kind: 'UnknownOrder', message: expect.stringContaining(id) }),
    ]);
    expect(driftOf(observed, GRID).map((d) => d.kind)).not.toContain('UnknownOrder');
  });

  it('reports an order without our prefix as UnmanagedOrder and leaves it open on the venue', async () => {
    const live = await twoBotsOnOneVenue();
    const venue = live.venueOf(GRID)!;

    await venue.createOrder({
      clientOrderId: 'manual-42',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '30000',
      amount: '0.001',
    });
    const observed = await live.observe();
    const open = await venue.fetchOpenOrders('BTC/USDT');

    for (const key of [GRID, DCA]) {
      expect(driftOf(observed, key)).toEqual([
        expect.objectContaining({ kind: 'UnmanagedOrder', message: expect.stringContaining('manual-42') }),
      ]);
    }
    expect(open.map((o) => o.clientOrderId)).toContain('manual-42');
  });

  it('reports a venue balance moved behind the ledgers’ back as BalanceMismatch for every bot of the account', async () => {
    const live = await twoBotsOnOneVenue();
    const venue = live.venueOf(GRID)!;

    venue.balances.restoreShare({ USDT: '-50' });
    const observed = await live.observe();

    for (const key of [GRID, DCA]) {
      expect(driftOf(observed, key)).toEqual([
        expect.objectContaining({
          kind: 'BalanceMismatch',
          message: expect.stringContaining('difference -50 USDT'),
        }),
      ]);
    }
  });

  it('ignores a balance difference of dust (below one lot of base)', async () => {
    const live = await twoBotsOnOneVenue();
    const venue = live.venueOf(GRID)!;

    venue.balances.restoreShare({ BTC: '0.000001' });
    const observed = await live.observe();

    expect(driftOf(observed, GRID)).toEqual([]);
  });

  it('stays free of drift while the bots trade: fills move venue and ledgers together', async () => {
    const { engine: stepped, replay, store } = await aSteppedEngine();
    engine = stepped;
    await stepped.create(aGridSpec());
    await stepped.create(aDcaSpec());
    await replay.walked(1);
    const fillsBefore = (await fillsOf(store, GRID)) + (await fillsOf(store, DCA));

    for (let i = 0; i < 300; i++) await replay.step();
    const observed = await stepped.observe();
    const fillsAfter = (await fillsOf(store, GRID)) + (await fillsOf(store, DCA));

    expect(fillsAfter).toBeGreaterThan(fillsBefore);
    expect(driftOf(observed, GRID)).toEqual([]);
    expect(driftOf(observed, DCA)).toEqual([]);
  });

  it('keeps counting a replaced run’s fills, so a recreated bot shows no balance drift', async () => {
    const { engine: stepped, replay } = await aSteppedEngine();
    engine = stepped;
    await stepped.create(aDcaSpec());
    await replay.walked(1);

    await stepped.recreate(aDcaSpec('dca-btc', 'r2', { takeProfit: { pct: '0.4' } }));
    const observed = await stepped.observe();

    expect(observed.find((b) => b.botKey === DCA)?.runId).toBe('alpha/dca-btc#2');
    expect(driftOf(observed, DCA)).toEqual([]);
  });
});
