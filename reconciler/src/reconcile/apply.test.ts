import { describe, expect, it } from '@jest/globals';
import type { DesiredBot } from '../manifest/types.ts';
import { applyStep, blockOf } from './apply.ts';
import type { PlanStep } from './planning.ts';
import { FakeEngine } from '../../test/reconcile/helpers/fake-engine.ts';

function aBot(update: Partial<DesiredBot['update']> = {}): DesiredBot {
  return {
    key: 'team/a',
    namespace: 'team',
    name: 'a',
    strategy: 'grid',
    account: 'paper',
    market: 'BTC/USDT',
    state: 'running',
    params: {},
    update: {
      onRecreate: 'refuse',
      closeAction: 'cancelOrders',
      allowFundMoves: false,
      confirmImmediateExit: false,
      ...update,
    },
    source: { file: 'team/a.yaml', line: 1, col: 1 },
  };
}

const step = (action: PlanStep['action'], fields: PlanStep['fields'] = []): PlanStep => ({
  key: 'team/a',
  action,
  fields,
});

describe('blockOf', () => {
  it('refuses a recreate the manifest does not allow even when the plan forgot to block it', () => {
    const block = blockOf(
      step('recreate', [{ path: 'params.lowPrice', from: '1', to: '2', class: 'recreate' }]),
      aBot(),
    );

    expect(block?.reason).toBe('RecreateRequired');
    expect(block?.message).toContain('params.lowPrice');
  });

  it('refuses moving funds unless the manifest allows it', () => {
    const funds = step('update', [{ path: 'params.investment', from: '1', to: '2', class: 'funds' }]);

    expect(blockOf(funds, aBot())?.reason).toBe('FundMovesNotAllowed');
    expect(blockOf(funds, aBot({ allowFundMoves: true }))).toBeUndefined();
  });

  it('never changes identity fields in place', () => {
    expect(
      blockOf(
        step('update', [{ path: 'market', from: 'a', to: 'b', class: 'immutable' }]),
        aBot({ onRecreate: 'allow' }),
      )?.reason,
    ).toBe('ImmutableChange');
  });
});

describe('applyStep', () => {
  it('makes no engine call for a blocked step and reports it Stalled', async () => {
    const engine = new FakeEngine();
    const blocked = {
      ...step('update'),
      blocked: { reason: 'ImmediateExit', message: 'take profit already crossed' },
    };

    const result = await applyStep({
      engine,
      step: blocked,
      revision: 'r2',
      bot: aBot(),
      spec: undefined,
      rememberedCloseAction: undefined,
    });

    expect(result).toEqual({
      verdict: { kind: 'stalled', reason: 'ImmediateExit', message: 'take profit already crossed' },
      changed: false,
    });
    expect(engine.calls).toEqual([]);
  });

  it('passes the params changes to the engine with paths relative to params', async () => {
    const engine = new FakeEngine();
    engine.bots.set('team/a', {
      spec: {} as never,
      params: {},
      state: 'running',
      revision: 'r1',
      run: 1,
      position: '1',
      pending: [],
      drift: [],
    });
    const update = step('update', [
      { path: 'params.takeProfit.pct', from: '1', to: '2', class: 'amend' },
      { path: 'risk.maxOrders', from: 1, to: 2, class: 'hot' },
    ]);

    await applyStep({
      engine,
      step: update,
      revision: 'r2',
      bot: aBot(),
      spec: undefined,
      rememberedCloseAction: undefined,
    });

    expect(engine.calls[0]?.detail).toEqual([{ path: 'takeProfit.pct', class: 'amend' }]);
  });

  it('prunes with the close action remembered from the bot’s last status', async () => {
    const engine = new FakeEngine();
    engine.bots.set('team/a', {
      spec: {} as never,
      params: {},
      state: 'running',
      revision: 'r1',
      run: 1,
      position: '1',
      pending: [],
      drift: [],
    });

    await applyStep({
      engine,
      step: step('prune'),
      revision: 'r2',
      bot: undefined,
      spec: undefined,
      rememberedCloseAction: 'closePosition',
    });

    expect(engine.calls[0]).toMatchObject({
      method: 'stop',
      detail: { closeAction: 'closePosition', reason: 'manifest removed' },
    });
  });
});
