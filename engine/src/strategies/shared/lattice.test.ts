import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec, str } from '../../core/decimal.ts';
import { NO_PUMP, observePrice, pumpBlocks } from './pump.ts';
import {
  assignSides,
  comparePrices,
  latticeFromCount,
  latticeFromStepPct,
  linePrices,
  nearestLine,
  priceAt,
  shifted,
} from './lattice.ts';
import { mergeWakes, stopWake, triggeredStop } from './stops.ts';

const g = latticeFromCount('100', '200', 4, 'arithmetic');

describe('lattice (grid-family §1.1, §1.2)', () => {
  it('snaps the top down onto the lattice in step mode', () => {
    const lattice = latticeFromStepPct('100', '200', '10');

    expect(lattice.iMax).toBe(7);
    expect(priceAt(lattice, 7)).toBe('194.87171');
  });

  it('keeps an exact top line for a geometric ratio with a non-terminating root', () => {
    expect(priceAt(latticeFromCount('100', '200', 3, 'geometric'), 3)).toBe('200');
    expect(priceAt(latticeFromCount('100', '200', 3, 'arithmetic'), 3)).toBe('200');
  });

  it('clamps out-of-range prices to the end lines and gives the other lines one side (§1.2)', () => {
    expect(assignSides(g, '250')).toEqual({ empty: 4, buys: [0, 1, 2, 3], sells: [] });
    expect(assignSides(g, '50')).toEqual({ empty: 0, buys: [], sells: [1, 2, 3, 4] });
  });

  it('breaks exact ties towards the upper line and otherwise picks the nearer one', () => {
    expect(nearestLine(g, '112.5')).toBe(1);
    expect(nearestLine(g, '112.49')).toBe(0);
    expect(nearestLine(g, '187.5')).toBe(4);
  });

  it('keeps line prices when the lattice shifts; only the index window moves', () => {
    const moved = shifted(g, -2);

    expect(linePrices(moved)).toEqual(['50', '75', '100', '125', '150']);
    expect(priceAt(moved, 3)).toBe(priceAt(g, 3));
  });
});

describe('line prices and price comparison (remembered and fast paths)', () => {
  const aLattice = fc
    .record({
      low: fc.integer({ min: 1, max: 90_000 }),
      pct: fc.integer({ min: 1, max: 400 }),
      count: fc.integer({ min: 2, max: 60 }),
      arithmetic: fc.boolean(),
    })
    .map(({ low, pct, count, arithmetic }) =>
      latticeFromCount(
        String(low),
        str(
          dec(low)
            .times(100 + pct)
            .dividedBy(100),
        ),
        count,
        arithmetic ? 'arithmetic' : 'geometric',
      ),
    );

  it('gives each line the price its formula gives, whatever lattices and copies were asked before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(aLattice, fc.integer({ min: -80, max: 120 })), { maxLength: 30 }),
        (asks) => {
          for (const [lattice, i] of asks) {
            const step = dec(lattice.step);
            const raw =
              lattice.mode === 'arithmetic'
                ? dec(lattice.anchor).plus(step.times(i))
                : dec(lattice.anchor).times(step.pow(i));
            const formula = str(raw.toSignificantDigits(28));
            const copy = JSON.parse(JSON.stringify(shifted(lattice, 3))) as typeof lattice;

            expect([priceAt(lattice, i), priceAt(copy, i), priceAt(lattice, i)]).toEqual([
              formula,
              formula,
              formula,
            ]);
          }
        },
      ),
    );
  });

  it('orders prices exactly as decimals do, also where doubles cannot tell them apart', () => {
    const digits = fc.bigInt({ min: 0n, max: 10n ** 30n });
    const aPrice = fc
      .tuple(digits, fc.integer({ min: 0, max: 28 }))
      .map(([units, scale]) => str(dec(units.toString()).dividedBy(dec(10).pow(scale))));
    const nearPair = fc
      .tuple(aPrice, fc.integer({ min: 18, max: 30 }), fc.integer({ min: -3, max: 3 }))
      .map(([a, at, by]) => [a, str(dec(a).plus(dec(by).times(dec(10).pow(-at))))] as const);

    fc.assert(
      fc.property(fc.oneof(fc.tuple(aPrice, aPrice), nearPair), ([a, b]) => {
        expect(comparePrices(a, b)).toBe(dec(a).comparedTo(b));
      }),
    );
  });
});

describe('stop rules and wake-ups (§1.9)', () => {
  const rules = [
    { when: 'priceBelow', level: '90', reason: 'STOP_LOSS', outcome: 'STOPPED' },
    { when: 'priceAbove', level: '220', reason: 'TAKE_PROFIT', outcome: 'COMPLETED' },
    { when: 'pnlAbove', level: '25', reason: 'TAKE_PROFIT', outcome: 'COMPLETED' },
  ] as const;

  it('fires the first matching rule by price or by PnL', () => {
    expect(triggeredStop(rules, '90')?.reason).toBe('STOP_LOSS');
    expect(triggeredStop(rules, '150', '26')?.outcome).toBe('COMPLETED');
    expect(triggeredStop(rules, '150', '10')).toBeUndefined();
  });

  it('asks to be woken at the tightest levels on each side and the earliest timer', () => {
    expect(stopWake(rules)).toEqual({ below: '90', above: '220' });
    expect(
      mergeWakes(
        { below: '90', above: '220' },
        { below: '95', at: { ts: 5, name: 'a' } },
        { at: { ts: 3, name: 'b' } },
      ),
    ).toEqual({ below: '95', above: '220', at: { ts: 3, name: 'b' } });
    expect(mergeWakes(undefined, {})).toBeUndefined();
  });
});

describe('pump protection (§1.10d)', () => {
  const config = { enabled: true, windowSec: 60, maxMovePct: '3', cooldownSec: 300 };

  it('fires on a 3 % move within the window and blocks until the cooldown has passed', () => {
    const calm = observePrice(observePrice(NO_PUMP, config, 0, '100'), config, 30_000, '102');
    const pumped = observePrice(calm, config, 40_000, '103');

    expect(pumpBlocks(calm, config, 30_000)).toBe(false);
    expect(pumpBlocks(pumped, config, 40_000)).toBe(true);
    expect(pumpBlocks(pumped, config, 339_999)).toBe(true);
    expect(pumpBlocks(pumped, config, 340_000)).toBe(false);
  });

  it('measures the move against the price at the start of the window, not older samples', () => {
    let state = NO_PUMP;
    for (const [ts, price] of [
      [0, '100'],
      [30_000, '101'],
      [95_000, '103.5'],
    ] as const)
      state = observePrice(state, config, ts, price);

    expect(pumpBlocks(state, config, 95_000)).toBe(false);
    expect(state.samples[0]).toEqual({ ts: 30_000, price: '101' });
  });
});
