/** Grid run state (plain JSON data) and the pricing and sizing rules every part of the grid shares. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Book } from '../shared/book.ts';
import { priceAt } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import type { PumpState } from '../shared/pump.ts';
import type { PendingExit } from '../shared/spot-exit.ts';
import type { GridParams } from './params.ts';

/** A spot grid run. */
export interface GridState {
  readonly params: GridParams;
  /** NEW, ARMED, INITIALIZING, RUNNING, PAUSED, OUT_OF_RANGE_UP/DOWN, STOPPING, STOPPED, COMPLETED, ERROR. */
  readonly phase: string;
  readonly reason?: string;
  readonly lattice?: Lattice;
  /** Fee fraction per side used for planning (fills report the real fee). */
  readonly fee: Dec;
  /** `Q`, quote per buy (quote mode), or `q`, base per order (base mode). */
  readonly size: Dec;
  readonly book: Book;
  /** The bot's own holdings, from its fills. `quote` starts at the investment. */
  readonly base: Dec;
  readonly quote: Dec;
  /** Quote taken from outside the investment by trailing down (§1.10c). */
  readonly extraQuoteUsed: Dec;
  readonly realized: Dec;
  /** Realised profit not yet folded into `size` by compounding. */
  readonly profitPool: Dec;
  readonly roundTrips: number;
  /** Lines waiting for the initial market buy to fill. */
  readonly pendingStart?: { readonly buys: readonly number[]; readonly sells: readonly number[] };
  /** The trigger is crossed when price rises to it (true) or falls to it (false). */
  readonly armedAbove?: boolean;
  readonly lastPrice?: Dec;
  /** Current stop-loss price (moves with trailing up when `trailStopLoss`). */
  readonly stopLossPrice?: Dec;
  readonly pump: PumpState;
  /** Sticky status flags, e.g. `TRAILING_BLOCKED_MIN_QTY` (Appendix B T3, T5). */
  readonly flags: readonly string[];
  readonly exit?: PendingExit;
  readonly nextCompoundTs?: EpochMs;
}

/** Phases in which the grid trades and trails. */
export const ACTIVE_PHASES: readonly string[] = ['RUNNING', 'PAUSED', 'OUT_OF_RANGE_UP', 'OUT_OF_RANGE_DOWN'];

/** Order key of a lattice line. */
export const lineKey = (i: number): string => `line:${i}`;

/**
 * Price of the sell that belongs to line `j`: the line itself, or with `feeCompensated` spacing
 * `P_{j−1}·(1 + s_{j−1} + 2f) = P_j + 2f·P_{j−1}` so each pair nets about the step (§2.2).
 */
export function sellPriceFor(state: Pick<GridState, 'params' | 'fee'>, lattice: Lattice, j: number): Dec {
  const top = priceAt(lattice, j);
  if (state.params.counterSpacing === 'lattice') return top;
  return str(dec(top).plus(dec(priceAt(lattice, j - 1)).times(dec(state.fee).times(2))));
}

/** Quantity of a buy on line `i`: `Q/P_i` (quote mode) or `q/(1−f)` gross so the counter sells `q` (base mode). */
export function buyQty(state: Pick<GridState, 'params' | 'fee' | 'size'>, lattice: Lattice, i: number): Dec {
  if (state.params.orderSizeMode === 'quote') return str(dec(state.size).dividedBy(priceAt(lattice, i)));
  return str(dec(state.size).dividedBy(dec(1).minus(state.fee)));
}

/** Quote budget of a buy on line `i`. */
export function buyCost(state: Pick<GridState, 'params' | 'fee' | 'size'>, lattice: Lattice, i: number): Dec {
  if (state.params.orderSizeMode === 'quote') return state.size;
  return str(dec(buyQty(state, lattice, i)).times(priceAt(lattice, i)));
}

/** Bot value in quote at `price`: `base·price + quote` (Bitsgap "Value", §2.3). */
export const valueAt = (state: Pick<GridState, 'base' | 'quote'>, price: Dec): Dec =>
  str(dec(state.base).times(price).plus(state.quote));

/** Capital put in: the investment plus any extra quote trailing down used. */
export const invested = (state: Pick<GridState, 'params' | 'extraQuoteUsed'>): Dec =>
  str(dec(state.params.investment).plus(state.extraQuoteUsed));

/** Adds a flag once. */
export const withFlag = (flags: readonly string[], flag: string): readonly string[] =>
  flags.includes(flag) ? flags : [...flags, flag];
