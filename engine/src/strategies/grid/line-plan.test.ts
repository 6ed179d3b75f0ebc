import { describe, expect, it } from '@jest/globals';
import { EMPTY_BOOK, placeLimit, placeRounded } from '../shared/book.ts';
import { latticeFromCount } from '../shared/lattice.ts';
import { aMarket } from '../shared/test-kit.ts';
import { aGridParams } from './grid.fixtures.ts';
import { plannedLineBuy, plannedSellPrice } from './line-plan.ts';
import { lineBuy, sellPriceFor } from './state.ts';
import { limitPrice } from '../shared/rounding.ts';

const coarse = aMarket({ precision: { price: '0.5', amount: '0.001' } });
const lattice = latticeFromCount('100', '200', 7, 'geometric');
const quoteMode = {
  params: aGridParams({ gridMode: 'geometric', gridCount: 7 }),
  fee: '0.001',
  size: '142.85',
};

describe('planned line buys', () => {
  it('are placed exactly as placeLimit places the line buy, on every line and when asked again', () => {
    for (let ask = 0; ask < 2; ask++) {
      for (let i = lattice.iMin; i <= lattice.iMax; i++) {
        const planned = plannedLineBuy(quoteMode, lattice, i, coarse);
        expect(planned).toBeDefined();
        expect(placeRounded(EMPTY_BOOK, planned!, 'gone')).toEqual(
          placeLimit(EMPTY_BOOK, lineBuy(quoteMode, lattice, i), coarse, 'gone'),
        );
      }
    }
  });

  it('follow a new order size, fee or market rather than answer from the old plan', () => {
    const before = plannedLineBuy(quoteMode, lattice, 3, coarse)!;
    const compounded = plannedLineBuy({ ...quoteMode, size: '300' }, lattice, 3, coarse)!;
    expect(compounded.qty).toBe(
      placeLimit(EMPTY_BOOK, lineBuy({ ...quoteMode, size: '300' }, lattice, 3), coarse)![1].qty,
    );
    expect(compounded.qty).not.toBe(before.qty);
    const fine = aMarket();
    const onFine = placeLimit(EMPTY_BOOK, lineBuy(quoteMode, lattice, 3), fine)![1];
    expect(plannedLineBuy(quoteMode, lattice, 3, fine)!.price).toBe(onFine.price);
    expect(onFine.price).not.toBe(before.price);
    expect(plannedLineBuy(quoteMode, lattice, 3, coarse)!.price).toBe(before.price);
  });

  it('are undefined when the line buy floors to zero on the lot', () => {
    const tiny = { ...quoteMode, size: '0.01' };
    expect(plannedLineBuy(tiny, lattice, 2, coarse)).toBeUndefined();
    expect(placeLimit(EMPTY_BOOK, lineBuy(tiny, lattice, 2), coarse)).toBeUndefined();
  });

  it('give each line the sell price placeLimit sends, with lattice or fee-compensated spacing', () => {
    for (const counterSpacing of ['lattice', 'feeCompensated']) {
      const state = {
        ...quoteMode,
        params: aGridParams({ gridMode: 'geometric', gridCount: 7, counterSpacing }),
      };
      for (let j = lattice.iMin + 1; j <= lattice.iMax; j++) {
        expect(plannedSellPrice(state, lattice, j, coarse)).toBe(
          limitPrice('sell', sellPriceFor(state, lattice, j), coarse),
        );
      }
    }
    const fine = aMarket();
    const lattice4 = plannedSellPrice(
      { ...quoteMode, params: aGridParams({ gridMode: 'geometric', gridCount: 7 }) },
      lattice,
      4,
      fine,
    );
    const compensated = plannedSellPrice(
      {
        ...quoteMode,
        params: aGridParams({ gridMode: 'geometric', gridCount: 7, counterSpacing: 'feeCompensated' }),
      },
      lattice,
      4,
      fine,
    );
    expect(compensated).not.toBe(lattice4);
  });
});
