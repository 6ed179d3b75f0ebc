/**
 * The exchange port contract: one suite every implementation runs (paper, ccxt on the fake Binance).
 * A harness starts a venue with balances, a last price and fee rates, prints trades (`trade`), and
 * waits until updates for everything so far have reached subscribers (`sync`). Where implementations
 * legitimately differ, the harness declares it as a capability and the expectation follows it.
 */
import { describe, expect, it, afterEach } from '@jest/globals';
import { add, mul, sub, type Dec } from '../../src/core/decimal.ts';
import type { Fill } from '../../src/model/orders.ts';
import { ExchangeRejectedError, type ExchangePort, type ExchangeUpdate } from '../../src/ports/exchange.ts';
import {
  free,
  held,
  limit,
  market,
  nextId,
  SETUP,
  used,
  type ContractSubject,
  type ExchangeHarness,
} from './contract-fixtures.ts';

export type { ContractSubject, ExchangeHarness, HarnessSetup } from './contract-fixtures.ts';

/** The suite: every case starts a fresh venue. */
export function describeExchangeContract(subject: ContractSubject): void {
  describe(`exchange port contract: ${subject.name}`, () => {
    let h: ExchangeHarness | undefined;
    const start = async (): Promise<ExchangeHarness> => (h = await subject.start(SETUP));
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    /** The fee of a fill and its asset, as this venue charges it. */
    const feeOf = (side: 'buy' | 'sell', qty: Dec, price: Dec, rate: Dec): { fee: Dec; asset: string } =>
      side === 'buy' && subject.spotFeeAsset === 'received'
        ? { fee: mul(qty, rate), asset: 'BTC' }
        : { fee: mul(mul(qty, price), rate), asset: 'USDT' };

    const record = (port: ExchangePort): ExchangeUpdate[] => {
      const updates: ExchangeUpdate[] = [];
      port.subscribe((u) => updates.push(u));
      return updates;
    };
    const fillsOf = (updates: ExchangeUpdate[], id: string): Fill[] =>
      updates.flatMap((u) => (u.type === 'fill' && u.fill.clientOrderId === id ? [u.fill] : []));
    const ordersOf = (updates: ExchangeUpdate[], id: string) =>
      updates.flatMap((u) => (u.type === 'order' && u.order.clientOrderId === id ? [u.order] : []));

    it('rests a limit order below the price and lists it in fetchOpenOrders', async () => {
      const { port } = await start();
      const request = limit('buy', '29000.5', '0.01');

      const placed = await port.createOrder(request);

      expect(placed).toEqual(
        expect.objectContaining({
          clientOrderId: request.clientOrderId,
          status: 'Open',
          price: '29000.5',
          amount: '0.01',
          filled: '0',
        }),
      );
      expect(placed.exchangeOrderId).toEqual(expect.any(String));
      const open = await port.fetchOpenOrders(SETUP.symbol);
      expect(open.map((o) => [o.clientOrderId, o.status, o.side, o.price, o.amount])).toEqual([
        [request.clientOrderId, 'Open', 'buy', '29000.5', '0.01'],
      ]);
      expect((await port.fetchOrder(request.clientOrderId, SETUP.symbol))?.status).toBe('Open');
    });

    it('fills a resting limit at its limit price with the maker fee, reported once by fetchMyTrades and once by subscribe', async () => {
      const harness = await start();
      const updates = record(harness.port);
      const request = limit('buy', '29000.5', '0.01');
      await harness.port.createOrder(request);

      await harness.trade('29000');
      await harness.sync();
      await harness.sync();

      const expected = feeOf('buy', '0.01', '29000.5', SETUP.maker);
      const streamed = fillsOf(updates, request.clientOrderId);
      expect(streamed).toEqual([
        expect.objectContaining({
          side: 'buy',
          price: '29000.5',
          qty: '0.01',
          fee: expected.fee,
          feeAsset: expected.asset,
          liquidity: 'maker',
        }),
      ]);
      const listed = (await harness.port.fetchMyTrades(SETUP.symbol)).filter(
        (f) => f.clientOrderId === request.clientOrderId,
      );
      expect(listed).toEqual(streamed);
      expect(ordersOf(updates, request.clientOrderId).map((o) => o.status)).toContain('Filled');
      const final = await harness.port.fetchOrder(request.clientOrderId, SETUP.symbol);
      expect([final?.status, final?.filled]).toEqual(['Filled', '0.01']);
      expect(await harness.port.fetchOpenOrders(SETUP.symbol)).toEqual([]);
    });

    it('does not fill a resting limit when trades stay on the other side of it', async () => {
      const harness = await start();
      const updates = record(harness.port);
      const request = limit('sell', '31000', '0.5');
      await harness.port.createOrder(request);

      await harness.trade('30999.99');
      await harness.sync();

      expect(fillsOf(updates, request.clientOrderId)).toEqual([]);
      expect((await harness.port.fetchOrder(request.clientOrderId, SETUP.symbol))?.status).toBe('Open');
    });

    it('cancels a resting order: the cancel, fetchOrder and subscribers say Cancelled and its funds are free again', async () => {
      const harness = await start();
      const updates = record(harness.port);
      const request = limit('buy', '29000.5', '0.01');
      await harness.port.createOrder(request);

      const cancelled = await harness.port.cancelOrder(request.clientOrderId, SETUP.symbol);
      await harness.sync();

      expect(cancelled.status).toBe('Cancelled');
      expect((await harness.port.fetchOrder(request.clientOrderId, SETUP.symbol))?.status).toBe('Cancelled');
      expect(await harness.port.fetchOpenOrders(SETUP.symbol)).toEqual([]);
      expect(ordersOf(updates, request.clientOrderId).map((o) => o.status)).toEqual(['Cancelled']);
      const balances = await harness.port.fetchBalance();
      expect([free(balances, 'USDT'), used(balances, 'USDT')]).toEqual([SETUP.balances['USDT'], '0']);
    });

    it('answers fetchOrder for a client id it never saw with undefined', async () => {
      const { port } = await start();

      expect(await port.fetchOrder(nextId(), SETUP.symbol)).toBeUndefined();
    });

    it('rejects cancelling an order it never saw as order-not-found', async () => {
      const { port } = await start();

      const outcome = port.cancelOrder(nextId(), SETUP.symbol);

      await expect(outcome).rejects.toBeInstanceOf(ExchangeRejectedError);
      await expect(outcome).rejects.toMatchObject({ code: 'order-not-found' });
    });

    it('reports a filled order as filled when asked to cancel it', async () => {
      const harness = await start();
      const request = limit('buy', '29000.5', '0.01');
      await harness.port.createOrder(request);
      await harness.trade('29000');

      const after = await harness.port.cancelOrder(request.clientOrderId, SETUP.symbol);

      expect([after.status, after.filled]).toEqual(['Filled', '0.01']);
    });

    it('fills a market order at once at the last price as taker', async () => {
      const harness = await start();
      const updates = record(harness.port);
      const request = market('buy', '0.01');

      const placed = await harness.port.createOrder(request);
      await harness.sync();

      expect([placed.status, placed.filled]).toEqual(['Filled', '0.01']);
      const expected = feeOf('buy', '0.01', SETUP.price, SETUP.taker);
      const fills = (await harness.port.fetchMyTrades(SETUP.symbol)).filter(
        (f) => f.clientOrderId === request.clientOrderId,
      );
      expect(fills).toEqual([
        expect.objectContaining({
          price: SETUP.price,
          qty: '0.01',
          fee: expected.fee,
          feeAsset: expected.asset,
          liquidity: 'taker',
        }),
      ]);
      expect(fillsOf(updates, request.clientOrderId)).toEqual(fills);
    });

    it('changes balances by exactly the fill amounts and fees', async () => {
      const harness = await start();
      const buy = limit('buy', '29000.5', '0.01');
      await harness.port.createOrder(buy);
      await harness.trade('29000');
      const sellPrice = '29000';

      await harness.port.createOrder(market('sell', '0.005'));

      const buyFee = feeOf('buy', '0.01', '29000.5', SETUP.maker);
      const sellFee = feeOf('sell', '0.005', sellPrice, SETUP.taker);
      let usdt = sub(
        add(sub(SETUP.balances['USDT']!, mul('0.01', '29000.5')), mul('0.005', sellPrice)),
        sellFee.fee,
      );
      let btc = sub(add(SETUP.balances['BTC']!, '0.01'), '0.005');
      if (buyFee.asset === 'BTC') btc = sub(btc, buyFee.fee);
      else usdt = sub(usdt, buyFee.fee);
      const balances = await harness.port.fetchBalance();
      expect(held(balances, 'USDT')).toEqual({ free: usdt, used: '0' });
      expect(held(balances, 'BTC')).toEqual({ free: btc, used: '0' });
    });

    it('rejects an order the balance cannot pay for with ExchangeRejectedError and changes nothing', async () => {
      const { port } = await start();
      await port.createOrder(limit('sell', '31000', '0.25'));
      const balancesBefore = await port.fetchBalance();
      const openBefore = await port.fetchOpenOrders(SETUP.symbol);
      const request = limit('buy', '29000', '1');

      const outcome = port.createOrder(request);

      await expect(outcome).rejects.toBeInstanceOf(ExchangeRejectedError);
      await expect(outcome).rejects.toMatchObject({ code: 'insufficient-balance' });
      expect(await port.fetchBalance()).toEqual(balancesBefore);
      expect(await port.fetchOpenOrders(SETUP.symbol)).toEqual(openBefore);
      expect(await port.fetchOrder(request.clientOrderId, SETUP.symbol)).toBeUndefined();
    });

    it('rejects a post-only order that would take liquidity and rests one that would not', async () => {
      const { port } = await start();
      const taking = { ...limit('buy', '30100', '0.01'), postOnly: true };
      const resting = { ...limit('buy', '29900', '0.01'), postOnly: true };

      const refused = port.createOrder(taking);
      const placed = await port.createOrder(resting);

      await expect(refused).rejects.toMatchObject({ code: 'post-only-would-take' });
      expect(placed.status).toBe('Open');
      expect((await port.fetchOpenOrders(SETUP.symbol)).map((o) => o.clientOrderId)).toEqual([
        resting.clientOrderId,
      ]);
    });

    it('refuses a second open order with the same client id', async () => {
      const { port } = await start();
      const first = limit('buy', '29000', '0.01');
      await port.createOrder(first);

      const outcome = port.createOrder(limit('buy', '28000', '0.02', first.clientOrderId));

      await expect(outcome).rejects.toMatchObject({ code: 'duplicate-client-order-id' });
      expect((await port.fetchOpenOrders(SETUP.symbol)).map((o) => [o.clientOrderId, o.price])).toEqual([
        [first.clientOrderId, '29000'],
      ]);
    });

    it('keeps quantities, prices, fees and balances as exact decimal text', async () => {
      // 17 significant digits: a double cannot tell this balance from 123456789.12345678.
      const rich = '123456789.12345677';
      const harness = (h = await subject.start({ ...SETUP, balances: { USDT: rich, BTC: '1' } }));
      expect(free(await harness.port.fetchBalance(), 'USDT')).toBe(rich);
      // 0.3 × 10000.1 is 3000.0299999999997 in floats; an exact venue reports 3000.03.
      const a = limit('buy', '10000.1', '0.3');
      const b = limit('buy', '29999.99', '0.00012');

      const placed = [await harness.port.createOrder(a), await harness.port.createOrder(b)];
      const reserved = (await harness.port.fetchBalance())['USDT']?.used;
      await harness.trade('10000');

      expect(placed.map((o) => [o.price, o.amount])).toEqual([
        ['10000.1', '0.3'],
        ['29999.99', '0.00012'],
      ]);
      expect(reserved).toBe(add(mul('0.3', '10000.1'), mul('0.00012', '29999.99')));
      const fills = await harness.port.fetchMyTrades(SETUP.symbol);
      const fillOf = (id: string) => fills.find((f) => f.clientOrderId === id);
      expect([
        fillOf(b.clientOrderId)?.price,
        fillOf(b.clientOrderId)?.qty,
        fillOf(b.clientOrderId)?.fee,
      ]).toEqual(['29999.99', '0.00012', feeOf('buy', '0.00012', '29999.99', SETUP.maker).fee]);
      let usdt = sub(sub(rich, mul('0.3', '10000.1')), mul('0.00012', '29999.99'));
      for (const fee of [
        feeOf('buy', '0.3', '10000.1', SETUP.maker),
        feeOf('buy', '0.00012', '29999.99', SETUP.maker),
      ]) {
        if (fee.asset === 'USDT') usdt = sub(usdt, fee.fee);
      }
      expect(free(await harness.port.fetchBalance(), 'USDT')).toBe(usdt);
    });
  });
}
