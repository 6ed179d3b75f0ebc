import { describe, expect, it } from '@jest/globals';
import { dec } from '../core/decimal.ts';
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
});
