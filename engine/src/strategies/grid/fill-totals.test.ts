import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { StrategyEvent } from '../../kernel/strategy.ts';
import { withFill } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { aMarket } from '../shared/test-kit.ts';
import { isZero, sub } from '../../core/decimal.ts';
import { pairProfit, singleFillTotals, totalsOf, unfilled } from './fill-totals.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;
type Fill = NonNullable<OrderEvent['fill']>;

const market = aMarket();
const anOrder = (side: 'buy' | 'sell'): LiveOrder => ({
  key: 'line:3',
  line: 3,
  side,
  price: '100',
  qty: '0.5',
  cost: '50',
  filled: '0',
  notional: '0',
  feeBase: '0',
  feeQuote: '0',
});
const filledBy = (fill: Fill): OrderEvent => ({
  type: 'order',
  ts: 1,
  key: 'line:3',
  status: 'filled',
  fill,
  filled: fill.qty,
  amount: fill.qty,
});

const decText = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9_999 }))
  .map(([whole, frac]) => (frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(4, '0')}`));
const aFill = fc.record({
  price: decText,
  qty: decText,
  fee: decText,
  feeAsset: fc.constantFrom('BASE', 'USDT', 'BNB'),
  liquidity: fc.constant('maker' as const),
});

describe('single-fill totals', () => {
  it('equal the totals of the order with the fill accumulated, for either side and any fee asset, asked twice', () => {
    fc.assert(
      fc.property(aFill, fc.constantFrom('buy' as const, 'sell' as const), (fill, side) => {
        const order = anOrder(side);
        const all = totalsOf(withFill(order, filledBy(fill), market));
        // A fill of nothing has no totals: the order ends unfilled and takes the general way.
        const expected = isZero(all.filled) ? undefined : all;
        expect(singleFillTotals(side, filledBy(fill), fill, market)).toEqual(expected);
        // The second ask is answered from memory and must not mix up sides or fee assets.
        expect(singleFillTotals(side, filledBy(fill), fill, market)).toEqual(expected);
      }),
    );
  });

  it('keep a buy and a sell of the same fill apart: a base fee is deducted from a buy and added to a sell', () => {
    const fill: Fill = { price: '100', qty: '2', fee: '0.002', feeAsset: 'BASE', liquidity: 'maker' };
    expect(singleFillTotals('buy', filledBy(fill), fill, market)?.netBase).toBe('1.998');
    expect(singleFillTotals('sell', filledBy(fill), fill, market)?.netBase).toBe('2.002');
    const inQuote: Fill = { ...fill, fee: '0.2', feeAsset: 'USDT' };
    expect(singleFillTotals('buy', filledBy(inQuote), inQuote, market)?.netQuote).toBe('200.2');
    expect(singleFillTotals('sell', filledBy(inQuote), inQuote, market)?.netQuote).toBe('199.8');
  });

  it('are none for a fill of nothing, asked again or not', () => {
    const nothing: Fill = { price: '100', qty: '0.000', fee: '0', feeAsset: 'USDT', liquidity: 'maker' };
    expect(singleFillTotals('buy', filledBy(nothing), nothing, market)).toBeUndefined();
    expect(singleFillTotals('buy', filledBy(nothing), nothing, market)).toBeUndefined();
  });

  it('apply only to an order with nothing filled yet', () => {
    expect(unfilled(anOrder('buy'))).toBe(true);
    expect(unfilled({ ...anOrder('buy'), filled: '0.1', notional: '10' })).toBe(false);
    expect(unfilled({ ...anOrder('buy'), feeQuote: '0.01' })).toBe(false);
  });

  it('give a pair’s profit as sub does, asked again or with the operands the other way round', () => {
    fc.assert(
      fc.property(decText, decText, (proceeds, cost) => {
        expect(pairProfit(proceeds, cost)).toBe(sub(proceeds, cost));
        expect(pairProfit(proceeds, cost)).toBe(sub(proceeds, cost));
        expect(pairProfit(cost, proceeds)).toBe(sub(cost, proceeds));
      }),
    );
  });
});
