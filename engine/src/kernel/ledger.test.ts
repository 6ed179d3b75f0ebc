import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { add, dec, gt, mul, sub } from '../core/decimal.ts';
import type { Fill } from '../model/orders.ts';
import { BotLedger } from './ledger.ts';

const fill = (side: 'buy' | 'sell', price: string, qty: string, fee = '0', feeAsset = 'USDT'): Fill => ({
  tradeId: `t-${side}-${price}-${qty}`,
  clientOrderId: 'c',
  ts: 0,
  side,
  price,
  qty,
  fee,
  feeAsset,
  liquidity: 'maker',
});

describe('bot ledger', () => {
  it('spot: buys spend quote and receive base net of a base fee; sells the reverse net of a quote fee', () => {
    const ledger = new BotLedger({ futures: false, quote: '1000', baseAsset: 'BTC', quoteAsset: 'USDT' });

    const buy = ledger.applyFill(fill('buy', '100', '2', '0.002', 'BTC'));
    const sell = ledger.applyFill(fill('sell', '110', '1', '0.11'));

    expect([ledger.quote, ledger.base]).toEqual(['909.89', '0.998']);
    expect([buy.feeQuote, sell.feeQuote]).toEqual(['0.2', '0.11']);
    expect(ledger.equity('110')).toBe('1019.67');
    expect(ledger.equityF(110)).toBeCloseTo(1019.67, 9);
  });

  it('futures: a fill larger than the position flips it, releasing the old margin with the realised PnL and posting new margin', () => {
    const ledger = new BotLedger({
      futures: true,
      quote: '1000',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      mmr: '0.004',
    });
    ledger.setLeverage('10');
    ledger.applyFill(fill('buy', '100', '1'));

    const flip = ledger.applyFill(fill('sell', '110', '3'));

    expect(flip.realizedPnl).toBe('10');
    expect(ledger.position).toEqual({ qty: '-2', entryPrice: '110' });
    expect([ledger.margin, ledger.quote]).toEqual(['22', '988']);
    expect(ledger.equity('110')).toBe('1010');
    expect(ledger.liquidation).toBe(dec('242').dividedBy('2.008').toFixed());
  });

  it('futures: funding is paid from the isolated margin (shorts receive a positive rate) and moves the liquidation price', () => {
    const ledger = new BotLedger({
      futures: true,
      quote: '1000',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      mmr: '0.004',
    });
    ledger.setLeverage('10');
    ledger.applyFill(fill('sell', '100', '2'));
    const before = ledger.liquidation!;

    const paid = ledger.applyFunding('100', '0.0001');

    expect(paid).toBe('0.02');
    expect(ledger.margin).toBe('20.02');
    expect(dec(ledger.liquidation!).greaterThan(before)).toBe(true);
  });

  it('spot: reservations hold back free quote and free base, and the strategy view shows the same free amounts', () => {
    const ledger = new BotLedger({
      futures: false,
      quote: '1000',
      base: '2',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
    });

    const buy = ledger.reserveNotional('buy', '0.5', mul('0.5', '100.01'), true);
    const sell = ledger.reserveNotional('sell', '0.75', mul('0.75', '120'), true);
    const held = [ledger.freeQuote('buy'), ledger.freeBase(), ledger.view('110')];
    ledger.release('buy', buy);
    ledger.release('sell', '0');

    expect([buy, sell]).toEqual(['50.005', '0.75']);
    expect(held).toEqual([
      '949.995',
      '1.25',
      { quote: '949.995', base: '1.25', reservedQuote: '50.005', reservedBase: '0.75' },
    ]);
    expect([ledger.freeQuote('buy'), ledger.freeBase()]).toEqual(['1000', '1.25']);
    expect(ledger.view('110')).toEqual({
      quote: '1000',
      base: '1.25',
      reservedQuote: '0',
      reservedBase: '0.75',
    });
  });

  it('spot: a sell fill pays the quote fee out of the proceeds, exactly', () => {
    const ledger = new BotLedger({
      futures: false,
      quote: '0.1',
      base: '0.3',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
    });

    const effect = ledger.applyFill(fill('sell', '0.3', '0.1', '0.00003'));

    expect([ledger.quote, ledger.base, effect.feeQuote]).toEqual(['0.12997', '0.2', '0.00003']);
    expect([ledger.quoteF, ledger.baseF]).toEqual([0.12997, 0.2]);
  });

  it('futures: the view shows the unrealised PnL at its own mark, unchanged by later fills and marks', () => {
    const ledger = new BotLedger({ futures: true, quote: '1000', baseAsset: 'BTC', quoteAsset: 'USDT' });
    ledger.setLeverage('5');
    ledger.applyFill(fill('buy', '100', '2'));

    const liquidation = ledger.liquidation;
    const at110 = ledger.view('110');
    const again = ledger.view('110');
    const at90 = ledger.view('90');
    ledger.applyFill(fill('sell', '120', '1'));
    const afterSell = ledger.view('90');

    expect(again).toBe(at110);
    expect(at110.position).toEqual({
      qty: '2',
      entryPrice: '100',
      leverage: '5',
      margin: '40',
      liquidationPrice: liquidation,
      unrealizedPnl: '20',
    });
    expect(liquidation).toBeDefined();
    expect([at90.position?.unrealizedPnl, afterSell.position?.unrealizedPnl]).toEqual(['-20', '-10']);
    expect(at110.position?.unrealizedPnl).toBe('20');
  });

  it('futures: a flat position shows zero PnL at every mark, and a new position shows it at the current mark', () => {
    const ledger = new BotLedger({ futures: true, quote: '1000', baseAsset: 'BTC', quoteAsset: 'USDT' });
    ledger.setLeverage('5');

    const flatAt100 = ledger.view('100');
    const flatAt120 = ledger.view('120');
    ledger.applyFill(fill('sell', '120', '1'));
    const shortAt110 = ledger.view('110');

    expect([flatAt100.position?.unrealizedPnl, flatAt120.position?.unrealizedPnl]).toEqual(['0', '0']);
    expect(flatAt120.position?.qty).toBe('0');
    expect(shortAt110.position).toMatchObject({ qty: '-1', entryPrice: '120', unrealizedPnl: '10' });
  });

  it('spot: balances, free amounts and float shadows follow plain decimal arithmetic over any fills', () => {
    const amount = fc
      .tuple(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 8 }))
      .map(([units, places]) => dec(units).dividedBy(dec(10).pow(places)).toFixed());
    const aFill = fc.tuple(fc.boolean(), amount, amount, amount, fc.constantFrom('BTC', 'USDT', 'BNB'));
    fc.assert(
      fc.property(fc.array(aFill, { maxLength: 25 }), amount, (fills, reserve) => {
        const ledger = new BotLedger({
          futures: false,
          quote: '12345.678',
          baseAsset: 'BTC',
          quoteAsset: 'USDT',
        });
        let [quote, base] = ['12345.678', '0'];
        ledger.reserveNotional('buy', '1', reserve, true);
        for (const [buy, price, qty, fee, feeAsset] of fills) {
          ledger.applyFill(fill(buy ? 'buy' : 'sell', price, qty, fee, feeAsset));
          quote = buy ? sub(quote, mul(price, qty)) : add(quote, mul(price, qty));
          base = buy ? add(base, qty) : sub(base, qty);
          if (feeAsset === 'BTC') base = sub(base, fee);
          if (feeAsset === 'USDT') quote = sub(quote, fee);
        }

        expect([ledger.quote, ledger.base, ledger.reservedQuote]).toEqual([
          quote,
          base,
          dec(reserve).toFixed(),
        ]);
        expect([ledger.quoteF, ledger.baseF]).toEqual([Number(quote), Number(base)]);
        expect(ledger.freeQuote('buy')).toBe(sub(quote, reserve));
        expect(ledger.exceedsFree('buy', 'quote', reserve)).toBe(gt(reserve, sub(quote, reserve)));
        expect(ledger.exceedsFree('sell', 'base', reserve)).toBe(gt(reserve, base));
        expect(ledger.view(undefined)).toEqual({
          quote: sub(quote, reserve),
          base,
          reservedQuote: reserve,
          reservedBase: '0',
        });
      }),
      { numRuns: 200 },
    );
  });
});
