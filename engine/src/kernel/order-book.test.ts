import { describe, expect, it, jest } from '@jest/globals';
import { ClientOrderIdEncoder, decodeClientOrderId, encodeClientOrderId } from '../core/ids.ts';
import { ManualClock } from '../core/clock.ts';
import { BotOrderBook, TradeIds } from './order-book.ts';

describe('bot order book client ids', () => {
  it('gives a (seq, role, idx) slot a fresh attempt once the current one is committed', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));

    const first = book.peekClientOrderId(7, 'grid', 12);
    book.commitClientOrderId(7, 'grid', 12);
    const second = book.peekClientOrderId(7, 'grid', 12);

    expect(decodeClientOrderId(first)).toEqual({ ns: 'tt', bot: 42, seq: 7, role: 'grid', idx: 12, att: 0 });
    expect(decodeClientOrderId(second)?.att).toBe(1);
    expect(book.peekClientOrderId(7, 'takeProfit', 12)).not.toBe(second);
  });

  it('checkpoints used attempts as sorted seq:role:idx names and restores them', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    book.commitClientOrderId(12, 'takeProfit', 46_655);
    book.commitClientOrderId(3, 'grid', 0);
    book.commitClientOrderId(3, 'grid', 0);

    const slots = book.attemptSlots();
    const restored = new BotOrderBook('tt', 42, new ManualClock(0));
    restored.restore([], slots);

    expect(slots).toEqual([
      ['12:takeProfit:46655', 1],
      ['3:grid:0', 2],
    ]);
    expect(restored.attemptSlots()).toEqual(slots);
    expect(restored.peekClientOrderId(3, 'grid', 0)).toBe(book.peekClientOrderId(3, 'grid', 0));
  });

  it('refuses a checkpointed attempt slot that is not seq:role:idx', () => {
    expect(() => new BotOrderBook('tt', 42, new ManualClock(0)).restore([], [['3:nope:1', 1]])).toThrow(
      /3:nope:1/,
    );
  });
});

describe('bot order book fills', () => {
  const aRecord = (book: BotOrderBook) =>
    book.add({
      key: 'grid:3',
      clientOrderId: 'tt00abc00001g0030',
      role: 'grid',
      idx: 3,
      request: {
        clientOrderId: 'tt00abc00001g0030',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        price: '100',
        amount: '3',
      },
      reserved: '300',
    });

  it('ignores a duplicate fill update, whether it repeats the first trade or a later one', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    const record = aRecord(book);

    const applied = [
      book.addFill(record, 't1', '1'),
      book.addFill(record, 't1', '1'),
      book.addFill(record, 't2', '0.5'),
      book.addFill(record, 't3', '0.25'),
      book.addFill(record, 't2', '0.5'),
      book.addFill(record, 't1', '1'),
    ];

    expect(applied).toEqual([true, false, true, true, false, false]);
    expect(record.filled).toBe('1.75');
    expect([...record.tradeIds]).toEqual(['t1', 't2', 't3']);
  });

  it('counts a whole fill as the amount and sums every fill after the first', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    const record = aRecord(book);

    book.addFill(record, 't1', '3');
    expect(record.filled).toBe('3');
    book.addFill(record, 't2', '3');
    expect(record.filled).toBe('6');
    const { role, idx, request, reserved } = record;
    const written = { ...request, amount: '3.0' };
    const other = book.add({
      key: 'grid:5',
      clientOrderId: 'tt00abc00001g0050',
      role,
      idx,
      request: written,
      reserved,
    });
    book.addFill(other, 't9', '3.0');
    expect(other.filled).toBe('3');
  });

  it('keeps the trade ids of each order apart, a filled one from those not yet filled', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    const first = aRecord(book);
    const { role, idx, request, reserved } = first;
    const second = book.add({
      key: 'grid:4',
      clientOrderId: 'tt00abc00001g0040',
      role,
      idx,
      request,
      reserved,
    });

    book.addFill(first, 't1', '1');

    expect([...first.tradeIds]).toEqual(['t1']);
    expect([...second.tradeIds]).toEqual([]);
    expect(book.addFill(second, 't1', '1')).toBe(true);
    expect([...aRecord(new BotOrderBook('tt', 43, new ManualClock(0))).tradeIds]).toEqual([]);
  });

  it('keeps trade ids like a set: insertion order, no repeats, restorable from a list', () => {
    const ids = TradeIds.of(['b', 'a', 'b', 'c', 'a']);

    expect([...ids]).toEqual(['b', 'a', 'c']);
    expect(ids.has('c')).toBe(true);
    expect(ids.has('d')).toBe(false);
    expect([...new TradeIds()]).toEqual([]);
    expect(new TradeIds().has('')).toBe(false);
  });
});

describe('bot order book client ids, remembered', () => {
  it('gives the same ids as a fresh book, attempt after attempt, across slots', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    const order: [number, 'grid' | 'takeProfit', number][] = [];
    for (let i = 0; i < 80; i++) order.push([1 + (i % 2), i % 3 === 0 ? 'takeProfit' : 'grid', i % 5]);

    const ids = order.map(([seq, role, idx]) => {
      const id = book.peekClientOrderId(seq, role, idx);
      book.commitClientOrderId(seq, role, idx);
      return id;
    });

    const used = new Map<string, number>();
    const expected = order.map(([seq, role, idx]) => {
      const slot = `${seq}:${role}:${idx}`;
      const att = used.get(slot) ?? 0;
      used.set(slot, att + 1);
      return encodeClientOrderId({ ns: 'tt', bot: 42, seq, role, idx, att: att % 36 });
    });
    expect(ids).toEqual(expected);
  });

  it('refuses an out-of-range idx even after the slot it would alias was used', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    // (1, stop, 46 656) has the slot number of (1, close, 0), the role after stop.
    book.peekClientOrderId(1, 'close', 0);

    expect(() => book.peekClientOrderId(1, 'stop', 46_656)).toThrow(RangeError);
    expect(() => book.peekClientOrderId(1, 'grid', 0.5)).toThrow(RangeError);
  });

  it('a peek that is not committed does not use up its attempt', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    const first = book.peekClientOrderId(1, 'grid', 3);
    book.peekClientOrderId(1, 'grid', 4);
    book.commitClientOrderId(1, 'grid', 4);

    expect(book.peekClientOrderId(1, 'grid', 3)).toBe(first);
    book.commitClientOrderId(1, 'grid', 3);
    expect(decodeClientOrderId(book.peekClientOrderId(1, 'grid', 3))?.att).toBe(1);
  });

  it('continues a restored slot at its next attempt, also when its seq is the highest used', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    book.restore([], [['9:grid:1', 2]]);

    expect(decodeClientOrderId(book.peekClientOrderId(9, 'grid', 1))?.att).toBe(2);
    expect(decodeClientOrderId(book.peekClientOrderId(10, 'grid', 1))?.att).toBe(0);
  });

  it('encodes the id of a peek that was not committed once, however often it is asked for again', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    const encode = jest.spyOn(ClientOrderIdEncoder.prototype, 'encode');
    try {
      const denied = book.peekClientOrderId(5, 'grid', 1);
      book.peekClientOrderId(5, 'grid', 2);
      book.commitClientOrderId(5, 'grid', 2);

      expect(book.peekClientOrderId(5, 'grid', 1)).toBe(denied);
      expect(book.peekClientOrderId(5, 'grid', 1)).toBe(denied);
      expect(encode).toHaveBeenCalledTimes(2);
    } finally {
      encode.mockRestore();
    }
  });

  it('counts and checkpoints the attempts of slots first used under a new seq like any other', () => {
    const book = new BotOrderBook('tt', 42, new ManualClock(0));
    for (const seq of [20, 21, 22]) {
      book.peekClientOrderId(seq, 'grid', 1);
      book.commitClientOrderId(seq, 'grid', 1);
    }

    expect(decodeClientOrderId(book.peekClientOrderId(21, 'grid', 1))?.att).toBe(1);
    book.commitClientOrderId(21, 'grid', 1);
    expect(book.attemptSlots()).toEqual([
      ['20:grid:1', 1],
      ['21:grid:1', 2],
      ['22:grid:1', 1],
    ]);
  });
});
