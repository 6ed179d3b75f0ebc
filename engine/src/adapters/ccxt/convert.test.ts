import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { str } from '../../core/decimal.ts';
import { findMarket } from '../../markets/venues.ts';
import { ccxtMarketId, exactDec, toBalances, toCcxtMarket, toSnapshot, venueClientId } from './convert.ts';

const anOrder = (overrides: Record<string, unknown> = {}) => ({
  id: '42',
  clientOrderId: 'tt0000100001b0010',
  symbol: 'BTC/USDT',
  type: 'limit',
  side: 'buy',
  price: '29000.50000000',
  amount: '0.01000000',
  filled: '0.00000000',
  status: 'open',
  timestamp: 1,
  ...overrides,
});

describe('exact decimals from ccxt', () => {
  it('canonicalises venue decimal text', () => {
    expect([
      exactDec('0.01000000', 'f'),
      exactDec('29000.50000000', 'f'),
      exactDec('0.00000000', 'f'),
    ]).toEqual(['0.01', '29000.5', '0']);
  });

  it('recovers the decimal text of any float with at most 15 significant digits', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
        fc.integer({ min: 0, max: 20 }),
        (mantissa, scale) => {
          const text = str(`${mantissa}e-${scale}`);

          expect(exactDec(Number(text), 'f')).toBe(text);
        },
      ),
    );
  });

  it('refuses a float whose exact text is lost, naming the field', () => {
    expect(() => exactDec(0.1 + 0.2, 'order 7 amount')).toThrow(/order 7 amount: float 0.30000000000000004/);
    expect(() => exactDec(undefined, 'trade 3 fee')).toThrow(/trade 3 fee/);
  });
});

describe('ccxt orders as snapshots', () => {
  it.each([
    ['open', '0', 'Open'],
    ['open', '0.004', 'PartiallyFilled'],
    ['closed', '0.01', 'Filled'],
    ['canceled', '0.004', 'Cancelled'],
    ['expired', '0', 'Expired'],
    ['rejected', '0', 'Rejected'],
  ])('maps ccxt status %p with filled %p to %p', (status, filled, expected) => {
    expect(toSnapshot(anOrder({ status, filled }), 'tt0000100001b0010', 5).status).toBe(expected);
  });

  it('keeps no price on market orders (Binance reports 0)', () => {
    const snapshot = toSnapshot(anOrder({ type: 'market', price: '0.00000000' }), 'x', 5);

    expect('price' in snapshot).toBe(false);
  });

  it('takes the order own client id from a Binance cancel answer, not the cancel request id', () => {
    const answer = anOrder({ clientOrderId: 'cancel42', info: { origClientOrderId: 'tt0000100001b0010' } });

    expect(venueClientId(answer)).toBe('tt0000100001b0010');
  });

  it('leaves out assets with nothing in them', () => {
    const balances = toBalances({
      free: { BTC: '0.5', ETH: '0', USDT: '0' },
      used: { BTC: '0', ETH: '0', USDT: '2' },
    });

    expect(balances).toEqual({ BTC: { free: '0.5', used: '0' }, USDT: { free: '0', used: '2' } });
  });
});

describe('shipped markets as ccxt markets', () => {
  it('uses the venue market id and tick sizes', () => {
    const binance = toCcxtMarket(findMarket('binance', 'BTC/USDT')!);

    expect([binance['id'], binance['precision']]).toEqual(['BTCUSDT', { price: 0.01, amount: 0.00001 }]);
    expect(ccxtMarketId(findMarket('okx', 'ETH/USDT')!)).toBe('ETH-USDT');
  });
});
