/**
 * Grid lattice (grid-family.md §1.1, §1.2): lines identified by an integer index, prices derived from
 * `(mode, anchor, step)` at full precision. Rounding to the tick happens only when an order is sent
 * (§0.2), and trailing only moves `iMin`/`iMax`, so a line's price never drifts.
 */
import { D, cmp, dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';

/** How adjacent lines relate: equal price gaps or equal ratios. */
export type GridMode = 'arithmetic' | 'geometric';

/** The engine-wide cap on lines a grid-family bot tracks (§1.6, [T:S34]/[I]). */
export const MAX_LEVELS = 500;

/** A lattice: `P(i) = anchor + i·step` (arithmetic) or `anchor·step^i` (geometric) for `iMin ≤ i ≤ iMax`. */
export interface Lattice {
  readonly mode: GridMode;
  /** `P_0`: the price of line 0. */
  readonly anchor: Dec;
  /** `Δ` (arithmetic) or the ratio `r` (geometric). */
  readonly step: Dec;
  readonly iMin: number;
  readonly iMax: number;
}

/** Which lines hold buys and sells at start, and the line left empty (§1.2). */
export interface SideAssignment {
  readonly empty: number;
  /** Buy lines, ascending. */
  readonly buys: readonly number[];
  /** Sell lines, ascending. */
  readonly sells: readonly number[];
}

// Line prices are trimmed to 28 significant digits: far below any tick, yet it removes the 1e-38 residue
// of a 40-digit ratio or gap so the top line of 100..200 is exactly 200 and never ceils to 200.01.
const LINE_DIGITS = 28;

/** The lattice of `N` intervals spanning `[low, high]` (§1.1 count mode). */
export function latticeFromCount(low: Dec, high: Dec, count: number, mode: GridMode): Lattice {
  const step =
    mode === 'arithmetic'
      ? str(dec(high).minus(dec(low)).dividedBy(count))
      : str(dec(high).dividedBy(dec(low)).pow(new D(1).dividedBy(count)));
  return { mode, anchor: str(low), step, iMin: 0, iMax: count };
}

/**
 * The geometric lattice with a percent step from `low`, top snapped down onto the lattice (§1.1 step mode):
 * `N = floor(ln(high/low)/ln(1+s) + 1e-12)`.
 */
export function latticeFromStepPct(low: Dec, high: Dec, stepPct: Dec): Lattice {
  const ratio = dec(stepPct).dividedBy(100).plus(1);
  const n = dec(high).dividedBy(dec(low)).ln().dividedBy(ratio.ln()).plus('1e-12').floor().toNumber();
  return { mode: 'geometric', anchor: str(low), step: str(ratio), iMin: 0, iMax: n };
}

/** The price of line `i` (any integer, also outside `[iMin, iMax]`). */
export function priceAt(lattice: Lattice, i: number): Dec {
  const table = lineTable(lattice);
  let price = table.get(i);
  if (price === undefined) {
    if (table.size >= TABLE_LINES) table.clear();
    price = computePriceAt(lattice, i);
    table.set(i, price);
  }
  return price;
}

function computePriceAt(lattice: Lattice, i: number): Dec {
  const raw =
    lattice.mode === 'arithmetic'
      ? dec(lattice.anchor).plus(dec(lattice.step).times(i))
      : dec(lattice.anchor).times(dec(lattice.step).pow(i));
  return str(raw.toSignificantDigits(LINE_DIGITS));
}

// A line's price depends only on (mode, anchor, step, i), and a running grid asks for the same few lines on
// every fill and wake-up, so prices are remembered per lattice definition. This is a memo of a pure
// function (a hit returns the very text a miss computes), never state: a bot's output cannot depend on it.
// Lattice objects are reused across steps until trailing moves them, so a WeakMap finds the table without
// building the definition key; the key map is bounded so many short-lived lattices (tests) cannot grow it.
const TABLE_LIMIT = 64;
const TABLE_LINES = 4096;
const tablesByKey = new Map<string, Map<number, Dec>>();
const tablesByLattice = new WeakMap<Lattice, Map<number, Dec>>();

function lineTable(lattice: Lattice): Map<number, Dec> {
  const known = tablesByLattice.get(lattice);
  if (known) return known;
  const key = `${lattice.mode} ${lattice.anchor} ${lattice.step}`;
  let table = tablesByKey.get(key);
  if (!table) {
    if (tablesByKey.size >= TABLE_LIMIT) tablesByKey.clear();
    table = new Map();
    tablesByKey.set(key, table);
  }
  tablesByLattice.set(lattice, table);
  return table;
}

/**
 * Compares two decimals exactly, deciding by their float values when those differ. Parsing decimal text
 * to the nearest double is monotonic, so distinct floats order the decimals the same way; only equal floats
 * (which may hide a difference beyond 17 digits) fall back to decimal arithmetic.
 */
export function comparePrices(a: Dec, b: Dec): -1 | 0 | 1 {
  // A price at a level is often the level's own text (the kernel wakes a bot at it): equal texts are equal.
  if (a === b) return 0;
  const x = Number(a);
  const y = Number(b);
  if (x < y) return -1;
  if (x > y) return 1;
  return cmp(a, b);
}

/** Every line price from `iMin` to `iMax`, ascending. */
export function linePrices(lattice: Lattice): Dec[] {
  const out: Dec[] = [];
  for (let i = lattice.iMin; i <= lattice.iMax; i++) out.push(priceAt(lattice, i));
  return out;
}

/** Number of intervals `iMax − iMin`. */
export const intervals = (lattice: Lattice): number => lattice.iMax - lattice.iMin;

/** The line nearest to `price` within `[iMin, iMax]`; an exact tie picks the upper line (§1.2 rule 3). */
export function nearestLine(lattice: Lattice, price: Dec): number {
  const p = dec(price);
  if (p.lessThanOrEqualTo(priceAt(lattice, lattice.iMin))) return lattice.iMin;
  if (p.greaterThanOrEqualTo(priceAt(lattice, lattice.iMax))) return lattice.iMax;
  let lo = lattice.iMin;
  let hi = lattice.iMax;
  // Invariant: P(lo) ≤ price < P(hi).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dec(priceAt(lattice, mid)).lessThanOrEqualTo(p)) lo = mid;
    else hi = mid;
  }
  const below = p.minus(priceAt(lattice, lo));
  const above = dec(priceAt(lattice, hi)).minus(p);
  return above.lessThanOrEqualTo(below) ? hi : lo;
}

/** Initial sides: the nearest line to `referencePrice` stays empty, buys below, sells above (§1.2). */
export function assignSides(lattice: Lattice, referencePrice: Dec): SideAssignment {
  const empty = nearestLine(lattice, referencePrice);
  const buys: number[] = [];
  const sells: number[] = [];
  for (let i = lattice.iMin; i <= lattice.iMax; i++) {
    if (i < empty) buys.push(i);
    else if (i > empty) sells.push(i);
  }
  return { empty, buys, sells };
}

/** The price one interval above the top line (the shift-up trigger, §1.10a). */
export const aboveTop = (lattice: Lattice): Dec => priceAt(lattice, lattice.iMax + 1);

/** The price one interval below the bottom line (the shift-down / extend-down trigger, §1.10b,c). */
export const belowBottom = (lattice: Lattice): Dec => priceAt(lattice, lattice.iMin - 1);

/** The lattice moved by `by` lines (positive: up). Prices of existing indices do not change. */
export function shifted(lattice: Lattice, by: number): Lattice {
  return { ...lattice, iMin: lattice.iMin + by, iMax: lattice.iMax + by };
}

/** The ratio `P(i+1)/P(i)` of the interval starting at line `i`. */
export function intervalRatio(lattice: Lattice, i: number): Dec {
  return str(dec(priceAt(lattice, i + 1)).dividedBy(priceAt(lattice, i)));
}

/** The worst (smallest) interval ratio: the top interval for arithmetic, any interval for geometric. */
export function worstIntervalRatio(lattice: Lattice): Dec {
  return intervalRatio(lattice, lattice.mode === 'arithmetic' ? lattice.iMax - 1 : lattice.iMin);
}

/** A client-order-id index for a (possibly negative) line: 0 ≤ idx < 36³. */
export function lineIdx(i: number): number {
  const m = 36 ** 3;
  return ((i % m) + m) % m;
}
