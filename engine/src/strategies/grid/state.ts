/** Grid run state (plain JSON data) and the pricing and sizing rules every part of the grid shares. */
import { add, div, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Book, LimitSpec } from '../shared/book.ts';
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

// Line keys are looked up and compared on every fill. Handing out one string per line lets those
// comparisons succeed on identity instead of comparing (and first flattening) freshly built text.
const LINE_KEYS: string[] = [];
const KEYED_LINES = 4096;
// And back from a key text to its line, so an order event's key finds its order by line number.
const LINES_BY_KEY = new Map<string, number>();

/** Order key of a lattice line. */
export function lineKey(i: number): string {
  if (i < 0 || i >= KEYED_LINES || !Number.isInteger(i)) return `line:${i}`;
  let key = LINE_KEYS[i];
  if (key === undefined) {
    key = `line:${i}`;
    LINE_KEYS[i] = key;
    LINES_BY_KEY.set(key, i);
  }
  return key;
}

/** The line of a key `lineKey` handed out (by text); undefined for any other key (`init`, `trail-down:…`). */
export const keyedLine = (key: string): number | undefined => LINES_BY_KEY.get(key);

/**
 * Price of the sell that belongs to line `j`: the line itself, or with `feeCompensated` spacing
 * `P_{j−1}·(1 + s_{j−1} + 2f) = P_j + 2f·P_{j−1}` so each pair nets about the step (§2.2).
 */
export function sellPriceFor(state: Pick<GridState, 'params' | 'fee'>, lattice: Lattice, j: number): Dec {
  const top = priceAt(lattice, j);
  if (state.params.counterSpacing === 'lattice') return top;
  return add(top, mul(priceAt(lattice, j - 1), mul(state.fee, '2')));
}

/** Quantity of a buy on line `i`: `Q/P_i` (quote mode) or `q/(1−f)` gross so the counter sells `q` (base mode). */
export function buyQty(state: Pick<GridState, 'params' | 'fee' | 'size'>, lattice: Lattice, i: number): Dec {
  if (state.params.orderSizeMode === 'quote') return quoteBuyQty(state.size, priceAt(lattice, i));
  return div(state.size, sub('1', state.fee));
}

// `Q/P_i` is a full-precision division repeated on every re-buy of a line while `Q` stays put (it changes only
// when compounding), so it is remembered per (Q, P_i) text pair: a bounded memo of a pure function, which a
// bot's output cannot depend on. Keyed by Q then P_i, so a lookup builds no key text.
const QUOTE_QTY_LIMIT = 4096;
const quoteQtys = new Map<Dec, Map<Dec, Dec>>();

function quoteBuyQty(size: Dec, price: Dec): Dec {
  let bySize = quoteQtys.get(size);
  if (bySize === undefined) {
    if (quoteQtys.size >= 64) quoteQtys.clear();
    bySize = new Map();
    quoteQtys.set(size, bySize);
  }
  let qty = bySize.get(price);
  if (qty === undefined) {
    if (bySize.size >= QUOTE_QTY_LIMIT) bySize.clear();
    qty = div(size, price);
    bySize.set(price, qty);
  }
  return qty;
}

/** Quote budget of a buy on line `i`. */
export function buyCost(state: Pick<GridState, 'params' | 'fee' | 'size'>, lattice: Lattice, i: number): Dec {
  if (state.params.orderSizeMode === 'quote') return state.size;
  return mul(buyQty(state, lattice, i), priceAt(lattice, i));
}

/** The resting buy of line `i`: its key, price and the size the sizing mode gives it. */
export function lineBuy(
  state: Pick<GridState, 'params' | 'fee' | 'size'>,
  lattice: Lattice,
  i: number,
): LimitSpec {
  return {
    key: lineKey(i),
    line: i,
    side: 'buy',
    price: priceAt(lattice, i),
    qty: buyQty(state, lattice, i),
    cost: buyCost(state, lattice, i),
  };
}

/** Bot value in quote at `price`: `base·price + quote` (Bitsgap "Value", §2.3). */
export const valueAt = (state: Pick<GridState, 'base' | 'quote'>, price: Dec): Dec =>
  add(mul(state.base, price), state.quote);

/** Capital put in: the investment plus any extra quote trailing down used. */
export const invested = (state: Pick<GridState, 'params' | 'extraQuoteUsed'>): Dec =>
  add(state.params.investment, state.extraQuoteUsed);

/** Adds a flag once. */
export const withFlag = (flags: readonly string[], flag: string): readonly string[] =>
  flags.includes(flag) ? flags : [...flags, flag];
