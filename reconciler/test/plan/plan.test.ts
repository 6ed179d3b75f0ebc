import { describe, expect, it } from '@jest/globals';
import { planChanges, type BotPlan, type CurrentBot } from '@tradingtower/reconciler/plan/index.ts';
import { aDcaBot, aGridBot, desiredOf } from './builders.ts';

function only(plan: { bots: readonly BotPlan[] }): BotPlan {
  expect(plan.bots).toHaveLength(1);
  return plan.bots[0]!;
}

describe('planChanges: actions', () => {
  it('creates a bot that is desired but not running', () => {
    const bot = only(planChanges([], desiredOf([aGridBot('a')])));

    expect(bot).toMatchObject({ key: 'default/a', action: 'create', fields: [] });
  });

  it('is a noop when nothing changed, even when decimals are written differently', () => {
    const current = aGridBot('a', {}, { lowPrice: '25000.00' });

    const bot = only(planChanges([current], desiredOf([aGridBot('a')])));

    expect(bot.action).toBe('noop');
    expect(bot.fields).toEqual([]);
  });

  it('pauses, resumes and stops on state changes', () => {
    const running = aGridBot('a');
    const paused = aGridBot('a', { state: 'paused' });
    const stopped = aGridBot('a', { state: 'stopped' });

    expect(only(planChanges([running], desiredOf([paused]))).action).toBe('pause');
    expect(only(planChanges([paused], desiredOf([running]))).action).toBe('resume');
    expect(only(planChanges([running], desiredOf([stopped]))).action).toBe('stop');
    expect(only(planChanges([stopped], desiredOf([running]))).notes).toContain('starts a new run');
  });

  it('stops even when the same edit changes identity, since stopping is always safe', () => {
    const bot = only(
      planChanges([aGridBot('a')], desiredOf([aGridBot('a', { state: 'stopped', market: 'ETH/USDT' })])),
    );

    expect(bot.action).toBe('stop');
    expect(bot.blocked).toBeUndefined();
    expect(bot.notes).toContain('stops with closeAction cancelOrders');
  });

  it('prunes a bot whose manifest was removed, with its close action', () => {
    const current: CurrentBot[] = [
      aGridBot('a'),
      aGridBot('b'),
      aGridBot('c', {
        update: {
          onRecreate: 'refuse',
          closeAction: 'closePosition',
          allowFundMoves: false,
          confirmImmediateExit: false,
        },
      }),
    ];

    const plan = planChanges(current, desiredOf([aGridBot('a'), aGridBot('b')]));

    const pruned = plan.bots.find((b) => b.key === 'default/c')!;
    expect(pruned).toMatchObject({
      action: 'prune',
      notes: ['stops with closeAction closePosition and forgets the bot'],
    });
    expect(pruned.blocked).toBeUndefined();
    expect(plan.pruneGuard).toEqual({ triggered: false, message: '1 bot(s) pruned' });
  });
});

describe('planChanges: change classes from the strategy documents', () => {
  it.each([
    [
      'grid stopLoss.price (H0)',
      aGridBot('a'),
      aGridBot('a', {}, { stopLoss: { price: '21000' } }),
      'params.stopLoss.price',
      'hot',
      'update',
    ],
    [
      'grid maxActiveOrders (H1)',
      aGridBot('a'),
      aGridBot('a', {}, { maxActiveOrders: 6 }),
      'params.maxActiveOrders',
      'amend',
      'update',
    ],
    [
      'dca deal.cooldownSec (HOT)',
      aDcaBot('d'),
      aDcaBot('d', {}, { deal: { cooldownSec: 60 } }),
      'params.deal.cooldownSec',
      'hot',
      'update',
    ],
    [
      'dca baseOrder.size (NEXT-DEAL)',
      aDcaBot('d'),
      aDcaBot('d', {}, { baseOrder: { size: '20', sizeUnit: 'quote' } }),
      'params.baseOrder.size',
      'next-cycle',
      'update',
    ],
    [
      'grid gridCount (R)',
      aGridBot('a'),
      aGridBot('a', {}, { gridCount: 12 }),
      'params.gridCount',
      'recreate',
      'recreate',
    ],
    [
      'grid investment down (R)',
      aGridBot('a'),
      aGridBot('a', {}, { investment: '800' }),
      'params.investment',
      'recreate',
      'recreate',
    ],
    [
      'dca direction (identity)',
      aDcaBot('d'),
      aDcaBot('d', {}, { direction: 'short' }),
      'params.direction',
      'immutable',
      'recreate',
    ],
    ['market (X)', aGridBot('a'), aGridBot('a', { market: 'ETH/USDT' }), 'market', 'immutable', 'recreate'],
    [
      'risk limits',
      aGridBot('a'),
      aGridBot('a', { risk: { maxOrderNotional: '50' } }),
      'risk.maxOrderNotional',
      'hot',
      'update',
    ],
  ] as const)('%s', (_name, current, desired, path, cls, action) => {
    const bot = only(planChanges([current], desiredOf([desired])));

    expect(bot.fields.map((f) => [f.path, f.class])).toEqual([[path, cls]]);
    expect(bot.class).toBe(cls);
    expect(bot.action).toBe(action);
  });

  it('classes a grid investment increase as funds (H2) and blocks it without allowFundMoves', () => {
    const bot = only(planChanges([aGridBot('a')], desiredOf([aGridBot('a', {}, { investment: '1500' })])));

    expect(bot.fields).toEqual([{ path: 'params.investment', from: '1000', to: '1500', class: 'funds' }]);
    expect(bot.blocked?.reason).toBe('FundMovesNotAllowed');
  });

  it('applies funds when allowFundMoves is set', () => {
    const allow = {
      onRecreate: 'refuse',
      closeAction: 'cancelOrders',
      allowFundMoves: true,
      confirmImmediateExit: false,
    } as const;

    const bot = only(
      planChanges([aGridBot('a')], desiredOf([aGridBot('a', { update: allow }, { investment: '1500' })])),
    );

    expect(bot.blocked).toBeUndefined();
    expect(bot.action).toBe('update');
  });

  it('takes the highest class of all changed fields for the change set', () => {
    const desired = aDcaBot(
      'd',
      {},
      { deal: { cooldownSec: 60 }, takeProfit: { pct: '2' }, baseOrder: { size: '20', sizeUnit: 'quote' } },
    );

    const bot = only(planChanges([aDcaBot('d')], desiredOf([desired])));

    expect(bot.fields.map((f) => f.class).sort()).toEqual(['amend', 'hot', 'next-cycle']);
    expect(bot.class).toBe('next-cycle');
    expect(bot.notes).toContain('pending until next cycle: params.baseOrder.size');
  });
});

describe('planChanges: safety rules', () => {
  it('refuses an identity change with a hint to use a new bot name', () => {
    const bot = only(planChanges([aGridBot('a')], desiredOf([aGridBot('a', { account: 'binance-main' })])));

    expect(bot.blocked?.reason).toBe('ImmutableChange');
    expect(bot.blocked?.message).toContain('new name');
  });

  it('blocks a recreate unless spec.update.onRecreate is allow', () => {
    const allow = {
      onRecreate: 'allow',
      closeAction: 'keep',
      allowFundMoves: false,
      confirmImmediateExit: false,
    } as const;

    const refused = only(planChanges([aGridBot('a')], desiredOf([aGridBot('a', {}, { gridCount: 12 })])));
    const allowed = only(
      planChanges([aGridBot('a')], desiredOf([aGridBot('a', { update: allow }, { gridCount: 12 })])),
    );

    expect(refused.blocked?.reason).toBe('RecreateRequired');
    expect(allowed.blocked).toBeUndefined();
    expect(allowed.notes).toContain('stops with closeAction keep and starts a fresh run');
  });

  it('flags an edit that would exit at once unless confirmed', () => {
    const immediateExit = (): string => 'take-profit 30000 is below the price 31000';
    const confirm = {
      onRecreate: 'refuse',
      closeAction: 'cancelOrders',
      allowFundMoves: false,
      confirmImmediateExit: true,
    } as const;
    const edit = { takeProfit: { pct: '0.5' } };

    const flagged = only(planChanges([aDcaBot('d')], desiredOf([aDcaBot('d', {}, edit)]), { immediateExit }));
    const confirmed = only(
      planChanges([aDcaBot('d')], desiredOf([aDcaBot('d', { update: confirm }, edit)]), { immediateExit }),
    );

    expect(flagged.blocked).toEqual({
      reason: 'ImmediateExit',
      message: expect.stringContaining('take-profit 30000'),
    });
    expect(confirmed.blocked).toBeUndefined();
    expect(confirmed.notes).toContain('exits at once, confirmed: take-profit 30000 is below the price 31000');
  });

  it('never prunes everything for an empty snapshot', () => {
    const plan = planChanges([aGridBot('a'), aGridBot('b')], desiredOf([]));

    expect(plan.pruneGuard?.triggered).toBe(true);
    expect(plan.bots.map((b) => [b.action, b.blocked?.reason])).toEqual([
      ['prune', 'PruneGuard'],
      ['prune', 'PruneGuard'],
    ]);
  });

  it('never prunes when fewer than minKeepFraction of the bots remain', () => {
    const current = ['a', 'b', 'c', 'd'].map((n) => aGridBot(n));
    const policies = { 'default/p': { prune: { minKeepFraction: '0.75' } } };

    const guarded = planChanges(current, desiredOf(current.slice(0, 2), { policies }));
    const allowed = planChanges(current, desiredOf(current.slice(0, 3), { policies }));

    expect(guarded.pruneGuard).toEqual({
      triggered: true,
      message: 'only 2 of 4 bots would remain (minimum fraction 0.75); nothing is pruned',
    });
    expect(allowed.pruneGuard?.triggered).toBe(false);
  });

  it('never prunes when the desired snapshot has validation errors', () => {
    const plan = planChanges(
      [aGridBot('a'), aGridBot('b'), aGridBot('c')],
      desiredOf([aGridBot('a'), aGridBot('b')], { complete: false }),
    );

    expect(plan.bots.find((b) => b.action === 'prune')?.blocked?.reason).toBe('PruneGuard');
  });

  it('keeps bots running when the Policy disables pruning', () => {
    const plan = planChanges(
      [aGridBot('a'), aGridBot('b')],
      desiredOf([aGridBot('a')], { policies: { 'default/p': { prune: { enabled: false } } } }),
    );

    expect(plan.bots.find((b) => b.action === 'prune')?.blocked?.message).toContain('prune.enabled is false');
  });
});
