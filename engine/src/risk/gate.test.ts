import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec, type Dec } from '../core/decimal.ts';
import type { MarketInfo } from '../model/market.ts';
import type { OrderRequest } from '../model/orders.ts';
import { basicRiskGate, budgetCheck, minimumsCheck, precisionCheck, type RiskContext } from './gate.ts';

const market = (price: Dec, amount: Dec): MarketInfo => ({
  venue: 'paper',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  type: 'spot',
  precision: { price, amount },
  limits: { amount: { min: '0.0001' }, cost: { min: '5' } },
  maker: '0.001',
  taker: '0.001',
});

const context = (
  request: Partial<OrderRequest>,
  info: MarketInfo,
  free: Partial<RiskContext> = {},
): RiskContext => ({
  request: { clientOrderId: 'c', symbol: info.symbol, side: 'buy', type: 'limit', amount: '1', ...request },
  market: info,
  price: request.price ?? '100',
  freeQuote: '1000000',
  freeBase: '100',
  futures: false,
  leverage: '1',
  positionQty: '0',
  increases: true,
  openOrders: 0,
  feeRate: '0.001',
  role: 'entry',
  ...free,
});

/** Plain decimal text with up to 8 fraction digits, trailing zeros and a sign allowed. */
const plainText = fc
  .tuple(fc.boolean(), fc.nat({ max: 99_999 }), fc.stringMatching(/^[0-9]{0,8}$/))
  .map(
    ([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`,
  );

const steps = fc.constantFrom('1', '0.1', '0.01', '0.001', '0.00001', '0.5', '0.25', '5', '10');

/** The decimal.js answer the precision check must agree with. */
const onStep = (value: Dec, step: Dec): boolean => dec(value).modulo(step).isZero();

describe('basic risk gate', () => {
  it('precision check agrees with decimal modulo for every price and amount text and step', () => {
    fc.assert(
      fc.property(plainText, plainText, steps, steps, (price, amount, tick, lot) => {
        const info = market(tick, lot);
        const denial = precisionCheck.evaluate(context({ price, amount }, info));

        const positive = dec(amount).greaterThan(0);
        const expected = positive && onStep(amount, lot) && onStep(price, tick);
        expect(denial === undefined).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('precision check accepts trailing zeros on a tick and refuses one digit past it', () => {
    const info = market('0.01', '0.001');

    const onTick = precisionCheck.evaluate(context({ price: '100.1000', amount: '0.0010' }, info));
    const pastTick = precisionCheck.evaluate(context({ price: '100.001', amount: '0.001' }, info));
    const pastLot = precisionCheck.evaluate(context({ price: '100.01', amount: '0.0011' }, info));

    expect(onTick).toBeUndefined();
    expect(pastTick).toBe('price 100.001 is not a multiple of tick 0.01');
    expect(pastLot).toBe('amount 0.0011 is not a multiple of lot 0.001');
  });

  it('minimum notional and budget name the exact notional they refused', () => {
    const info = market('0.01', '0.001');

    const small = minimumsCheck.evaluate(context({ price: '4.99', amount: '1' }, info));
    const broke = budgetCheck.evaluate(
      context({ price: '100.01', amount: '0.003' }, info, { freeQuote: '0.3' }),
    );
    const enough = budgetCheck.evaluate(
      context({ price: '100.01', amount: '0.003' }, info, { freeQuote: '0.30003' }),
    );

    expect(small).toBe('notional 4.99 is below the minimum 5');
    expect(broke).toBe('needs 0.30003 USDT, bot has 0.3 free');
    expect(enough).toBeUndefined();
  });

  it('spot budget asks the context whether the order exceeds the free balance when it can tell', () => {
    const info = market('0.01', '0.001');
    const asked: [string, Dec][] = [];
    const tells = (answer: boolean): Partial<RiskContext> => ({
      freeQuote: '0.3',
      freeBase: '0.002',
      exceedsFree: (asset, amount) => {
        asked.push([asset, amount]);
        return answer;
      },
    });

    const buy = budgetCheck.evaluate(context({ price: '100.01', amount: '0.003' }, info, tells(true)));
    const sell = budgetCheck.evaluate(context({ side: 'sell', amount: '0.003' }, info, tells(false)));

    expect(buy).toBe('needs 0.30003 USDT, bot has 0.3 free');
    expect(sell).toBeUndefined();
    expect(asked).toEqual([
      ['quote', '0.30003'],
      ['base', '0.003'],
    ]);
  });

  it('futures budget needs margin plus the taker fee on the notional', () => {
    const info = market('0.01', '0.001');
    const futures = { futures: true, leverage: '10', freeQuote: '10.09' };

    const denial = basicRiskGate().evaluate(context({ price: '1000', amount: '0.1' }, info, futures));
    const allowed = basicRiskGate().evaluate(
      context({ price: '1000', amount: '0.1' }, info, { ...futures, freeQuote: '10.1' }),
    );

    expect(denial).toEqual({
      allow: false,
      check: 'budget',
      reason: 'needs margin 10.1, bot has 10.09 free',
    });
    expect(allowed).toEqual({ allow: true });
  });
});
