/**
 * The ccxt adapter against the fake Binance venue: outcomes the contract suite cannot provoke on
 * paper — a create that times out after the venue accepted it, throttling, an unavailable venue — and
 * the polling subscription's own rules.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../src/core/clock.ts';
import type { OrderRequest } from '../../src/model/orders.ts';
import type { ExchangeUpdate } from '../../src/ports/exchange.ts';
import {
  ExchangeRejectedError,
  ExchangeTransientError,
  ExchangeUnknownError,
} from '../../src/ports/exchange.ts';
import { startCcxtOnFake, type CcxtOnFake, type CcxtOnFakeOptions } from './ccxt-harness.ts';

let h: CcxtOnFake | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(overrides: Partial<CcxtOnFakeOptions> = {}): Promise<CcxtOnFake> {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  h = await startCcxtOnFake({ balances: { USDT: '10000', BTC: '1' }, price: '30000', clock, ...overrides });
  return h;
}

const buy = (clientOrderId: string, price = '29000'): OrderRequest => ({
  clientOrderId,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  price,
  amount: '0.01',
});

describe('ccxt adapter: unknown outcomes are resolved by lookup, never by resending', () => {
  it('classifies a create that timed out after the venue accepted it as Unknown, and fetchOrder then finds the one order', async () => {
    const { exchange, fake } = await start({ timeoutMs: 300 });
    fake.failNext('timeout');

    const outcome = exchange.createOrder(buy('tt0000100001b0010'));

    await expect(outcome).rejects.toBeInstanceOf(ExchangeUnknownError);
    const found = await exchange.fetchOrder('tt0000100001b0010', 'BTC/USDT');
    expect([found?.status, found?.price, found?.amount]).toEqual(['Open', '29000', '0.01']);
    expect(fake.ordersWithClientId('tt0000100001b0010')).toHaveLength(1);
    expect(fake.requests.get('POST /api/v3/order')).toBe(1);
  });
});

describe('ccxt adapter: error classes', () => {
  it('classifies a 429 as transient with the venue Retry-After, and nothing is placed', async () => {
    const { exchange, fake } = await start({ retryAfterSec: 7 });
    const before = await exchange.fetchBalance();
    fake.failNext('rate-limit');

    const outcome = exchange.createOrder(buy('tt0000100001b0011'));

    await expect(outcome).rejects.toBeInstanceOf(ExchangeTransientError);
    await expect(outcome).rejects.toMatchObject({ retryAfterMs: 7000 });
    expect(fake.ordersWithClientId('tt0000100001b0011')).toEqual([]);
    expect(await exchange.fetchBalance()).toEqual(before);
  });

  it('classifies an unavailable venue (503) as transient', async () => {
    const { exchange, fake } = await start();
    fake.failNext('unavailable');

    await expect(exchange.createOrder(buy('tt0000100001b0012'))).rejects.toBeInstanceOf(
      ExchangeTransientError,
    );
    expect(fake.ordersWithClientId('tt0000100001b0012')).toEqual([]);
  });

  it('classifies Binance -2010 insufficient balance as a definite rejection', async () => {
    const { exchange, fake } = await start();
    fake.failNext('insufficient-balance');

    const outcome = exchange.createOrder(buy('tt0000100001b0013'));

    await expect(outcome).rejects.toBeInstanceOf(ExchangeRejectedError);
    await expect(outcome).rejects.toMatchObject({ code: 'insufficient-balance' });
  });

  it('classifies Binance spot -1004 server busy on a create as Unknown, by ccxt spot error table', async () => {
    const { exchange, fake } = await start();
    fake.failNext('busy');

    await expect(exchange.createOrder(buy('tt0000100001b0017'))).rejects.toBeInstanceOf(ExchangeUnknownError);
  });

  it('classifies a read that timed out as transient: it changed nothing', async () => {
    const { exchange, fake } = await start({ timeoutMs: 300 });
    fake.failNext('timeout', 'GET /api/v3/account');

    await expect(exchange.fetchBalance()).rejects.toBeInstanceOf(ExchangeTransientError);
  });
});

describe('ccxt adapter: subscribe polls on the injected schedule', () => {
  const fills = (updates: ExchangeUpdate[]) => updates.flatMap((u) => (u.type === 'fill' ? [u.fill] : []));

  it('polls only while someone listens', async () => {
    const { exchange, running } = await start();

    const stopA = exchange.subscribe(() => undefined);
    const stopB = exchange.subscribe(() => undefined);
    const whileSubscribed = running();
    stopA();
    const afterOne = running();
    stopB();

    expect([whileSubscribed, afterOne, running()]).toEqual([1, 1, 0]);
  });

  it('names the engine client id on fills of orders another adapter instance placed', async () => {
    const { exchange, fake, another, tick } = await start();
    const updates: ExchangeUpdate[] = [];
    exchange.subscribe((u) => updates.push(u));
    await another().createOrder(buy('tt0000100001b0014'));

    fake.trade('BTC/USDT', '28999');
    await tick();

    expect(fills(updates).map((f) => [f.clientOrderId, f.price, f.liquidity])).toEqual([
      ['tt0000100001b0014', '29000', 'maker'],
    ]);
  });

  it('reports a failed poll to onPollError and delivers the fill on the next poll', async () => {
    const { exchange, fake, tick, pollErrors } = await start();
    const updates: ExchangeUpdate[] = [];
    exchange.subscribe((u) => updates.push(u));
    await exchange.createOrder(buy('tt0000100001b0015'));
    fake.trade('BTC/USDT', '28999');
    fake.failNext('rate-limit', 'GET /api/v3/myTrades');

    await tick();
    const afterFailure = fills(updates).length;
    await tick();

    expect(pollErrors.map((e) => e.name)).toEqual(['ExchangeTransientError']);
    expect([afterFailure, fills(updates).length]).toEqual([0, 1]);
  });

  it('streams only fills from the time of subscribing on; older ones stay in fetchMyTrades', async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const { exchange, fake, tick } = await start({ clock });
    await exchange.createOrder(buy('tt0000100001b0016'));
    fake.trade('BTC/USDT', '28999');
    clock.advance(60_000);
    const updates: ExchangeUpdate[] = [];

    exchange.subscribe((u) => updates.push(u));
    await tick();

    expect(fills(updates)).toEqual([]);
    expect((await exchange.fetchMyTrades('BTC/USDT')).map((f) => f.clientOrderId)).toEqual([
      'tt0000100001b0016',
    ]);
  });
});

describe('fake Binance venue', () => {
  it('refuses signed requests without the API key header, like Binance (-2014)', async () => {
    const { fake } = await start();

    const response = await fetch(`${fake.url}/api/v3/account?timestamp=1&signature=abc`);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: -2014, msg: 'API-key format invalid.' });
  });
});
