import { afterEach, describe, expect, it } from '@jest/globals';
import { conditionIn, LoopHarness } from './helpers/loop-harness.ts';
import { aDcaBot, aGridBot, aPaperAccount } from './helpers/manifests.ts';

const DCA = 'team/dca-btc';
const GRID = 'team/grid-btc';

describe('the reconcile loop over a watched directory', () => {
  let loop: LoopHarness;

  afterEach(async () => {
    await loop.stop();
  });

  it('starts every bot of the folder and reports it Ready at the folder revision', async () => {
    loop = await LoopHarness.start({
      'team/account.yaml': aPaperAccount(),
      'team/dca.yaml': aDcaBot(),
      'team/grid.yaml': aGridBot(),
    });

    const status = await loop.status(DCA);

    expect(loop.engine.calls.map((c) => `${c.method} ${c.botKey}`).sort()).toEqual([
      `create ${DCA}`,
      `create ${GRID}`,
    ]);
    expect(conditionIn(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Created' });
    expect(status?.lastAppliedRevision).toBe(loop.reconciler.lastGoodRevision);
    expect(status?.observedRevision).toBe(loop.reconciler.lastGoodRevision);
    expect(loop.reconciler.ready).toBe(true);
  });

  it('applies an edited take-profit to the running bot without touching its position or run', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const runBefore = (await loop.status(DCA))?.runId;
    const applied = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Applied');

    await loop.write('team/dca.yaml', aDcaBot({ takeProfitPct: '2.5' }));
    const status = await applied;

    const update = loop.engine.calls.find((c) => c.method === 'update');
    expect(update?.detail).toEqual([{ path: 'takeProfit.pct', class: 'amend' }]);
    expect(loop.engine.positionOf(DCA)).toBe('0.5');
    expect(status.runId).toBe(runBefore);
    expect(status.appliedRevisions?.map((r) => r.revision)).toEqual([
      status.lastAppliedRevision,
      expect.any(String),
    ]);
    expect(
      loop.engine.calls.filter(
        (c) => c.method === 'create' || c.method === 'recreate' || c.method === 'stop',
      ),
    ).toHaveLength(1);
  });

  it('does nothing to the engine when the same content is applied again', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const calls = loop.engine.calls.length;

    loop.reconciler.enqueue(DCA);
    await loop.reconciler.idle();

    expect(loop.engine.calls).toHaveLength(calls);
    expect(conditionIn(await loop.status(DCA), 'Ready')).toMatchObject({
      status: 'True',
      reason: 'UpToDate',
    });
  });

  it('marks a pending next-cycle change in status', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const applied = loop.nextStatus(DCA, (s) => (s.pendingUntilNextCycle ?? []).length > 0);

    await loop.write('team/dca.yaml', aDcaBot({ maxQuote: '2000' }));
    const status = await applied;

    expect(status.pendingUntilNextCycle).toEqual(['budget.maxQuote']);
  });

  it('blocks a recreate-class change unless the manifest allows recreating', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/grid.yaml': aGridBot() });
    const stalled = loop.nextStatus(GRID, (s) => conditionIn(s, 'Stalled')?.status === 'True');

    await loop.write('team/grid.yaml', aGridBot({ lowPrice: '52000' }));
    const status = await stalled;

    expect(conditionIn(status, 'Stalled')).toMatchObject({ reason: 'RecreateRequired' });
    expect(conditionIn(status, 'Stalled')?.message).toContain('params.lowPrice');
    expect(loop.engine.calls.filter((c) => c.method === 'recreate')).toEqual([]);

    const recreated = loop.nextStatus(GRID, (s) => conditionIn(s, 'Ready')?.reason === 'Recreated');
    await loop.write('team/grid.yaml', aGridBot({ lowPrice: '52000', onRecreate: 'allow' }));
    await recreated;

    expect(loop.engine.calls.filter((c) => c.method === 'recreate').map((c) => c.botKey)).toEqual([GRID]);
  });

  it('stops a bot whose manifest is deleted, with its close action', async () => {
    loop = await LoopHarness.start({
      'team/account.yaml': aPaperAccount(),
      'team/dca.yaml': aDcaBot({ closeAction: 'closePosition' }),
      'team/grid.yaml': aGridBot(),
    });
    const pruned = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Pruned');

    await loop.remove('team/dca.yaml');
    await pruned;

    const stop = loop.engine.calls.find((c) => c.method === 'stop');
    expect(stop).toMatchObject({
      botKey: DCA,
      detail: { closeAction: 'closePosition', reason: 'manifest removed' },
    });
    expect(loop.engine.positionOf(DCA)).toBe('0');
    expect(loop.engine.bots.get(GRID)?.state).toBe('running');
  });

  it('prunes nothing when a manifest disappears only briefly, as while an editor rewrites it', async () => {
    loop = await LoopHarness.start({
      'team/account.yaml': aPaperAccount(),
      'team/dca.yaml': aDcaBot(),
      'team/grid.yaml': aGridBot(),
    });
    const scheduled = loop.nextStatus(DCA, (s) => conditionIn(s, 'Reconciling')?.reason === 'PruneScheduled');
    const back = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.status === 'True');

    await loop.write('team/dca.yaml', '');
    await scheduled;
    await loop.write('team/dca.yaml', aDcaBot());
    await back;

    expect(loop.engine.calls.filter((c) => c.method === 'stop')).toEqual([]);
    expect(loop.engine.bots.get(DCA)?.state).toBe('running');
  });

  it('prunes nothing when the folder is emptied', async () => {
    loop = await LoopHarness.start({
      'team/account.yaml': aPaperAccount(),
      'team/dca.yaml': aDcaBot(),
      'team/grid.yaml': aGridBot(),
    });
    const guarded = loop.nextStatus(DCA, (s) => conditionIn(s, 'Stalled')?.reason === 'PruneGuard');

    await loop.remove('team/dca.yaml');
    await loop.remove('team/grid.yaml');
    await loop.remove('team/account.yaml');
    await guarded;
    await loop.reconciler.idle();

    expect(loop.engine.calls.filter((c) => c.method === 'stop')).toEqual([]);
    expect([...loop.engine.bots.values()].map((b) => b.state)).toEqual(['running', 'running']);
  });

  it('keeps a bot running on its last good spec when an edit breaks its manifest, with a located error', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    const goodRevision = loop.reconciler.lastGoodRevision;
    const stalled = loop.nextStatus(DCA, (s) => conditionIn(s, 'Stalled')?.status === 'True');

    await loop.write('team/dca.yaml', aDcaBot({ takeProfitPct: '-3' }));
    const status = await stalled;

    expect(conditionIn(status, 'Stalled')?.reason).toBe('InvalidManifest');
    expect(status['issues']).toEqual([expect.stringMatching(/^team\/dca\.yaml:\d+:\d+: /)]);
    expect(status.lastAppliedRevision).toBe(goodRevision);
    expect(status.observedRevision).not.toBe(goodRevision);
    expect(loop.engine.calls.map((c) => c.method)).toEqual(['create']);
    expect(loop.engine.bots.get(DCA)?.state).toBe('running');
  });

  it('follows spec.state: pause, resume and stop', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });

    const paused = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Paused');
    await loop.write('team/dca.yaml', aDcaBot({ state: 'paused' }));
    await paused;
    const resumed = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Resumed');
    await loop.write('team/dca.yaml', aDcaBot({ state: 'running' }));
    await resumed;
    const stopped = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Stopped');
    await loop.write('team/dca.yaml', aDcaBot({ state: 'stopped', closeAction: 'keep' }));
    await stopped;

    expect(loop.engine.calls.map((c) => c.method)).toEqual(['create', 'pause', 'resume', 'stop']);
    expect(loop.engine.calls.at(-1)?.detail).toMatchObject({ closeAction: 'keep' });
  });

  it('retries a failed apply with backoff and reports Reconciling until it succeeds', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    loop.engine.failNext(2, 'exchange timeout');
    const retrying = loop.nextStatus(DCA, (s) => conditionIn(s, 'Reconciling')?.status === 'True');
    const applied = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.reason === 'Applied');

    await loop.write('team/dca.yaml', aDcaBot({ takeProfitPct: '2' }));
    const failing = await retrying;
    await applied;

    expect(conditionIn(failing, 'Reconciling')).toMatchObject({
      reason: 'ApplyFailed',
      message: 'exchange timeout',
    });
    expect(loop.engine.calls.filter((c) => c.method === 'update')).toHaveLength(1);
  });

  it('shows drift the engine reports in the status', async () => {
    loop = await LoopHarness.start({ 'team/account.yaml': aPaperAccount(), 'team/dca.yaml': aDcaBot() });
    loop.engine.setDrift(DCA, [
      { kind: 'UnknownOrder', message: 'order 123 on the exchange is not the bot’s' },
    ]);
    const drifted = loop.nextStatus(DCA, (s) => (s.drift ?? []).length > 0);

    loop.reconciler.enqueue(DCA);
    const status = await drifted;

    expect(status.drift).toEqual([
      { kind: 'UnknownOrder', message: 'order 123 on the exchange is not the bot’s' },
    ]);
  });
});
