import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec, str, type Dec } from '../../core/decimal.ts';
import type { Fill } from '../../model/orders.ts';
import { aMarket } from '../../../test/builders.ts';
import { PaperBalances } from './balances.ts';

const market = aMarket();

const aFill = (side: 'buy' | 'sell', price: Dec, qty: Dec, fee: Dec, feeAsset: string): Fill => ({
  tradeId: `t-${qty}`,
  clientOrderId: 'c',
  ts: 0,
  side,
  price,
  qty,
  fee,
  feeAsset,
  liquidity: 'maker',
});

/** Decimal text with up to `places` fraction digits, from an integer count of the smallest unit. */
const units = (count: number, places: number): Dec => str(dec(count).dividedBy(dec(10).pow(places)));

describe('paper balances', () => {
  it('a whole fill releases the whole reservation and books notional and received-asset fee exactly', () => {
    const balances = new PaperBalances({ USDT: '1000', BTC: '0' });
    const reserved = balances.reserve(market, 'buy', '0.003', '30123.45', false);

    const left = balances.settle(
      market,
      aFill('buy', '30123.45', '0.003', '0.000003', 'BTC'),
      reserved,
      '0.003',
    );

    expect([reserved, left]).toEqual(['90.37035', '0']);
    expect(balances.snapshot()).toEqual({
      BTC: { free: '0.002997', used: '0' },
      USDT: { free: '909.62965', used: '0' },
    });
  });

  it('partial fills release their share of the reservation and the last one leaves none, for any split', () => {
    const lots = fc.integer({ min: 2, max: 5_000 });
    const cents = fc.integer({ min: 1, max: 10_000_000 });
    fc.assert(
      fc.property(lots, cents, fc.integer({ min: 1, max: 4_999 }), (amountLots, priceCents, cut) => {
        const amount = units(amountLots, 5);
        const price = units(priceCents, 2);
        const first = units(Math.min(cut, amountLots - 1), 5);
        const rest = str(dec(amount).minus(first));
        const balances = new PaperBalances({ USDT: '1000000000', BTC: '0' });
        const reserved = balances.reserve(market, 'buy', amount, price, false);

        const afterFirst = balances.settle(market, aFill('buy', price, first, '0', 'BTC'), reserved, amount);
        const afterRest = balances.settle(market, aFill('buy', price, rest, '0', 'BTC'), afterFirst, rest);

        expect(afterFirst).toBe(str(dec(reserved).minus(dec(reserved).times(first).dividedBy(amount))));
        expect(afterRest).toBe('0');
        expect(balances.snapshot()['USDT']).toEqual({
          free: str(dec('1000000000').minus(dec(amount).times(price))),
          used: '0',
        });
        expect(balances.snapshot()['BTC']).toEqual({ free: amount, used: '0' });
      }),
      { numRuns: 300 },
    );
  });

  it('a sell pays its quote fee from the proceeds and gives back the reserved base', () => {
    const balances = new PaperBalances({ USDT: '0', BTC: '1' });
    const reserved = balances.reserve(market, 'sell', '0.4', '100', false);

    balances.settle(market, aFill('sell', '100.5', '0.4', '0.0402', 'USDT'), reserved, '0.4');

    expect(balances.snapshot()).toEqual({
      BTC: { free: '0.6', used: '0' },
      USDT: { free: '40.1598', used: '0' },
    });
  });

  it('reserves up to exactly the free balance and refuses a unit more, naming what is free', () => {
    const balances = new PaperBalances({ USDT: '100', BTC: '0' });
    balances.reserve(market, 'buy', '0.5', '100', false);

    const exact = balances.reserve(market, 'buy', '0.5', '100', false);
    const more = (): Dec => balances.reserve(market, 'buy', '0.00001', '100', false);

    expect(exact).toBe('50');
    expect(more).toThrow('paper: buy 0.00001 BTC/USDT needs 0.001 USDT, 0 free');
    expect(balances.snapshot()['USDT']).toEqual({ free: '0', used: '100' });
  });

  it('a zero fee leaves the fee asset untouched and still lists it', () => {
    const balances = new PaperBalances({ USDT: '100' });
    const reserved = balances.reserve(market, 'buy', '0.5', '100', false);

    balances.settle(market, aFill('buy', '100', '0.5', '0', 'BTC'), reserved, '0.5');

    expect(balances.snapshot()).toEqual({
      BTC: { free: '0.5', used: '0' },
      USDT: { free: '50', used: '0' },
    });
  });

  it('books the fee from the asset it is paid in, for either side and either fee asset', () => {
    const amounts = fc.integer({ min: 1, max: 10_000_000 }).map((n) => units(n, 5));
    const prices = fc.integer({ min: 1, max: 10_000_000 }).map((n) => units(n, 2));
    const fees = fc.integer({ min: 0, max: 100_000 }).map((n) => units(n, 8));
    const sides = fc.constantFrom<'buy' | 'sell'>('buy', 'sell');
    fc.assert(
      fc.property(amounts, prices, fees, sides, fc.boolean(), (qty, price, fee, side, inQuote) => {
        const start = { USDT: '1000000000.123', BTC: '1000.000001' };
        const balances = new PaperBalances(start);
        const reserved = balances.reserve(market, side, qty, price, false);
        const feeAsset = inQuote ? 'USDT' : 'BTC';

        balances.settle(market, aFill(side, price, qty, fee, feeAsset), reserved, qty);

        const sign = side === 'buy' ? 1 : -1;
        const usdt = dec(start.USDT).minus(dec(qty).times(price).times(sign));
        const btc = dec(start.BTC).plus(dec(qty).times(sign));
        const free = balances.snapshot();
        expect(free['USDT']?.free).toBe(str(inQuote ? usdt.minus(fee) : usdt));
        expect(free['BTC']?.free).toBe(str(inQuote ? btc : btc.minus(fee)));
      }),
      { numRuns: 300 },
    );
  });
});
