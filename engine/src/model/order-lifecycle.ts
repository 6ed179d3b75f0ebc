/** The one transition table for the order lifecycle (strategies/dca-twap-risk.md §8.3). */
import type { OrderStatus } from './orders.ts';

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  Intent: ['PendingSubmit', 'Rejected'],
  PendingSubmit: ['Open', 'PartiallyFilled', 'Filled', 'Rejected', 'Unknown', 'Cancelled', 'Expired'],
  Open: ['PartiallyFilled', 'Filled', 'Cancelled', 'Expired', 'Unknown'],
  PartiallyFilled: ['PartiallyFilled', 'Filled', 'Cancelled', 'Expired', 'Unknown'],
  Unknown: [
    'Open',
    'PartiallyFilled',
    'Filled',
    'Cancelled',
    'Expired',
    'Rejected',
    'Unknown',
    'Lost',
    'NotPlaced',
  ],
  Lost: ['Open', 'PartiallyFilled', 'Filled', 'Cancelled', 'Expired'],
  Filled: [],
  Cancelled: [],
  Expired: [],
  Rejected: [],
  NotPlaced: [],
};

/** Terminal states: no further fills can arrive through the normal lifecycle. */
export const TERMINAL_ORDER_STATES: ReadonlySet<OrderStatus> = new Set([
  'Filled',
  'Cancelled',
  'Expired',
  'Rejected',
  'NotPlaced',
]);

/** True when an order may move from `from` to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states reachable from `from` in one step. */
export function nextStates(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}
