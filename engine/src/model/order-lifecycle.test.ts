import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canTransition, nextStates, TERMINAL_ORDER_STATES } from './order-lifecycle.ts';
import type { OrderStatus } from './orders.ts';

const ALL: OrderStatus[] = [
  'Intent',
  'PendingSubmit',
  'Open',
  'PartiallyFilled',
  'Filled',
  'Cancelled',
  'Expired',
  'Rejected',
  'Unknown',
  'Lost',
  'NotPlaced',
];

describe('order lifecycle transition table', () => {
  it('never leaves a terminal state', () => {
    for (const s of TERMINAL_ORDER_STATES) expect(nextStates(s)).toEqual([]);
  });

  it('resolves Unknown only by lookup outcomes, never back to Intent or PendingSubmit', () => {
    expect(canTransition('Unknown', 'PendingSubmit')).toBe(false);
    expect(canTransition('Unknown', 'Intent')).toBe(false);
    expect(canTransition('Unknown', 'Filled')).toBe(true);
    expect(canTransition('Unknown', 'NotPlaced')).toBe(true);
  });

  it('requires a write-ahead PendingSubmit before an order can be open', () => {
    expect(canTransition('Intent', 'Open')).toBe(false);
    expect(canTransition('Intent', 'PendingSubmit')).toBe(true);
  });

  it('every random walk through the table ends in a terminal state or stays live (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (choices) => {
        let state: OrderStatus = 'Intent';
        for (const c of choices) {
          const options = nextStates(state);
          if (options.length === 0) break;
          const next = options[c % options.length]!;
          if (!canTransition(state, next)) return false;
          state = next;
        }
        return (
          ALL.includes(state) && (TERMINAL_ORDER_STATES.has(state) ? nextStates(state).length === 0 : true)
        );
      }),
    );
  });
});
