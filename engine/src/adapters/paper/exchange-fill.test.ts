import { describe, expect, it } from '@jest/globals';
import { mul, sub } from '../../core/decimal.ts';
import type { Fill, OrderRequest } from '../../model/orders.ts';
import { aPaperExchange } from '../../../test/builders.ts';

const aBuy = (id: string, price: string, amount = '0.5'): OrderRequest => ({
  clientOrderId: id,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  price,
  amount,
});

describe('paper exchange fill booking', () => {
  it('a resting buy reached by the path pays amount × limit and frees its whole reservation', async () => {
    const { exchange, market } = aPaperExchange({ balances: { USDT: '1000' } });
    exchange.moveTo('BTC/USDT', '105', 105, true);
    await exchange.createOrder(aBuy('a', '100.25'));

    exchange.moveTo('BTC/USDT', '100', 100);

    const [fill] = await exchange.fetchMyTrades('BTC/USDT');
    const balances = await exchange.fetchBalance();
    expect(fill?.price).toBe('100.25');
    expect(balances['USDT']).toEqual({ free: sub('1000', mul('0.5', '100.25')), used: '0' });
    expect(balances['BTC']).toEqual({ free: sub('0.5', mul('0.5', market.maker)), used: '0' });
  });

  it('a buy the bar opens through pays the gap price, not the reservation, and frees the rest', async () => {
    const { exchange } = aPaperExchange({ balances: { USDT: '1000' } });
    exchange.moveTo('BTC/USDT', '105', 105, true);
    await exchange.createOrder(aBuy('a', '100.25'));

    exchange.moveTo('BTC/USDT', '99', 99, true);

    const balances = await exchange.fetchBalance();
    expect(balances['USDT']).toEqual({ free: sub('1000', mul('0.5', '99')), used: '0' });
  });

  it('a sell pays its fee in quote on the notional, and trades list fills with their ids in order', async () => {
    const { exchange, market } = aPaperExchange({ balances: { USDT: '0', BTC: '1' } });
    const seen: Fill[] = [];
    exchange.subscribe((u) => {
      if (u.type === 'fill') seen.push(u.fill);
    });
    exchange.moveTo('BTC/USDT', '95', 95, true);
    await exchange.createOrder({ ...aBuy('s', '100.5', '0.4'), side: 'sell' });

    exchange.moveTo('BTC/USDT', '101', 101);

    const notional = mul('0.4', '100.5');
    const balances = await exchange.fetchBalance();
    expect(balances['USDT']).toEqual({ free: sub(notional, mul(notional, market.maker)), used: '0' });
    expect(await exchange.fetchMyTrades('BTC/USDT')).toEqual(seen);
    expect(seen.map((f) => f.tradeId)).toEqual(['paper-t1']);
  });
});
