import { describe, expect, it } from '@jest/globals';
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { aMarket, book, distance, moveTo, send, startSim } from '../shared/test-kit.ts';
import { aGridParams, lastPlace, places, started } from './grid.fixtures.ts';
import { gridStrategy } from './index.ts';
import type { GridState } from './index.ts';

const near = (actual: Dec, expected: string, tolerance = 1e-8): void => {
  expect(distance(actual, expected)).toBeLessThan(tolerance);
};

describe('grid behaviour beyond the worked example (Appendix B T-cases)', () => {
  it('T1: a start exactly halfway between two lines leaves the upper line empty', () => {
    const sim = started({}, '137.5');

    expect(sim.live['line:2']).toBeUndefined();
    expect(sim.live['line:1']).toMatchObject({ side: 'buy' });
  });

  it('T2: a buy partly filled and then cancelled gets a counter sell for the filled part only', () => {
    let sim = started();
    sim = send(sim, {
      type: 'order',
      ts: 1,
      key: 'line:1',
      status: 'partiallyFilled',
      fill: { price: '125', qty: '1.2', fee: '0.0012', feeAsset: 'BASE', liquidity: 'maker' },
      filled: '1.2',
      amount: '2',
    });
    const afterPartial = sim.intents.length;
    sim = send(sim, { type: 'order', ts: 2, key: 'line:1', status: 'cancelled', filled: '1.2', amount: '2' });

    expect(afterPartial).toBe(started().intents.length);
    expect(lastPlace(sim)).toMatchObject({ side: 'sell', price: '150', qty: '1.1988' });
  });

  it('T3: trailing up is blocked when Q buys less than the minimum quantity; the bot keeps running with a flag', () => {
    const market = aMarket({ limits: { amount: { min: '1.3' }, cost: { min: '10' } } });
    let sim = startSim(
      gridStrategy,
      aGridParams({ trailingUp: { enabled: true }, pumpProtection: { enabled: false } }),
      '140',
      { market },
    );
    sim = moveTo(moveTo(sim, '200'), '225');

    expect(sim.state.flags).toContain('TRAILING_BLOCKED_MIN_QTY');
    expect(sim.intents.filter((i) => i.type === 'cancel')).toEqual([]);
    expect(gridStrategy.phase(sim.state)).toBe('OUT_OF_RANGE_UP');
  });

  it('T4: a pump holds the shift as PAUSED(PUMP_PROTECTION) and the shift runs after the cooldown', () => {
    let sim = started({
      trailingUp: { enabled: true },
      pumpProtection: { enabled: true, windowSec: 60, maxMovePct: '3', cooldownSec: 300 },
    });
    sim = moveTo(sim, '200', 10_000);
    sim = moveTo(sim, '226', 20_000);
    const paused = gridStrategy.phase(sim.state);
    sim = send({ ...sim, ts: 320_000 }, { type: 'timer', ts: 320_000, name: 'pump-release' });

    expect(paused).toBe('PAUSED(PUMP_PROTECTION)');
    expect(sim.intents).toContainEqual({ type: 'cancel', key: 'line:0' });
    expect(sim.state.phase).toBe('OUT_OF_RANGE_UP');
  });

  it('T5: trailing down extends with extra quote until the budget is spent, then flags it', () => {
    const params = {
      trailingDown: { enabled: true, stopPrice: '10', maxExtraQuote: '250' },
      pumpProtection: { enabled: false },
    };
    let sim = moveTo(started(params), '95');
    sim = moveTo(sim, '75');
    const extended = places(sim).filter((p) => p.key.startsWith('trail-down'));
    sim = moveTo(sim, '50');

    expect(extended).toHaveLength(1);
    expect(lastPlace(moveTo(started(params), '75'))).toMatchObject({ side: 'sell', price: '100' });
    expect(sim.state.extraQuoteUsed).toBe('250');
    expect(sim.state.flags).toContain('TRAILING_DOWN_BUDGET_EXHAUSTED');
  });

  it('waits ARMED until the trigger price is crossed and then sizes the grid at the trigger', () => {
    let sim = started({ triggerPrice: '130' }, '140');
    const armed = gridStrategy.phase(sim.state);
    sim = moveTo(sim, '129');

    expect(armed).toBe('ARMED');
    expect(sim.live['line:1']).toBeUndefined();
    expect(book(sim)[0]).toMatch(/^sell@200/);
  });

  it('takes profit at the configured price, selling base and ending COMPLETED', () => {
    const sim = moveTo(started({ takeProfit: { price: '180' } }), '180');

    expect(sim.intents.at(-1)).toEqual({
      type: 'transition',
      to: 'COMPLETED',
      reason: 'TAKE_PROFIT',
      terminal: true,
    });
    expect(dec(sim.state.base).lessThan('0.000000000001')).toBe(true);
    expect(places(sim).find((p) => p.key === 'close')).toMatchObject({ side: 'sell', orderType: 'market' });
  });

  it('prices counter sells at P(j−1)·(1 + s + 2f) with feeCompensated spacing', () => {
    const sim = moveTo(started({ counterSpacing: 'feeCompensated' }), '125');

    expect(lastPlace(sim)).toMatchObject({ side: 'sell', price: '150.25' });
  });

  it('stops on request with the reconciler close action and keeps inventory for keep', () => {
    const sim = send(started(), { type: 'stopRequested', ts: 5, closeAction: 'keep', reason: 'MANUAL' });

    expect(sim.intents.filter((i) => i.type === 'cancel')).toHaveLength(4);
    expect(places(sim).some((p) => p.key === 'close')).toBe(false);
    expect(sim.intents.at(-1)).toEqual({
      type: 'transition',
      to: 'STOPPED',
      reason: 'MANUAL',
      terminal: true,
    });
  });

  it('refuses an edit whose stop loss is already crossed', () => {
    const sim = moveTo(started(), '120');

    expect(
      gridStrategy.immediateExit!(sim.state, aGridParams({ stopLoss: { price: '125' } }), '120'),
    ).toMatch(/already crossed/);
    expect(
      gridStrategy.immediateExit!(sim.state, aGridParams({ stopLoss: { price: '90' } }), '120'),
    ).toBeUndefined();
  });

  it('sizes base mode so each buy receives q net and the counter sells exactly q', () => {
    const sim = moveTo(started({ orderSizeMode: 'base' }), '125');
    const q = sim.state.size;

    near(lastPlace(sim).qty!, q, 1e-11);
    near(
      q,
      dec(1000)
        .dividedBy(dec(225).plus(dec(280).dividedBy('0.999')))
        .toString(),
    );
  });

  it('continues identically after its state is round-tripped through JSON mid-run', () => {
    const path = ['125', '160', '110', '180', '130', '95', '150'];
    const direct = path.reduce((s, p) => moveTo(s, p), started());
    const half = path.slice(0, 3).reduce((s, p) => moveTo(s, p), started());
    const resumed = path.slice(3).reduce((s, p) => moveTo(s, p), {
      ...half,
      state: JSON.parse(JSON.stringify(half.state)) as GridState,
    });

    expect(resumed.intents).toEqual(direct.intents);
    expect(resumed.state).toEqual(direct.state);
  });
});
