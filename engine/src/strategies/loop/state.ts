/** Loop run state (plain JSON data). */
import type { Dec } from '../../core/decimal.ts';
import type { Book } from '../shared/book.ts';
import type { PendingExit } from '../shared/spot-exit.ts';
import type { LoopParams } from './params.ts';

/** Base bought with no valid sell slot, with the quote it cost. */
export interface ParkedLot {
  readonly qty: Dec;
  readonly cost: Dec;
}

/** A Loop run. */
export interface LoopState {
  readonly params: LoopParams;
  readonly phase: string;
  readonly reason?: string;
  /** The fixed anchor `E` (set at start, never changed). */
  readonly entry?: Dec;
  /** `Q`, quote per initial buy. */
  readonly size: Dec;
  readonly fee: Dec;
  readonly book: Book;
  readonly base: Dec;
  readonly quote: Dec;
  readonly realized: Dec;
  /** Loop profit set aside (not reinvested). */
  readonly realizedPool: Dec;
  readonly roundTrips: number;
  /** Slots of each side's window (initial window plus expansions), and every slot ever tracked. */
  readonly buyWindow: readonly number[];
  readonly sellWindow: readonly number[];
  readonly tracked: readonly number[];
  readonly parkedBase: readonly ParkedLot[];
  readonly parkedQuote: readonly Dec[];
  /** Buy slots at or above the market at start, placed once the price trades above them (no taker fills). */
  readonly deferred: readonly { readonly slot: number; readonly quote: Dec }[];
  /** Take profit by price fires when the price rises to it (true) or falls to it (false). */
  readonly takeProfitAbove?: boolean;
  readonly lastPrice?: Dec;
  readonly flags: readonly string[];
  readonly exit?: PendingExit;
}

/** Order key of a slot. */
export const slotKey = (k: number): string => `slot:${k}`;

/** Adds a flag once. */
export const withFlag = (flags: readonly string[], flag: string): readonly string[] =>
  flags.includes(flag) ? flags : [...flags, flag];
