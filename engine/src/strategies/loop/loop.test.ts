import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { PlaceIntent } from '../../kernel/strategy.ts';
import { aMarket, book, distance, moveTo, startSim } from '../shared/test-kit.ts';
import type { Sim } from '../shared/test-kit.ts';
import { loopStrategy, normalizeLoopParams } from './index.ts';
import type { LoopState } from './index.ts';
import { inBounds, slotPrice } from './slots.ts';

/** Example L of grid-family.md §4.7 with overrides. */
const aLoopParams = (overrides: Record<string, unknown> = {}) =>
  normalizeLoopParams({
    entryPrice: '150',
    orderDistancePct: '20',
    latticeMode: 'linear',
    ordersPerSide: 2,
    lowPrice: '50',
    highPrice: '250',
    investment: '1000',
    ...overrides,
  });

const near = (actual: Dec, expected: string, tolerance = 1e-8): void => {
  expect(distance(actual, expected)).toBeLessThan(tolerance);
};
const places = (sim: Sim<LoopState>): PlaceIntent[] =>
  sim.intents.filter((i): i is PlaceIntent => i.type === 'place');
const lastPlace = (sim: Sim<LoopState>): PlaceIntent => places(sim).at(-1)!;
const started = (overrides: Record<string, unknown> = {}, price = '150') =>
  startSim(loopStrategy, aLoopParams(overrides), price);

describe('Loop worked example L (§4.7, Appendix B LOOP)', () => {
  it('L1: slots at 60, 90, 120 below and 180, 210, 240 above are valid; 30 and 270 are not', () => {
    const p = aLoopParams();
    const valid = [-4, -3, -2, -1, 1, 2, 3, 4].filter((k) => inBounds(p, '150', k));

    expect(valid).toEqual([-3, -2, -1, 1, 2, 3]);
    expect(valid.map((k) => slotPrice(p, '150', k))).toEqual(['60', '90', '120', '180', '210', '240']);
  });

  it('L2: starts with 500 USDT buys at 120 and 90 and no market trade', () => {
    const sim = started();

    expect(book(sim)).toEqual(['buy@120 4.166666666666', 'buy@90 5.555555555555']);
    expect(places(sim).every((p) => p.orderType === 'limit')).toBe(true);
  });

  it('L3: the buy at 120 receives 4.1625 and sells it in the nearest sell gap, 180', () => {
    const sim = moveTo(started(), '120');

    near(sim.state.base, '4.1625');
    expect(lastPlace(sim)).toMatchObject({ side: 'sell', key: 'slot:1', price: '180' });
    near(lastPlace(sim).qty!, '4.1625');
  });

  it('L4: the loop closes at 180 for 748.50075, profit 248.50075, and re-buys 500 at 120', () => {
    const sim = moveTo(moveTo(started(), '120'), '180');

    near(sim.state.realized, '248.50075');
    near(sim.state.realizedPool, '248.50075');
    expect(sim.roundTrips.map((t) => t.pnl)).toEqual([sim.state.realized]);
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', key: 'slot:-1', price: '120' });
    near(lastPlace(sim).qty!, '4.1666666667');
  });

  it('L4 variants: reinvesting 100 % buys 6.23750625 (6.2312687438 received), 50 % receives 5.196884371875', () => {
    const full = moveTo(
      moveTo(moveTo(started({ reinvest: { enabled: true, pct: '100' } }), '120'), '180'),
      '120',
    );
    const half = moveTo(
      moveTo(moveTo(started({ reinvest: { enabled: true, pct: '50' } }), '120'), '180'),
      '120',
    );

    near(full.fills.at(-1)!.qty, '6.23750625');
    near(dec(full.state.base).minus(0).toString(), '6.2312687438');
    near(half.state.base, '5.196884371875');
    near(half.state.realizedPool, '124.250375');
  });

  it('L5: a deep dip fills both buys; nearest-first sells 4.1625 at 180 and 5.55 at 210, and 210 books 664.3345', () => {
    const dip = moveTo(started(), '85');
    const up = moveTo(dip, '210');

    expect(book(dip).map((o) => o.split(' ')[0])).toEqual(['sell@210', 'sell@180']);
    near(dip.live['slot:1']!.qty!, '4.1625');
    near(dip.live['slot:2']!.qty!, '5.55');
    near(up.fills.at(-1)!.qty, '5.55');
    near(dec(up.state.realized).toString(), dec('748.50075').minus(500).plus('664.3345').toString());
  });

  it('L6: farthestFromEntry sends the first lot to 210 and the second to 180', () => {
    const dip = moveTo(started({ gapFillOrder: 'farthestFromEntry' }), '85');

    near(dip.live['slot:2']!.qty!, '4.1625');
    near(dip.live['slot:1']!.qty!, '5.55');
  });

  it('L7: split mode sells 1.665 at 180 and 210, and with no buy gap expands down to 60', () => {
    const sim = moveTo(started({ initialMode: 'split' }), '180');

    expect(places(sim)[2]).toMatchObject({ key: 'init', orderType: 'market', quoteAmount: '500' });
    expect(
      places(sim)
        .filter((p) => p.side === 'sell')
        .map((p) => [p.price, p.qty]),
    ).toEqual([
      ['180', '1.665'],
      ['210', '1.665'],
    ]);
    near(sim.state.realized, '49.4003');
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', key: 'slot:-3', price: '60' });
    near(lastPlace(sim).qty!, dec(250).dividedBy(60).toString(), 1e-11);
  });
});

describe('Loop rules', () => {
  it('T8: a slot beyond maxLevels is not created; the funds are parked with LEVEL_CAP_REACHED', () => {
    const sim = moveTo(started({ initialMode: 'split', maxLevels: 4 }), '180');

    expect(sim.state.flags).toContain('LEVEL_CAP_REACHED');
    expect(sim.state.parkedQuote).toEqual(['250']);
    expect(sim.live['slot:-3']).toBeUndefined();
  });

  it('takes profit by PnL % and exits into quote when asked', () => {
    const sim = moveTo(
      moveTo(started({ takeProfit: { pnlPct: '20' }, exitCurrency: 'quote' }), '120'),
      '175',
    );

    expect(sim.intents.at(-1)).toEqual({
      type: 'transition',
      to: 'COMPLETED',
      reason: 'TAKE_PROFIT',
      terminal: true,
    });
    expect(dec(sim.state.base).lessThan('0.000000000001')).toBe(true);
    expect(places(sim).at(-1)).toMatchObject({ key: 'close', side: 'sell', orderType: 'market' });
    near(places(sim).at(-1)!.qty!, '4.1625', 1e-11);
  });

  it('defers buy slots at or above the market until the price trades above them', () => {
    const sim = started({}, '100');
    const later = moveTo(sim, '125');

    expect(book(sim)).toEqual(['buy@90 5.555555555555']);
    expect(later.live['slot:-1']).toMatchObject({ side: 'buy', price: '120' });
  });

  it('rejects distances that cannot profit, bounds that exclude the first slot, and a take profit at the entry', () => {
    const codes = (o: Record<string, unknown>) =>
      loopStrategy.validate(aLoopParams(o), aMarket(), '150').map((i) => i.code);

    expect(codes({})).toEqual([]);
    expect(codes({ orderDistancePct: '0.05' })).toContain('loop-distance');
    expect(codes({ lowPrice: '125' })).toContain('loop-bounds');
    expect(codes({ takeProfit: { price: '150' } })).toContain('loop-tp');
    expect(codes({ investment: '15' })).toContain('order-below-min');
    expect(loopStrategy.validate(aLoopParams({ maxLevels: 4 }), aMarket(), '150')).toEqual([
      expect.objectContaining({ code: 'loop-level-cap', severity: 'warning' }),
    ]);
  });

  it('never buys above the entry nor sells below it, whatever the path (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 40, max: 260 }).map(String), { maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        (path, split, reinvest) => {
          let sim = started({ initialMode: split ? 'split' : 'buyOnly', reinvest: { enabled: reinvest } });
          for (const p of path) sim = moveTo(sim, p);
          return places(sim).every(
            (o) =>
              o.orderType === 'market' ||
              (o.side === 'buy' ? dec(o.price!).lessThan(150) : dec(o.price!).greaterThan(150)),
          );
        },
      ),
    );
  });

  it('continues identically after its state is round-tripped through JSON mid-run', () => {
    const path = ['120', '85', '180', '95', '215'];
    const direct = path.reduce((s, p) => moveTo(s, p), started());
    const half = path.slice(0, 2).reduce((s, p) => moveTo(s, p), started());
    const resumed = path.slice(2).reduce((s, p) => moveTo(s, p), {
      ...half,
      state: JSON.parse(JSON.stringify(half.state)) as LoopState,
    });

    expect(resumed.state).toEqual(direct.state);
    expect(resumed.intents).toEqual(direct.intents);
  });
});
