import { describe, expect, it } from '@jest/globals';
import type { OrderRequest, OrderSnapshot } from '../../model/orders.ts';
import {
  acknowledgementOf,
  changedSnapshot,
  copyOrder,
  exchangeOrderIdOf,
  integerText,
} from './paper-order.ts';

const aLimit: OrderRequest = {
  clientOrderId: 'c1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  price: '100',
  amount: '0.5',
};

describe('paper order snapshots', () => {
  it('acknowledges a limit order with every field in the venue order, and a market order without a price', () => {
    const { price: _omitted, ...market } = aLimit;

    const limit = acknowledgementOf(aLimit, 'paper-1-1', 1);
    const marketAck = acknowledgementOf({ ...market, type: 'market' }, 'paper-1-2', 1);

    expect(JSON.stringify(limit)).toBe(
      '{"clientOrderId":"c1","exchangeOrderId":"paper-1-1","symbol":"BTC/USDT","side":"buy","type":"limit",' +
        '"price":"100","amount":"0.5","filled":"0","status":"Open","ts":1}',
    );
    expect('price' in marketAck).toBe(false);
  });

  it('changes fill, status and time into a new snapshot equal to a spread of the old one, same key order', () => {
    const before = acknowledgementOf(aLimit, 'paper-1-1', 1);

    const after = changedSnapshot(before, '0.5', 'Filled', 2);

    expect(JSON.stringify(after)).toBe(JSON.stringify({ ...before, filled: '0.5', status: 'Filled', ts: 2 }));
    expect(before.status).toBe('Open');
  });

  it('keeps fields it does not write out (a reason) by spreading such a snapshot', () => {
    const withReason: OrderSnapshot = { ...acknowledgementOf(aLimit, 'paper-1-1', 1), reason: 'restored' };

    const after = changedSnapshot(withReason, '0', 'Cancelled', 3);

    expect(after).toEqual({ ...withReason, status: 'Cancelled', ts: 3 });
  });

  it('copies an order so the copy shares no snapshot with the original', () => {
    const order = { snapshot: acknowledgementOf(aLimit, 'paper-1-1', 1), remaining: '0.5', reserved: '50' };

    const copy = copyOrder(order);
    order.snapshot = changedSnapshot(order.snapshot, '0.5', 'Filled', 2);

    expect(copy.snapshot.status).toBe('Open');
    expect(copy).not.toBe(order);
  });

  it('writes integers as String does, on both sides of the small-integer range', () => {
    const samples = [
      0,
      7,
      2 ** 31 - 1,
      2 ** 31,
      1_620_000_000_000,
      1_620_000_000_001,
      99_999_999,
      1e8,
      2 ** 53 - 1,
      -5,
      1.5,
    ];

    const texts = samples.map(integerText);

    expect(texts).toEqual(samples.map(String));
  });

  it('names an order venue-time-arrival', () => {
    const id = exchangeOrderIdOf('paper', integerText(1_620_000_060_000), 42);

    expect(id).toBe('paper-1620000060000-42');
  });
});
