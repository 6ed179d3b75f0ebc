/**
 * The grid's line buys and sell prices as sent, worked out once per line. A line's buy (key, price, size,
 * rounding onto the tick and lot) and sell price depend only on the lattice, the params, `Q` or `q`, the
 * fee and the market, which change at trailing shifts, compounding and params edits rather than on fills;
 * the grid places the same orders again every time its lines trade.
 */
import { isZero } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { LimitSpec } from '../shared/book.ts';
import { limitPrice, lotFloor } from '../shared/rounding.ts';
import type { Lattice } from '../shared/lattice.ts';
import type { GridParams } from './params.ts';
import { lineBuy, sellPriceFor } from './state.ts';
import type { GridState } from './state.ts';

/** The inputs a plan was made for and the rounded buys (undefined: floors to zero) by line. */
interface Plan {
  readonly lattice: Lattice;
  readonly params: GridParams;
  readonly size: Dec;
  readonly fee: Dec;
  readonly market: MarketInfo;
  readonly buys: Map<number, LimitSpec | undefined>;
  /** The sell price of each line, rounded up to the tick. */
  readonly sells: Map<number, Dec>;
}

// One plan, for the inputs last asked about: a memo of the pure function `rounded(lineBuy(…))` that is
// checked against every input on each use (the same objects, or texts equal by value), so a bot's output
// cannot depend on it. Several grids in one process only take turns at it.
let plan: Plan | undefined;

/** The buy of line `i` as `placeLimit` would send it (for `placeRounded`); undefined when it floors to zero. */
export function plannedLineBuy(
  state: Pick<GridState, 'params' | 'fee' | 'size'>,
  lattice: Lattice,
  i: number,
  market: MarketInfo,
): LimitSpec | undefined {
  const current = planFor(state, lattice, market);
  if (current.buys.has(i)) return current.buys.get(i);
  const buy = rounded(lineBuy(state, lattice, i), market);
  current.buys.set(i, buy);
  return buy;
}

/** The price of the sell on line `j` as `placeLimit` would send it (`sellPriceFor`, rounded up to the tick). */
export function plannedSellPrice(
  state: Pick<GridState, 'params' | 'fee' | 'size'>,
  lattice: Lattice,
  j: number,
  market: MarketInfo,
): Dec {
  const sells = planFor(state, lattice, market).sells;
  let price = sells.get(j);
  if (price === undefined) {
    price = limitPrice('sell', sellPriceFor(state, lattice, j), market);
    sells.set(j, price);
  }
  return price;
}

function planFor(
  state: Pick<GridState, 'params' | 'fee' | 'size'>,
  lattice: Lattice,
  market: MarketInfo,
): Plan {
  const { params, size, fee } = state;
  if (
    plan === undefined ||
    plan.lattice !== lattice ||
    plan.params !== params ||
    plan.size !== size ||
    plan.fee !== fee ||
    plan.market !== market
  ) {
    plan = { lattice, params, size, fee, market, buys: new Map(), sells: new Map() };
  }
  return plan;
}

/** The spec with `placeLimit`'s rounding applied (in its order: price, then quantity); undefined when zero. */
function rounded(spec: LimitSpec, market: MarketInfo): LimitSpec | undefined {
  const price = limitPrice(spec.side, spec.price, market);
  const qty = lotFloor(spec.qty, market);
  return isZero(qty) ? undefined : { ...spec, price, qty };
}
