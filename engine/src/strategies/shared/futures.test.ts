import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec, str, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import {
  FLAT,
  applyFill,
  liquidationPrice,
  maintenanceMargin,
  unrealizedPnl,
  worstCaseLiquidation,
} from './futures.ts';
import type { PendingOrder } from './futures.ts';

const bracket = { mmr: '0.005', cum: '0' };
const close = (actual: Dec | undefined, expected: string): void => {
  expect(actual).toBeDefined();
  expect(Math.abs(dec(sub(actual!, expected)).toNumber())).toBeLessThan(1e-8);
};

describe('linear perpetual maths (grid-family §5.3, vectors F1–F5)', () => {
  it('F1: a 5× long grid with both buys filled liquidates at 101.6318841683', () => {
    const start = applyFill(FLAT, 'buy', '140', '19.8').position;
    const pending: PendingOrder[] = [
      { side: 'buy', price: '100', qty: '9.9' },
      { side: 'buy', price: '125', qty: '9.9' },
      { side: 'sell', price: '175', qty: '9.9', reduceOnly: true },
    ];

    const worst = worstCaseLiquidation('997.228', start, pending, 'long', '0.001', bracket);

    expect(worst.position).toEqual({ qty: '39.6', entryPrice: '126.25' });
    expect(worst.walletBalance).toBe('995.0005');
    close(worst.liquidationPrice, '101.6318841683');
  });

  it('F2: a 3× long has LP_now 56.2461465577 and LP_worst 84.7122692588', () => {
    const start = applyFill(FLAT, 'buy', '140', '11.88').position;
    const pending: PendingOrder[] = [
      { side: 'buy', price: '100', qty: '5.94' },
      { side: 'buy', price: '125', qty: '5.94' },
    ];

    close(liquidationPrice('998.3368', start, bracket), '56.2461465577');
    close(
      worstCaseLiquidation('998.3368', start, pending, 'long', '0.001', bracket).liquidationPrice,
      '84.7122692588',
    );
  });

  it('F3: averaging a buy at 125 into 11.88 @140 gives 17.82 @135 and LP 79.4153539865', () => {
    const after = applyFill({ qty: '11.88', entryPrice: '140' }, 'buy', '125', '5.94');

    expect(after.position).toEqual({ qty: '17.82', entryPrice: '135' });
    close(liquidationPrice('997.5943', after.position, bracket), '79.4153539865');
  });

  it('F4: selling 5.94 at 150 from an average of 135 realises 89.1 before fees', () => {
    const after = applyFill({ qty: '17.82', entryPrice: '135' }, 'sell', '150', '5.94');

    expect(after.realizedPnl).toBe('89.1');
    expect(after.position).toEqual({ qty: '11.88', entryPrice: '135' });
  });

  it('F5: neutral worst cases are 248.5696517413 (short) and 50.364321608 (long)', () => {
    const pending: PendingOrder[] = [
      { side: 'buy', price: '100', qty: '8' },
      { side: 'buy', price: '125', qty: '8' },
      { side: 'sell', price: '175', qty: '8' },
      { side: 'sell', price: '200', qty: '8' },
    ];

    close(
      worstCaseLiquidation('1000', FLAT, pending, 'short', '0.001', bracket).liquidationPrice,
      '248.5696517413',
    );
    close(
      worstCaseLiquidation('1000', FLAT, pending, 'long', '0.001', bracket).liquidationPrice,
      '50.364321608',
    );
  });

  it('reports no liquidation for a flat position and 0 for a fully collateralised long', () => {
    expect(liquidationPrice('1000', FLAT, bracket)).toBeUndefined();
    expect(liquidationPrice('2000', { qty: '1', entryPrice: '100' }, bracket)).toBe('0');
  });

  it('flips a long into a short entered at the fill price', () => {
    const after = applyFill({ qty: '2', entryPrice: '100' }, 'sell', '110', '3');

    expect(after.position).toEqual({ qty: '-1', entryPrice: '110' });
    expect(after.realizedPnl).toBe('20');
    expect(after.closedQty).toBe('2');
  });

  it('computes maintenance margin and unrealised PnL for both sides', () => {
    expect(maintenanceMargin('10000', { mmr: '0.004', cum: '10' })).toBe('30');
    expect(unrealizedPnl({ qty: '-2', entryPrice: '100' }, '90')).toBe('20');
    expect(unrealizedPnl({ qty: '2', entryPrice: '100' }, '90')).toBe('-20');
  });

  it('keeps realised plus unrealised PnL equal to the mark-to-market change (property)', () => {
    const price = fc.integer({ min: 50, max: 500 }).map(String);
    const qty = fc.integer({ min: 1, max: 50 }).map(String);
    fc.assert(
      fc.property(
        price,
        qty,
        fc.boolean(),
        price,
        qty,
        fc.boolean(),
        price,
        (p1, q1, b1, p2, q2, b2, mark) => {
          const first = applyFill(FLAT, b1 ? 'buy' : 'sell', p1, q1);
          const second = applyFill(first.position, b2 ? 'buy' : 'sell', p2, q2);
          const cash = dec(q1)
            .times(p1)
            .times(b1 ? -1 : 1)
            .plus(
              dec(q2)
                .times(p2)
                .times(b2 ? -1 : 1),
            );
          const markToMarket = cash.plus(dec(second.position.qty).times(mark));
          const total = dec(second.realizedPnl).plus(unrealizedPnl(second.position, mark));
          return str(markToMarket.minus(total).toDecimalPlaces(20)) === '0';
        },
      ),
    );
  });
});
