// Combo test vectors C1–C7 and behavioural cases T12, T13 (grid-family.md §6.7, Appendix B; tolerance 1e-8).
import { describe, it, expect } from '@jest/globals';
import { div, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent } from '../../kernel/strategy.ts';
import { liquidationPrice } from '../shared/futures.ts';
import { aCtx, aPerpMarket, ev, placed, places, relativeError, Runner } from '../dca/test-builders.ts';
import { comboStrategy } from './index.ts';
import type { ComboParams, ComboState } from './index.ts';
import { exitRungs, safetyPlan, worstLiquidation } from './plan.ts';
import { aComboParams } from './test-builders.ts';

const market = aPerpMarket({ maker: '0.001', taker: '0.001', maintenanceMarginRate: '0.005' });
const close = (actual: Dec | undefined, expected: Dec): void => {
  expect(actual).toBeDefined();
  expect(relativeError(actual!, expected)).toBeLessThan(1e-8);
};
const exitOrders = (intents: readonly Intent[]): [string, string][] =>
  places(intents)
    .filter((p) => p.role === 'exit')
    .map((p) => [p.price!, p.qty!]);
const fill = (run: Runner<ComboParams, ComboState>, key: string, price: Dec, qty: Dec): Intent[] =>
  run.send(ev.fill(key, price, qty, { feeRate: '0.001' }));

/** Example C after the base fill (C2) and, optionally, SO1 (C3). */
function started(so1 = false): Runner<ComboParams, ComboState> {
  const run = new Runner(comboStrategy, aComboParams(), aCtx(market));
  run.send(ev.start('100'));
  fill(run, 'deal1:base', '100', '2');
  if (so1) fill(run, 'deal1:so:1', '80', '2');
  return run;
}

describe('Combo example C', () => {
  it('C1: plans SO1 BUY 2 @80 and SO2 BUY 4 @60; max notional 600, max margin 300 ≤ 300', () => {
    const run = new Runner(comboStrategy, aComboParams(), aCtx(market));

    const intents = run.send(ev.start('100'));

    expect(safetyPlan(aComboParams(), '100')).toEqual([
      { price: '80', qty: '2' },
      { price: '60', qty: '4' },
    ]);
    expect(placed(intents, 'deal1:so:1')).toMatchObject({
      side: 'buy',
      price: '80',
      qty: '2',
      orderType: 'limit',
    });
    expect(placed(intents, 'deal1:so:2')).toMatchObject({ side: 'buy', price: '60', qty: '4' });
    expect(intents).toContainEqual({
      type: 'setLeverage',
      ...{ leverage: '2', marginMode: 'isolated', margin: 'isolatedWallet', wallet: '300' },
    });
    expect(
      comboStrategy.validate(aComboParams(), market, '100').filter((i) => i.severity !== 'warning'),
    ).toEqual([]);
    expect(
      comboStrategy.validate(aComboParams({ investment: '299' }), market, '100').map((i) => i.code),
    ).toContain('combo-margin');
  });

  it('C2: after the base fill places four reduce-only exits of 0.5 at 105/110/115/120; the trailing stop is at 55', () => {
    const run = started();

    expect(exitOrders(run.log)).toEqual([
      ['105', '0.5'],
      ['110', '0.5'],
      ['115', '0.5'],
      ['120', '0.5'],
    ]);
    expect(places(run.log).find((p) => p.role === 'exit')?.reduceOnly).toBe(true);
    expect(run.wake?.below).toBe('55');
  });

  it('C3: SO1 at 80 gives position 4 @90, a new ladder 94.5/99/103.5/108 of 1.0 each and LP_now 15.1658291457', () => {
    const run = new Runner(comboStrategy, aComboParams(), aCtx(market));
    run.send(ev.start('100'));
    fill(run, 'deal1:base', '100', '2');

    const intents = fill(run, 'deal1:so:1', '80', '2');
    const deal = run.state.deal!;

    expect([deal.position, deal.avg]).toEqual(['4', '90']);
    expect(intents.filter((i) => i.type === 'cancel').map((i) => (i.type === 'cancel' ? i.key : ''))).toEqual(
      ['deal1:exit:1', 'deal1:exit:2', 'deal1:exit:3', 'deal1:exit:4'],
    );
    expect(exitOrders(intents)).toEqual([
      ['94.5', '1'],
      ['99', '1'],
      ['103.5', '1'],
      ['108', '1'],
    ]);
    close(
      liquidationPrice(sub('300', deal.fees), { qty: deal.position, entryPrice: deal.avg }, { mmr: '0.005' }),
      '15.1658291457',
    );
  });

  it('C4: the 94.5 exit realises 4.5 gross, 4.3155 net of its fee and the allocated entry fees, and re-buys 1.0 @90', () => {
    const run = started(true);
    const feesBefore = run.state.deal!.fees;

    const intents = fill(run, 'deal1:exit:1', '94.5', '1');
    const deal = run.state.deal!;
    const sellFee = sub(deal.fees, feesBefore);

    expect(deal.realized).toBe('4.5');
    close(sub(sub(deal.realized, sellFee), mul('1', div(feesBefore, '4'))), '4.3155');
    expect(placed(intents, 'deal1:re:1')).toMatchObject({
      side: 'buy',
      price: '90',
      qty: '1',
      role: 'entry',
    });
    expect([deal.position, deal.avg]).toEqual(['3', '90']);
  });

  it('C5: the re-entry at 90 restores only the 94.5 rung; position 4 @90', () => {
    const run = started(true);
    fill(run, 'deal1:exit:1', '94.5', '1');

    const intents = fill(run, 'deal1:re:1', '90', '1');

    expect(exitOrders(intents)).toEqual([['94.5', '1']]);
    expect([run.state.deal!.position, run.state.deal!.avg]).toEqual(['4', '90']);
  });

  it('C6 and C7: the rally to 108 completes the deal for 48.5505 net, the peak lifts the stop to 59.4, and a new deal starts at 108', () => {
    const run = started(true);
    fill(run, 'deal1:exit:1', '94.5', '1');
    fill(run, 'deal1:re:1', '90', '1');

    fill(run, 'deal1:exit:1', '94.5', '1');
    fill(run, 'deal1:exit:2', '99', '1');
    fill(run, 'deal1:exit:3', '103.5', '1');
    run.send(ev.price('108'));
    expect(run.wake?.below).toBe('59.4');
    const deal = run.state.deal!;
    expect([deal.entryQuote, deal.exitQuote]).toEqual(['450', '391.5']);
    const done = fill(run, 'deal1:exit:4', '108', '1');

    expect(run.last?.roundTrips).toEqual([{ pnl: '48.5505' }]); // gross 49.5 − fees 0.9495
    expect(done).toContainEqual({ type: 'cancel', key: 'deal1:so:2' });
    expect(done.filter((i) => i.type === 'cancel' && i.key.startsWith('deal1:re:')).length).toBe(3);
    expect(placed(done, 'deal2:so:1').price).toBe('86.4');
    expect(placed(done, 'deal2:so:2').price).toBe('64.8');
  });

  it('C7: worst-case liquidation with all SOs filled is 37.7638190955, safely below the stop at 55', () => {
    close(worstLiquidation(aComboParams(), '100', '0.001', '0.005'), '37.7638190955');
    expect(
      comboStrategy
        .validate(aComboParams({ leverage: 20, investment: '30' }), market, '100')
        .map((i) => i.code),
    ).toContain('combo-liq');
  });
});

describe('Combo behaviour', () => {
  it('T12: an SO fill while a re-entry buy rests cancels it and rebuilds the ladder from the new average', () => {
    const run = started();
    fill(run, 'deal1:exit:1', '105', '0.5');

    const intents = fill(run, 'deal1:so:1', '80', '2');

    expect(intents).toContainEqual({ type: 'cancel', key: 'deal1:re:1' });
    const avg = run.state.deal!.avg;
    close(avg, div('310', '3.5')); // 1.5 left @100 plus 2 @80
    close(exitOrders(intents)[0]![0], mul(avg, '1.05'));
  });

  it('T13: rejects stopLoss.trailing false in Bitsgap-compatible layout', () => {
    const params = aComboParams({
      layout: 'bitsgap',
      stepPct: '1',
      levels: 20,
      stopLoss: { trailing: false },
    });

    expect(comboStrategy.validate(params, market, '100').map((i) => `${i.path}:${i.code}`)).toContain(
      'stopLoss.trailing:combo-sl-trailing',
    );
  });

  it('closes reduce-only at market and stops when the trailing stop is hit', () => {
    const run = started();
    run.send(ev.price('120'));

    const intents = run.send(ev.price('66'));

    expect(placed(intents, 'deal1:close:0')).toMatchObject({
      orderType: 'market',
      side: 'sell',
      reduceOnly: true,
      qty: '2',
    });
    const done = fill(run, 'deal1:close:0', '66', '2');
    expect(done.at(-1)).toMatchObject({
      type: 'transition',
      to: 'STOPPED',
      reason: 'STOP_LOSS',
      terminal: true,
    });
  });

  it('completes at the bot-level take-profit price', () => {
    const run = new Runner(comboStrategy, aComboParams({ takeProfit: { price: '104' } }), aCtx(market));
    run.send(ev.start('100'));
    fill(run, 'deal1:base', '100', '2');

    const intents = run.send(ev.price('104'));
    const done = fill(run, 'deal1:close:0', '104', '2');

    expect(placed(intents, 'deal1:close:0').reduceOnly).toBe(true);
    expect(done.at(-1)).toMatchObject({ type: 'transition', to: 'COMPLETED', terminal: true });
  });

  it('mirrors prices for SHORT: SOs above, exits below, stop above the trough', () => {
    const run = new Runner(comboStrategy, aComboParams({ direction: 'SHORT' }), aCtx(market));
    run.send(ev.start('100'));
    fill(run, 'deal1:base', '100', '2');

    expect(placed(run.log, 'deal1:so:1')).toMatchObject({ side: 'sell', price: '120' });
    expect(exitOrders(run.log)).toEqual([
      ['95', '0.5'],
      ['90', '0.5'],
      ['85', '0.5'],
      ['80', '0.5'],
    ]);
    expect(run.wake?.above).toBe('145');
  });

  it('lays out Bitsgap lines P0·(1+s)^k: exits above, SOs below, L levels in total', () => {
    const params = aComboParams({
      layout: 'bitsgap',
      stepPct: '1',
      levels: 10,
      lowPrice: '90',
      highPrice: '103',
      safetyOrders: { qty: '1' },
    });

    const sos = safetyPlan(params, '100');

    expect(exitRungs(params, '100', '100').slice(1)).toEqual(['101', '102.01']); // 103.03 is above the range
    expect(sos.length).toBe(8);
    close(sos[0]!.price, '99.00990099');
    expect(
      comboStrategy
        .validate(params, market, '100')
        .filter((i) => i.severity !== 'warning')
        .map((i) => i.code),
    ).not.toContain('combo-bitsgap-limits');
  });
});
