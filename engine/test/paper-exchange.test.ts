import { describe, expect, it } from '@jest/globals';
import type { ExchangeUpdate } from '../src/ports/exchange.ts';
import { ExchangeRejectedError } from '../src/ports/exchange.ts';
import type { OrderRequest } from '../src/model/orders.ts';
import { aPaperExchange } from './builders.ts';

function order(overrides: Partial<OrderRequest>): OrderRequest {
  return {
    clientOrderId: 'tt00001000010e0000',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    price: '100',
    amount: '1',
    ...overrides,
  };
}

function recorder(exchange: { subscribe(l: (u: ExchangeUpdate) => void): () => void }): ExchangeUpdate[] {
  const updates: ExchangeUpdate[] = [];
  exchange.subscribe((u) => updates.push(u));
  return updates;
}

const fills = (updates: ExchangeUpdate[]) => updates.flatMap((u) => (u.type === 'fill' ? [u.fill] : []));

describe('paper exchange fill model (DESIGN §6.1)', () => {
  it('fills a resting limit buy at its limit price when the path reaches it, as maker, fee in the received base', async () => {
    const { exchange } = aPaperExchange();
    const updates = recorder(exchange);
    exchange.moveTo('BTC/USDT', '110', 110, true);
    await exchange.createOrder(order({ price: '100', amount: '2' }));

    exchange.moveTo('BTC/USDT', '100.01', 100.01);
    expect(fills(updates)).toHaveLength(0);
    exchange.moveTo('BTC/USDT', '100', 100);

    expect(fills(updates)).toEqual([
      expect.objectContaining({ price: '100', qty: '2', fee: '0.002', feeAsset: 'BTC', liquidity: 'maker' }),
    ]);
    expect((await exchange.fetchOrder('tt00001000010e0000', 'BTC/USDT'))?.status).toBe('Filled');
  });

  it('fills at the open price when the bar opens through the order', async () => {
    const { exchange } = aPaperExchange();
    const updates = recorder(exchange);
    exchange.moveTo('BTC/USDT', '110', 110, true);
    await exchange.createOrder(order({ price: '100' }));

    exchange.moveTo('BTC/USDT', '95.5', 95.5, true);

    expect(fills(updates).map((f) => f.price)).toEqual(['95.5']);
  });

  it('fills a limit sell from the quote fee side: fee is taken from the received quote', async () => {
    const { exchange } = aPaperExchange();
    const updates = recorder(exchange);
    exchange.moveTo('BTC/USDT', '100', 100, true);
    await exchange.createOrder(order({ side: 'sell', price: '120', amount: '0.5' }));

    exchange.moveTo('BTC/USDT', '121', 121);

    expect(fills(updates)).toEqual([
      expect.objectContaining({ price: '120', qty: '0.5', fee: '0.06', feeAsset: 'USDT' }),
    ]);
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toEqual({ free: '10059.94', used: '0' });
    expect(balance['BTC']).toEqual({ free: '0.5', used: '0' });
  });

  it('fills market orders at the path price moved against them by slippageBps, on the tick, as taker', async () => {
    const { exchange } = aPaperExchange({ slippageBps: 10, takerFeeRate: '0.002' });
    const updates = recorder(exchange);
    exchange.moveTo('BTC/USDT', '50000.05', 50000.05, true);

    const { price: _limit, ...marketBuy } = order({ type: 'market', amount: '0.1' });
    await exchange.createOrder(marketBuy);
    await exchange.createOrder(
      order({ clientOrderId: 'tt00001000010x0000', side: 'sell', type: 'market', amount: '0.1' }),
    );

    const [buy, sell] = fills(updates);
    // 50000.05 × 1.001 = 50050.05005 → ceil to 0.01 for a buy; × 0.999 = 49950.04995 → floor for a sell.
    expect(buy).toEqual(
      expect.objectContaining({ price: '50050.06', liquidity: 'taker', fee: '0.0002', feeAsset: 'BTC' }),
    );
    expect(sell).toEqual(
      expect.objectContaining({ price: '49950.04', liquidity: 'taker', fee: '9.990008', feeAsset: 'USDT' }),
    );
  });

  it('fills a marketable limit at once at the current price as taker, never worse than its limit', async () => {
    const { exchange } = aPaperExchange();
    const updates = recorder(exchange);
    exchange.moveTo('BTC/USDT', '100', 100, true);

    await exchange.createOrder(order({ price: '105' }));

    expect(fills(updates)).toEqual([expect.objectContaining({ price: '100', liquidity: 'taker' })]);
  });

  it('caps a fill at the volume participation share of the bar and leaves the rest resting', async () => {
    const { exchange } = aPaperExchange({ volumeCapPct: 10 });
    const updates = recorder(exchange);
    exchange.moveTo('BTC/USDT', '110', 110, true);
    await exchange.createOrder(order({ price: '100', amount: '0.5' }));

    exchange.beginBar('BTC/USDT', 2);
    exchange.moveTo('BTC/USDT', '99', 99);

    expect(fills(updates).map((f) => f.qty)).toEqual(['0.2']);
    expect((await exchange.fetchOrder('tt00001000010e0000', 'BTC/USDT'))?.status).toBe('PartiallyFilled');
    expect(exchange.nextTrigger('BTC/USDT', 99, 90)).toBeNaN();
  });

  it('rejects an order the account cannot pay for and one with a client id that is already open', async () => {
    const { exchange } = aPaperExchange({ balances: { USDT: '50' } });
    exchange.moveTo('BTC/USDT', '110', 110, true);

    await expect(exchange.createOrder(order({ amount: '1' }))).rejects.toThrow(ExchangeRejectedError);
    await exchange.createOrder(order({ amount: '0.1' }));
    await expect(exchange.createOrder(order({ amount: '0.1' }))).rejects.toThrow(/already open/);
  });

  it('releases the reservation when an order is cancelled', async () => {
    const { exchange } = aPaperExchange({ balances: { USDT: '100' } });
    exchange.moveTo('BTC/USDT', '110', 110, true);
    await exchange.createOrder(order({ amount: '0.9' }));
    expect((await exchange.fetchBalance())['USDT']).toEqual({ free: '10', used: '90' });

    const cancelled = await exchange.cancelOrder('tt00001000010e0000', 'BTC/USDT');

    expect(cancelled.status).toBe('Cancelled');
    expect((await exchange.fetchBalance())['USDT']).toEqual({ free: '100', used: '0' });
  });
});
