import { describe, expect, it } from '@jest/globals';
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { linePrices } from '../shared/lattice.ts';
import { pairProfitFraction } from '../shared/profit.ts';
import type { Book } from '../shared/book.ts';
import { aMarket, book, distance, moveTo, reloaded } from '../shared/test-kit.ts';
import { aGridParams, lastPlace, places, started } from './grid.fixtures.ts';
import { gridStrategy } from './index.ts';
import { gridLattice } from './params.ts';

const near = (actual: Dec, expected: string, tolerance = 1e-8): void => {
  expect(distance(actual, expected)).toBeLessThan(tolerance);
};

describe('grid validation (§2.5)', () => {
  it('rejects inverted ranges, a grid count beyond the 500-line cap and trailing in base mode', () => {
    const codes = (o: Record<string, unknown>) =>
      gridStrategy.validate(aGridParams(o), aMarket(), '140').map((i) => i.code);

    expect(codes({ lowPrice: '250' })).toContain('grid-range-invalid');
    expect(codes({ gridCount: 500, investment: '100000' })).toContain('grid-count-range');
    expect(codes({ orderSizeMode: 'base', trailingUp: { enabled: true } })).toContain(
      'trailing-requires-quote-mode',
    );
    expect(codes({ stopLoss: { price: '150' } })).toContain('stop-levels');
    expect(codes({})).toEqual([]);
  });

  it('rejects lines that collapse onto one tick and intervals that lose money after fees', () => {
    const tight = { lowPrice: '100', highPrice: '100.5', gridCount: 100, investment: '100000' };

    expect(gridStrategy.validate(aGridParams(tight), aMarket(), '100.2').map((i) => i.code)).toEqual(
      expect.arrayContaining(['grid-step-below-tick', 'grid-unprofitable']),
    );
  });

  it('warns, without rejecting, when the narrowest interval nets less than three fees', () => {
    const issues = gridStrategy.validate(
      aGridParams({ highPrice: '100.9', gridCount: 2, investment: '1000' }),
      aMarket(),
      '100.45',
    );

    expect(issues).toEqual([expect.objectContaining({ code: 'grid-low-profit', severity: 'warning' })]);
  });
});

describe('grid worked example G (§2.7, Appendix B GRID)', () => {
  it('G1: four arithmetic intervals over 100..200 give lines 100, 125, 150, 175, 200', () => {
    expect(linePrices(gridLattice(aGridParams()))).toEqual(['100', '125', '150', '175', '200']);
  });

  it('G2/G3/G5: leaves 150 empty, buys 2 at 125 and 2.5 at 100 with Q = 250, sells the split inventory at 175 and 200', () => {
    const sim = started();

    expect(sim.state.size).toBe('250');
    expect(book(sim)).toEqual([
      'sell@200 1.783928571428',
      'sell@175 1.783928571428',
      'buy@125 2',
      'buy@100 2.5',
    ]);
    expect(gridStrategy.phase(sim.state)).toBe('RUNNING');
  });

  it('G4: market-buys 500 USDT at 140 and holds 3.5678571429 base worth 999.50', () => {
    const sim = started();

    expect(places(sim)[0]).toMatchObject({
      orderType: 'market',
      side: 'buy',
      quoteAmount: '500',
      role: 'entry',
    });
    near(sim.state.base, '3.5678571429');
    near(sim.live['line:4']!.qty!, '1.7839285714');
    near(dec(sim.state.base).times(140).plus(sim.state.quote).toString(), '999.5');
  });

  it('G6: a buy filled at 125 receives 1.998 and places the counter sell of 1.998 at 150', () => {
    const sim = moveTo(started(), '125');

    expect(lastPlace(sim)).toMatchObject({ side: 'sell', price: '150', qty: '1.998' });
    expect(sim.live['line:1']).toBeUndefined();
  });

  it('G7: the sell at 150 brings 299.4003, books 49.4003 and re-buys 2 at 125', () => {
    const sim = moveTo(moveTo(started(), '125'), '150');

    expect(sim.state.realized).toBe('49.4003');
    expect(sim.roundTrips).toEqual([{ pnl: '49.4003' }]);
    expect(sim.intents.some((i) => i.type === 'roundTrip')).toBe(false);
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', price: '125', qty: '2' });
    expect(book(sim)).toEqual(book(started()));
  });

  it('G8: net profit per interval is (Ps/Pb)(0.999)² − 1', () => {
    const pct = (b: string, s: string) =>
      dec(pairProfitFraction(b, s, '0.001', 'FEE_IN_RECEIVED_ASSET'))
        .times(100)
        .toString();

    near(pct('100', '125'), '24.750125');
    near(pct('125', '150'), '19.76012');
    near(pct('150', '175'), '16.43345', 1e-5);
    near(pct('175', '200'), '14.0572571', 1e-6);
  });

  it('G9: initial-inventory sells book 61.8753125 at 175 and 106.4289285714 at 200, each re-buying one line down', () => {
    const at175 = moveTo(started(), '175');
    const at200 = moveTo(at175, '200');

    near(at175.state.realized, '61.8753125');
    expect(lastPlace(at175)).toMatchObject({ side: 'buy', price: '150' });
    near(dec(at200.state.realized).minus(at175.state.realized).toString(), '106.4289285714');
    expect(lastPlace(at200)).toMatchObject({ side: 'buy', price: '175' });
  });

  it('continues from a state checkpointed with the book in the earlier keyed-object shape exactly as from the current one', () => {
    const at175 = moveTo(started(), '175');
    const { orders } = at175.state.book;
    const keyed = { ...at175.state.book, orders: Object.fromEntries(orders.map((o) => [o.key, o])) };
    const restored = { ...reloaded(at175), state: { ...at175.state, book: keyed as unknown as Book } };

    const fromKeyed = moveTo(moveTo(restored, '140'), '190');
    const fromCurrent = moveTo(moveTo(at175, '140'), '190');

    expect(fromKeyed.state).toEqual(fromCurrent.state);
    expect(fromKeyed.intents).toEqual(fromCurrent.intents);
    expect(fromKeyed.roundTrips.length).toBeGreaterThan(at175.roundTrips.length);
  });

  it('puts each counter order last in the book, in place of the filled order, the others keeping their order', () => {
    const at175 = moveTo(started(), '175');
    const at150 = moveTo(at175, '150');

    expect(started().state.book.orders.map((o) => o.key)).toEqual(['line:3', 'line:4', 'line:1', 'line:0']);
    expect(at175.state.book.orders.map((o) => o.key)).toEqual(['line:4', 'line:1', 'line:0', 'line:2']);
    expect(at150.state.book.orders.map((o) => o.key)).toEqual(['line:4', 'line:1', 'line:0', 'line:3']);
    expect(at150.state.book.seq).toBe(at175.state.book.seq + 1);
  });

  it('G10: trailing up at 225 cancels the buy at 100, buys 1.25 at 200 and moves the stop loss up 25', () => {
    const sim = moveTo(
      moveTo(
        started({
          trailingUp: { enabled: true },
          stopLoss: { price: '90' },
          pumpProtection: { enabled: false },
        }),
        '200',
      ),
      '225',
    );

    expect(sim.intents).toContainEqual({ type: 'cancel', key: 'line:0' });
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', price: '200', qty: '1.25' });
    expect(linePrices(sim.state.lattice!)).toEqual(['125', '150', '175', '200', '225']);
    expect(sim.state.stopLossPrice).toBe('115');
  });

  it('G10: the next shift at 250 cancels the buy at 125 and buys 1.111… at 225', () => {
    const sim = moveTo(
      moveTo(
        moveTo(started({ trailingUp: { enabled: true }, pumpProtection: { enabled: false } }), '200'),
        '225',
      ),
      '250',
    );

    expect(sim.intents).toContainEqual({ type: 'cancel', key: 'line:1' });
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', price: '225' });
    near(lastPlace(sim).qty!, '1.111111111111');
  });

  it('G11: the geometric variant has r = 1.189207115003 and nets 18.682988998 % on every interval', () => {
    const lattice = gridLattice(aGridParams({ gridMode: 'geometric' }));
    const sim = started({ gridMode: 'geometric' });

    near(lattice.step, '1.189207115003', 1e-11);
    linePrices(lattice).forEach((p, i) =>
      near(p, ['100', '118.9207115', '141.42135624', '168.17928305', '200'][i]!, 1e-7),
    );
    near(
      dec(pairProfitFraction('1', lattice.step, '0.001', 'FEE_IN_RECEIVED_ASSET'))
        .times(100)
        .toString(),
      '18.682988998',
    );
    expect(book(sim).map((o) => o.split(' ')[0])).toEqual([
      'sell@200',
      'sell@168.18',
      'buy@118.92',
      'buy@100',
    ]);
  });

  it('G12: a stop loss at 90 cancels four sells, sells 8.0633571429 base for 724.9764407143 and ends STOPPED(STOP_LOSS)', () => {
    const sim = moveTo(started({ stopLoss: { price: '90' } }), '90');

    const cancels = sim.intents.filter((i) => i.type === 'cancel');
    const close = places(sim).find((p) => p.key === 'close')!;
    expect(cancels).toHaveLength(4);
    near(close.qty!, '8.0633571429');
    near(sim.state.quote, '724.9764407143');
    near(dec(sim.state.quote).minus(1000).toString(), '-275.0235592857');
    expect(sim.intents.at(-1)).toEqual({
      type: 'transition',
      to: 'STOPPED',
      reason: 'STOP_LOSS',
      terminal: true,
    });
    expect(gridStrategy.phase(sim.state)).toBe('STOPPED(STOP_LOSS)');
  });

  it('G13: 1000 USDT passes the 4 × 10 × 2 = 80 minimum and a smaller investment is rejected', () => {
    expect(gridStrategy.validate(aGridParams(), aMarket(), '140')).toEqual([]);
    expect(
      gridStrategy.validate(aGridParams({ investment: '79' }), aMarket(), '140').map((i) => i.code),
    ).toContain('min-investment');
  });
});
