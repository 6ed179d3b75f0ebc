/**
 * The reconcile loop end to end against the real paper engine: a watched directory (chokidar), the real
 * loader and planner, a memory store shared by reconciler and engine, and assertions on what the engine
 * then holds (runs, venue orders and ledger, stored fills). Every step awaits the status the loop writes.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { encodeClientOrderId, botShortId } from '@tradingtower/engine/core/ids.ts';
import { add, lt, sub, type Dec, type HistoryEvent } from '@tradingtower/engine';
import { conditionIn, LoopHarness } from './helpers/loop-harness.ts';
import { aDcaBot, aGridBot, aPaperAccount } from './helpers/manifests.ts';
import { aPaperEngine, netBaseOf, type RecordedPaperEngine } from './helpers/paper-engine.ts';

const DCA = 'team/dca-btc';
const GRID = 'team/grid-btc';

type PaperLoop = LoopHarness<RecordedPaperEngine>;

async function startPaper(files: Readonly<Record<string, string>>): Promise<PaperLoop> {
  return LoopHarness.startOn(await aPaperEngine(), files);
}

const dcaAndGrid = (dca = aDcaBot()) => ({
  'team/account.yaml': aPaperAccount(),
  'team/dca.yaml': dca,
  'team/grid.yaml': aGridBot(),
});

describe('the reconcile loop driving the real paper engine', () => {
  let loop: PaperLoop | undefined;

  afterEach(async () => {
    await loop?.stop();
    loop = undefined;
  });

  it('starts every bot of the folder as a first run, trading on the venue, Ready at the folder revision', async () => {
    loop = await startPaper(dcaAndGrid());
    const status = await loop.status(DCA);

    expect(loop.engine.methods().sort()).toEqual(['create', 'create']);
    expect(await loop.engine.observed(DCA)).toMatchObject({ state: 'running', runId: `${DCA}#1` });
    expect(await loop.engine.observed(GRID)).toMatchObject({ state: 'running', runId: `${GRID}#1` });
    expect((await loop.engine.openOrders(DCA)).map((o) => o.role)).toContain('takeProfit');
    expect((await loop.engine.openOrders(GRID)).length).toBeGreaterThan(0);
    expect(conditionIn(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Created' });
    expect(status?.lastAppliedRevision).toBe(loop.reconciler.lastGoodRevision);
    expect(loop.reconciler.ready).toBe(true);
  });

  it('re-prices the take-profit of a running DCA deal on an edit, keeping its run and position', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const engine = loop.engine;
    const before = {
      runId: (await engine.observed(DCA))?.runId,
      ledger: await engine.ledger(DCA),
      events: await engine.events(DCA, `${DCA}#1`),
      orders: await engine.openOrders(DCA),
    };
    const applied = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Applied');

    await loop.write('team/dca.yaml', aDcaBot({ takeProfitPct: '2.5' }));
    const status = await applied;
    const events = await engine.events(DCA, `${DCA}#1`);
    const since = events.slice(before.events.length);
    const orders = await engine.openOrders(DCA);
    const tp = (list: typeof orders) => list.find((o) => o.role === 'takeProfit')?.price;

    expect(engine.calls.filter((c) => c.method === 'update')).toEqual([
      {
        method: 'update',
        botKey: DCA,
        revision: status.lastAppliedRevision,
        detail: [{ path: 'takeProfit.pct', class: 'amend' }],
      },
    ]);
    expect(engine.methods()).toEqual(['create', 'update']);
    expect(status.runId).toBe(before.runId);
    expect((await engine.observed(DCA))?.runId).toBe(before.runId);
    expect(await engine.ledger(DCA)).toEqual(before.ledger);
    expect(netBaseOf(events)).toBe(netBaseOf(before.events));
    expect(netBaseOf(before.events)).not.toBe('0');
    expect(since.filter((e) => e.type === 'OrderFilled')).toEqual([]);
    expect(since.filter((e) => e.type === 'OrderIntent' && e.data.request.type === 'market')).toEqual([]);
    expect(Number(tp(orders))).toBeGreaterThan(Number(tp(before.orders)));
    expect(orders.filter((o) => o.role === 'safety')).toEqual(
      before.orders.filter((o) => o.role === 'safety'),
    );
  });

  it('leaves the engine alone when the same content is applied again', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const stored = (await loop.engine.events(DCA, `${DCA}#1`)).length;

    loop.reconciler.enqueue(DCA);
    await loop.reconciler.idle();

    expect(loop.engine.methods()).toEqual(['create']);
    expect(await loop.engine.events(DCA, `${DCA}#1`)).toHaveLength(stored);
    expect(conditionIn(await loop.status(DCA), 'Ready')).toMatchObject({
      status: 'True',
      reason: 'UpToDate',
    });
  });

  it('reports a next-cycle change the engine holds for the next deal as pending', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const pending = loop.nextStatus(DCA, (s) => (s.pendingUntilNextCycle ?? []).length > 0);

    await loop.write('team/dca.yaml', aDcaBot({ maxQuote: '2000' }));
    const status = await pending;

    expect(status.pendingUntilNextCycle).toEqual(['budget.maxQuote']);
    expect((await loop.engine.observed(DCA))?.pendingUntilNextCycle).toEqual(['budget.maxQuote']);
  });

  it('blocks a recreate-class change on the running run, then with onRecreate allow stops it and starts a new run', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/grid.yaml': aGridBot() });
    const engine = loop.engine;
    const stalled = loop.nextStatus(GRID, (s) => conditionIn(s, 'Stalled')?.status === 'True');

    await loop.write('team/grid.yaml', aGridBot({ lowPrice: '52000' }));
    const blocked = await stalled;
    const kept = await engine.observed(GRID);

    expect(conditionIn(blocked, 'Stalled')).toMatchObject({ reason: 'RecreateRequired' });
    expect(conditionIn(blocked, 'Stalled')?.message).toContain('params.lowPrice');
    expect(kept).toMatchObject({ state: 'running', runId: `${GRID}#1` });
    expect(String((kept?.params as { lowPrice: unknown }).lowPrice)).toBe('50000');
    expect(engine.methods()).toEqual(['create']);

    const recreated = loop.nextStatus(GRID, (s) => conditionIn(s, 'Ready')?.reason === 'Recreated');
    await loop.write('team/grid.yaml', aGridBot({ lowPrice: '52000', onRecreate: 'allow' }));
    const status = await recreated;
    const now = await engine.observed(GRID);
    const stopped = (await engine.events(GRID, `${GRID}#1`)).find((e) => e.type === 'BotRunStopped');
    const order = engine.store.appended;

    expect(engine.methods()).toEqual(['create', 'recreate']);
    expect(now).toMatchObject({ state: 'running', runId: `${GRID}#2` });
    expect(status.runId).toBe(`${GRID}#2`);
    expect(String((now?.params as { lowPrice: unknown }).lowPrice)).toBe('52000');
    expect(stopped?.data).toMatchObject({ closeAction: 'cancelOrders' });
    expect(order.indexOf(`${GRID}#1 BotRunStopped`)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`${GRID}#1 BotRunStopped`)).toBeLessThan(order.indexOf(`${GRID}#2 BotRunStarted`));
  });

  it('stops a bot whose manifest is deleted with its close action, leaving other bots trading', async () => {
    loop = await startPaper(dcaAndGrid(aDcaBot({ closeAction: 'closePosition' })));
    const gridOrders = await loop.engine.openOrders(GRID);
    const pruned = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Pruned');

    await loop.remove('team/dca.yaml');
    await pruned;
    const events = await loop.engine.events(DCA, `${DCA}#1`);

    expect(loop.engine.calls.filter((c) => c.method === 'stop')).toEqual([
      expect.objectContaining({
        botKey: DCA,
        detail: { closeAction: 'closePosition', reason: 'manifest removed' },
      }),
    ]);
    expect(await loop.engine.observed(DCA)).toMatchObject({ state: 'stopped' });
    expect(await loop.engine.openOrders(DCA)).toEqual([]);
    // The deal was closed at market (the close waited for the take-profit's cancel to free the base):
    // what the bot still holds, net of fees paid in base, is dust below one lot (0.00001 BTC).
    expect(lt(heldBaseOf(events, 'BTC'), '0.00001')).toBe(true);
    expect(events.filter((e) => e.type === 'RiskDenied')).toEqual([]);
    expect(events.filter((e) => e.type === 'StateTransition').map((e) => e.data.reason)).toContain(
      'deal 1 closing: botStopped',
    );
    expect(events.find((e) => e.type === 'BotRunStopped')?.data).toMatchObject({
      closeAction: 'closePosition',
    });
    expect(await loop.engine.observed(GRID)).toMatchObject({ state: 'running', runId: `${GRID}#1` });
    expect(await loop.engine.openOrders(GRID)).toEqual(gridOrders);
  });

  it('cancels every order of a deleted bot on the venue when its close action is cancelOrders', async () => {
    loop = await startPaper(dcaAndGrid());
    const position = netBaseOf(await loop.engine.events(DCA, `${DCA}#1`));
    const pruned = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Pruned');

    await loop.remove('team/dca.yaml');
    await pruned;

    expect(await loop.engine.observed(DCA)).toMatchObject({ state: 'stopped' });
    expect(await loop.engine.openOrders(DCA)).toEqual([]);
    expect(netBaseOf(await loop.engine.events(DCA, `${DCA}#1`))).toBe(position);
  });

  it('prunes nothing when a manifest disappears only briefly, as while an editor rewrites it', async () => {
    loop = await startPaper(dcaAndGrid());
    const scheduled = loop.nextStatus(DCA, (s) => conditionIn(s, 'Reconciling')?.reason === 'PruneScheduled');

    await loop.write('team/dca.yaml', '');
    await scheduled;
    const back = loop.nextStatus(
      DCA,
      (s) => conditionIn(s, 'Ready')?.status === 'True' && conditionIn(s, 'Reconciling')?.status !== 'True',
    );
    await loop.write('team/dca.yaml', aDcaBot());
    await back;

    expect(loop.engine.methods()).toEqual(['create', 'create']);
    expect(await loop.engine.observed(DCA)).toMatchObject({ state: 'running', runId: `${DCA}#1` });
  });

  it('prunes nothing when the folder is emptied: every bot keeps running with its orders', async () => {
    loop = await startPaper(dcaAndGrid());
    const orders = [await loop.engine.openOrders(DCA), await loop.engine.openOrders(GRID)];
    const guarded = loop.nextStatus(DCA, (s) => conditionIn(s, 'Stalled')?.reason === 'PruneGuard');

    await loop.remove('team/dca.yaml');
    await loop.remove('team/grid.yaml');
    await loop.remove('team/account.yaml');
    await guarded;
    await loop.reconciler.idle();

    expect(loop.engine.methods()).toEqual(['create', 'create']);
    expect((await loop.engine.live.observe()).map((b) => [b.botKey, b.state, b.runId])).toEqual([
      [DCA, 'running', `${DCA}#1`],
      [GRID, 'running', `${GRID}#1`],
    ]);
    expect([await loop.engine.openOrders(DCA), await loop.engine.openOrders(GRID)]).toEqual(orders);
  });

  it('keeps a bot running on its last good spec when an edit breaks its manifest, with a located error', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const goodRevision = loop.reconciler.lastGoodRevision;
    const running = await loop.engine.observed(DCA);
    const stalled = loop.nextStatus(DCA, (s) => conditionIn(s, 'Stalled')?.status === 'True');

    await loop.write('team/dca.yaml', aDcaBot({ takeProfitPct: '-3' }));
    const status = await stalled;

    expect(conditionIn(status, 'Stalled')?.reason).toBe('InvalidManifest');
    expect(status['issues']).toEqual([expect.stringMatching(/^team\/dca\.yaml:\d+:\d+: /)]);
    expect(status.lastAppliedRevision).toBe(goodRevision);
    expect(loop.engine.methods()).toEqual(['create']);
    expect(await loop.engine.observed(DCA)).toMatchObject({
      state: 'running',
      runId: running?.runId,
      revision: running?.revision,
      params: running?.params,
    });
  });

  it('follows spec.state on the engine: pause, resume, and stop keeping the position', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const states: string[] = [];
    const position = netBaseOf(await loop.engine.events(DCA, `${DCA}#1`));

    for (const [state, reason] of [
      ['paused', 'Paused'],
      ['running', 'Resumed'],
      ['stopped', 'Stopped'],
    ] as const) {
      const reached = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === reason);
      await loop.write('team/dca.yaml', aDcaBot({ state, closeAction: 'keep' }));
      await reached;
      states.push((await loop.engine.observed(DCA))?.state ?? 'missing');
    }

    expect(states).toEqual(['paused', 'running', 'stopped']);
    expect(loop.engine.methods()).toEqual(['create', 'pause', 'resume', 'stop']);
    expect(loop.engine.calls.at(-1)?.detail).toMatchObject({ closeAction: 'keep' });
    const events = await loop.engine.events(DCA, `${DCA}#1`);
    expect(events.filter((e) => e.type === 'OrderIntent').map((e) => e.data.role)).not.toContain('close');
    expect(netBaseOf(events)).toBe(position);
    expect(events.at(-1)).toMatchObject({ type: 'BotRunStopped', data: { closeAction: 'keep' } });
  });

  it('shows in the status an order on the venue that carries the bot’s id but that the bot never placed', async () => {
    loop = await startPaper({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const stray = encodeClientOrderId({
      ns: 'tt',
      bot: botShortId(DCA),
      seq: 9999,
      role: 'manual',
      idx: 7,
      att: 0,
    });
    await loop.engine.live.venueOf(DCA)!.createOrder({
      clientOrderId: stray,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '30000',
      amount: '0.001',
    });
    const drifted = loop.nextStatus(DCA, (s) => (s.drift ?? []).length > 0);

    loop.reconciler.enqueue(DCA);
    const status = await drifted;

    expect(status.drift).toEqual([
      expect.objectContaining({ kind: 'UnknownOrder', message: expect.stringContaining(stray) }),
    ]);
  });
});

/** The base a run holds from its fills: bought minus sold, less fees paid in the base asset. */
function heldBaseOf(events: readonly HistoryEvent[], baseAsset: string): Dec {
  let held = '0';
  for (const e of events) {
    if (e.type !== 'OrderFilled') continue;
    const { side, qty, fee, feeAsset } = e.data.fill;
    held = side === 'buy' ? add(held, qty) : sub(held, qty);
    if (feeAsset === baseAsset) held = sub(held, fee);
  }
  return held;
}
