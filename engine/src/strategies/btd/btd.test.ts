import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec, str, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { PlaceIntent } from '../../kernel/strategy.ts';
import { linePrices } from '../shared/lattice.ts';
import { aMarket, book, distance, moveTo, startSim } from '../shared/test-kit.ts';
import type { Sim } from '../shared/test-kit.ts';
import { btdStrategy, normalizeBtdParams } from './index.ts';
import type { BtdState } from './index.ts';
import { btdLattice } from './params.ts';

/** Example B of grid-family.md §3.7 with overrides. */
const aBtdParams = (overrides: Record<string, unknown> = {}) =>
  normalizeBtdParams({
    layout: 'range',
    lowPrice: '100',
    highPrice: '200',
    gridCount: 4,
    gridMode: 'arithmetic',
    investment: '7.4375',
    trailingDown: { enabled: false },
    ...overrides,
  });

const near = (actual: Dec, expected: string, tolerance = 1e-8): void => {
  expect(distance(actual, expected)).toBeLessThan(tolerance);
};
const places = (sim: Sim<BtdState>): PlaceIntent[] =>
  sim.intents.filter((i): i is PlaceIntent => i.type === 'place');
const lastPlace = (sim: Sim<BtdState>): PlaceIntent => places(sim).at(-1)!;
const started = (overrides: Record<string, unknown> = {}, price = '160') =>
  startSim(btdStrategy, aBtdParams(overrides), price);

describe('BTD worked example B (§3.7, Appendix B BTD)', () => {
  it('B1/B2: leaves 150 empty and sizes the sell unit U = 7.4375 / 3.71875 = 2', () => {
    const sim = started();

    expect(sim.state.unit).toBe('2');
    expect(sim.live['line:2']).toBeUndefined();
  });

  it('B3: market-sells 3.4375 base at 160 for 549.45 and keeps 4 = 2·U for the sells', () => {
    const sim = started();

    expect(places(sim)[0]).toMatchObject({ key: 'init', orderType: 'market', side: 'sell', qty: '3.4375' });
    expect(sim.state.quote).toBe('549.45');
    expect(sim.state.base).toBe('4');
  });

  it('B4/B5: funds the buys as if the sell above had run: 2.4975 at 100 (249.75) and 2.3976 at 125 (299.7)', () => {
    expect(book(started())).toEqual(['sell@200 2', 'sell@175 2', 'buy@125 2.3976', 'buy@100 2.4975']);
  });

  it('B6: a dip to 125 receives 2.3952024, re-sells U = 2 at 150 and keeps 0.3952024 base', () => {
    const sim = moveTo(started(), '125');

    expect(lastPlace(sim)).toMatchObject({ side: 'sell', price: '150', qty: '2' });
    expect(sim.state.realizedBase).toBe('0.3952024');
  });

  it('B7: the sell at 150 brings 299.7 and re-buys 2.3976 at 125, restoring the book', () => {
    const sim = moveTo(moveTo(started(), '125'), '150');

    expect(lastPlace(sim)).toMatchObject({ side: 'buy', price: '125', qty: '2.3976' });
    expect(book(sim)).toEqual(book(started()));
    near(
      dec(sim.state.realizedBase).toString(),
      str(dec(2).times(dec(150).dividedBy(125).times('0.998001').minus(1))),
    );
  });

  it('B8: sell-first at 175 (349.65) then a dip to 150 buys 2.331, receives 2.328669 and keeps 0.328669', () => {
    const up = moveTo(started(), '175');
    const down = moveTo(up, '150');

    expect(lastPlace(up)).toMatchObject({ side: 'buy', price: '150', qty: '2.331' });
    expect(down.state.realizedBase).toBe('0.328669');
    expect(lastPlace(down)).toMatchObject({ side: 'sell', price: '175', qty: '2' });
  });

  it('B9: trailing down at 75 moves the sell at 200 to 100 and lowers the upper stop from 210 to 185', () => {
    const sim = moveTo(
      moveTo(
        started({
          trailingDown: { enabled: true },
          pumpProtection: { enabled: true, maxMovePct: '90' },
          stopLoss: { price: '210' },
        }),
        '100',
      ),
      '75',
    );

    expect(sim.intents).toContainEqual({ type: 'cancel', key: 'line:4' });
    expect(book(sim)).toEqual(['sell@175 2', 'sell@150 2', 'sell@125 2', 'sell@100 2']);
    expect(linePrices(sim.state.lattice!)).toEqual(['75', '100', '125', '150', '175']);
    expect(sim.state.stopLossPrice).toBe('185');
  });

  it('B11: the upper stop at 210 buys back 6.1781014286 base with 1298.7 quote: −1.2593985714 base, STOPPED(STOP_LOSS)', () => {
    const sim = moveTo(started({ stopLoss: { price: '210' } }), '210');

    expect(sim.intents.filter((i) => i.type === 'cancel')).toHaveLength(4);
    expect(places(sim).find((p) => p.key === 'close')).toMatchObject({
      side: 'buy',
      orderType: 'market',
      quoteAmount: '1298.7',
    });
    near(sim.state.base, '6.1781014286');
    near(dec(sim.state.base).minus('7.4375').toString(), '-1.2593985714');
    expect(btdStrategy.phase(sim.state)).toBe('STOPPED(STOP_LOSS)');
  });

  it('B12: the anchored geometric layout puts three dip buys under one sell and nets 0.0978011 base per round trip', () => {
    const investment = str(
      dec(1).plus(dec(100).dividedBy('1.21').plus(dec(100).dividedBy('1.1')).plus(100).dividedBy(100)),
    );
    const params = aBtdParams({
      layout: 'anchored',
      gridMode: 'geometric',
      gridStepPct: '10',
      levelsDown: 3,
      levelsUp: 1,
      investment,
    });
    const sim = moveTo(startSim(btdStrategy, params, '100'), '90.9');

    near(sim.state.unit, '1', 1e-20);
    linePrices(btdLattice(params, '100')).forEach((p, i) =>
      near(p, ['75.131480', '82.644628', '90.909090', '100', '110'][i]!, 1e-6),
    );
    near(places(sim)[0]!.qty!, '2.735537190');
    near(sim.state.realizedBase, '0.0978011');
  });
});

describe('BTD rules', () => {
  it('T7: rejects disabling pump protection while trailing is on', () => {
    const issues = btdStrategy.validate(
      aBtdParams({ trailingDown: { enabled: true }, pumpProtection: { enabled: false } }),
      aMarket(),
      '160',
    );

    expect(issues.map((i) => [i.path, i.code])).toContainEqual([
      'pumpProtection.enabled',
      'btd-pump-protection-required',
    ]);
  });

  it('rejects a stop loss below the start price (BTD stops on the upside)', () => {
    const issues = btdStrategy.validate(aBtdParams({ stopLoss: { price: '150' } }), aMarket(), '160');

    expect(issues.map((i) => i.code)).toEqual(['btd-stop-side']);
    expect(btdStrategy.validate(aBtdParams({ stopLoss: { price: '210' } }), aMarket(), '160')).toEqual([]);
  });

  it('rejects a unit below the market minimum', () => {
    const issues = btdStrategy.validate(aBtdParams({ investment: '0.05' }), aMarket(), '160');

    expect(issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['btd-unit-below-min', 'btd-buy-below-min', 'min-investment']),
    );
  });

  it('never sells more base than it holds and keeps surplus base monotonic (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 60, max: 240 }).map(String), { maxLength: 20 }), (path) => {
        let sim = started({
          trailingDown: { enabled: true },
          pumpProtection: { enabled: false },
          trailingUp: { enabled: true },
        });
        let surplus = sim.state.realizedBase;
        for (const p of path) {
          sim = moveTo(sim, p);
          const sells = sum(
            Object.values(sim.live)
              .filter((o) => o.side === 'sell')
              .map((o) => o.qty!),
          );
          if (dec(sells).greaterThan(sim.state.base) || dec(sim.state.realizedBase).lessThan(surplus))
            return false;
          surplus = sim.state.realizedBase;
        }
        return true;
      }),
    );
  });

  it('continues identically after its state is round-tripped through JSON mid-run', () => {
    const path = ['125', '175', '110', '190', '150'];
    const direct = path.reduce((s, p) => moveTo(s, p), started());
    const half = path.slice(0, 2).reduce((s, p) => moveTo(s, p), started());
    const resumed = path
      .slice(2)
      .reduce((s, p) => moveTo(s, p), { ...half, state: JSON.parse(JSON.stringify(half.state)) as BtdState });

    expect(resumed.state).toEqual(direct.state);
    expect(resumed.intents).toEqual(direct.intents);
  });
});
