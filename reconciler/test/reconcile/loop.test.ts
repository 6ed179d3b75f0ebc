import { afterEach, describe, expect, it } from '@jest/globals';
import { conditionIn, LoopHarness } from './helpers/loop-harness.ts';
import { aDcaBot, aPaperAccount } from './helpers/manifests.ts';

const DCA = 'team/dca-btc';

/**
 * What only an edge fake can show: engine calls that fail on demand. Every other loop scenario runs
 * against the real paper engine in loop-paper.test.ts.
 */
describe('the reconcile loop over a watched directory, with an engine that fails on demand', () => {
  let loop: LoopHarness;

  afterEach(async () => {
    await loop.stop();
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
});
