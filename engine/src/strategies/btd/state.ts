/** BTD run state (plain JSON data) and its sizing rules (§3.3). */
import { dec, str, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Book } from '../shared/book.ts';
import { priceAt } from '../shared/lattice.ts';
import type { Lattice, SideAssignment } from '../shared/lattice.ts';
import type { PumpState } from '../shared/pump.ts';
import type { PendingExit } from '../shared/spot-exit.ts';
import type { BtdParams } from './params.ts';

/** A BTD run. Holdings are the bot's own; `base` starts at the investment. */
export interface BtdState {
  readonly params: BtdParams;
  readonly phase: string;
  readonly reason?: string;
  readonly lattice?: Lattice;
  readonly fee: Dec;
  /** `U`: the base every sell sells. */
  readonly unit: Dec;
  readonly book: Book;
  readonly base: Dec;
  readonly quote: Dec;
  /** Surplus base kept by completed dips (§3.3 `realizedBaseProf`). */
  readonly realizedBase: Dec;
  readonly roundTrips: number;
  readonly pendingStart?: SideAssignment;
  readonly armedAbove?: boolean;
  readonly lastPrice?: Dec;
  readonly stopLossPrice?: Dec;
  readonly pump: PumpState;
  readonly flags: readonly string[];
  readonly exit?: PendingExit;
}

/** `Σ_{k∈buys} P_{k+1} / P_ref`: the base sold at start per unit `U` (§3.3). */
export function buyFundingRatio(lattice: Lattice, buys: readonly number[], referencePrice: Dec): Dec {
  return str(dec(sum(buys.map((k) => priceAt(lattice, k + 1)))).dividedBy(referencePrice));
}

/** `U = B / (nSell + Σ P_{k+1}/P_ref)` (§3.3). */
export function unitOf(investment: Dec, lattice: Lattice, sides: SideAssignment, referencePrice: Dec): Dec {
  return str(
    dec(investment).dividedBy(
      dec(buyFundingRatio(lattice, sides.buys, referencePrice)).plus(sides.sells.length),
    ),
  );
}

/** `q_k = U·P_{k+1}·(1−f)`: the quote an initial buy on line k spends (as if the sell above it had run). */
export function initialBuyQuote(unit: Dec, lattice: Lattice, k: number, fee: Dec): Dec {
  return str(
    dec(unit)
      .times(priceAt(lattice, k + 1))
      .times(dec(1).minus(fee)),
  );
}

/** Base-denominated value `base + quote/price` (§3.3 accounting). */
export const valueBase = (state: Pick<BtdState, 'base' | 'quote'>, price: Dec): Dec =>
  str(dec(state.base).plus(dec(state.quote).dividedBy(price)));

/** Order key of a lattice line. */
export const lineKey = (i: number): string => `line:${i}`;

/** Adds a flag once. */
export const withFlag = (flags: readonly string[], flag: string): readonly string[] =>
  flags.includes(flag) ? flags : [...flags, flag];
