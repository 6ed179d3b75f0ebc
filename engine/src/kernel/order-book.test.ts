import { describe, expect, it } from '@jest/globals';
import { decodeClientOrderId } from '../core/ids.ts';
import { BotOrderBook } from './order-book.ts';

describe('bot order book client ids', () => {
  it('gives a (seq, role, idx) slot a fresh attempt once the current one is committed', () => {
    const book = new BotOrderBook('tt', 42);

    const first = book.peekClientOrderId(7, 'grid', 12);
    book.commitClientOrderId(7, 'grid', 12);
    const second = book.peekClientOrderId(7, 'grid', 12);

    expect(decodeClientOrderId(first)).toEqual({ ns: 'tt', bot: 42, seq: 7, role: 'grid', idx: 12, att: 0 });
    expect(decodeClientOrderId(second)?.att).toBe(1);
    expect(book.peekClientOrderId(7, 'takeProfit', 12)).not.toBe(second);
  });

  it('checkpoints used attempts as sorted seq:role:idx names and restores them', () => {
    const book = new BotOrderBook('tt', 42);
    book.commitClientOrderId(12, 'takeProfit', 46_655);
    book.commitClientOrderId(3, 'grid', 0);
    book.commitClientOrderId(3, 'grid', 0);

    const slots = book.attemptSlots();
    const restored = new BotOrderBook('tt', 42);
    restored.restore([], slots);

    expect(slots).toEqual([
      ['12:takeProfit:46655', 1],
      ['3:grid:0', 2],
    ]);
    expect(restored.attemptSlots()).toEqual(slots);
    expect(restored.peekClientOrderId(3, 'grid', 0)).toBe(book.peekClientOrderId(3, 'grid', 0));
  });

  it('refuses a checkpointed attempt slot that is not seq:role:idx', () => {
    expect(() => new BotOrderBook('tt', 42).restore([], [['3:nope:1', 1]])).toThrow(/3:nope:1/);
  });
});
