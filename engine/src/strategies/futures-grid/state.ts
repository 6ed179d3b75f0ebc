/** Futures grid run state (plain JSON data). */
import type { Dec } from '../../core/decimal.ts';
import type { Book } from '../shared/book.ts';
import type { LinearPosition } from '../shared/futures.ts';
import type { Lattice, SideAssignment } from '../shared/lattice.ts';
import type { FuturesGridParams } from './params.ts';

/** A stop in progress: cancel everything, then (optionally) close the position reduce-only at market. */
export interface FuturesExit {
  readonly reason: string;
  readonly outcome: 'STOPPED' | 'COMPLETED';
  readonly closePosition: boolean;
  readonly closing: boolean;
}

/** A futures grid run. */
export interface FuturesGridState {
  readonly params: FuturesGridParams;
  readonly phase: string;
  readonly reason?: string;
  readonly lattice?: Lattice;
  /** Base quantity per line. */
  readonly q: Dec;
  readonly fee: Dec;
  readonly book: Book;
  readonly position: LinearPosition;
  /** Isolated wallet balance: investment − fees + realised PnL. */
  readonly wallet: Dec;
  /** Pair-matched grid profit net of both fills' fees (§5.3). */
  readonly gridProfit: Dec;
  /** Exchange view: average-cost realised PnL minus the fees of the reducing fills. */
  readonly positionRealized: Dec;
  readonly roundTrips: number;
  /** Cash of the opening leg a counter order will close, by order key (< 0 for a buy leg). */
  readonly pairCash: Readonly<Record<string, Dec>>;
  /** Position-opening counters not sent while the liquidation guard is active. */
  readonly held: readonly { readonly line: number; readonly side: 'buy' | 'sell'; readonly qty: Dec }[];
  readonly pendingStart?: SideAssignment;
  readonly armedAbove?: boolean;
  readonly lastPrice?: Dec;
  readonly stopLossPrice?: Dec;
  readonly stopTopPrice?: Dec;
  readonly stopBottomPrice?: Dec;
  readonly flags: readonly string[];
  readonly exit?: FuturesExit;
}

/** Order key of a lattice line. */
export const lineKey = (i: number): string => `line:${i}`;
