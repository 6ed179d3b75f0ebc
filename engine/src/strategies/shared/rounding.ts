/** Rounding of order prices and quantities onto the market's tick and lot size (grid-family.md §0.2 rule 2). */
import { toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Side } from '../../model/orders.ts';

/** The limit price as sent: buys rounded down, sells up to the tick (§0.2 rule 2). */
export const limitPrice = (side: Side, price: Dec, market: MarketInfo): Dec =>
  roundedOnStep(price, market.precision.price, side === 'buy' ? 'floor' : 'ceil');

/** A quantity floored to the lot size (§0.2 rule 2). */
export const lotFloor = (qty: Dec, market: MarketInfo): Dec =>
  roundedOnStep(qty, market.precision.amount, 'floor');

// A grid sends the same few line prices and line quantities on every fill, so their roundings are
// remembered per (step, direction, text): a bounded memo of the pure function `toStep`, whose hit is the
// very text a miss computes, so a bot's output cannot depend on it.
const ROUNDED_LIMIT = 4096;
const roundedByStep = new Map<Dec, { readonly floor: Map<Dec, Dec>; readonly ceil: Map<Dec, Dec> }>();

function roundedOnStep(value: Dec, step: Dec, mode: 'floor' | 'ceil'): Dec {
  const table = roundingTables(step)[mode];
  let rounded = table.get(value);
  if (rounded === undefined) {
    if (table.size >= ROUNDED_LIMIT) table.clear();
    rounded = toStep(value, step, mode);
    table.set(value, rounded);
  }
  return rounded;
}

function roundingTables(step: Dec): { readonly floor: Map<Dec, Dec>; readonly ceil: Map<Dec, Dec> } {
  let tables = roundedByStep.get(step);
  if (tables === undefined) {
    if (roundedByStep.size >= 64) roundedByStep.clear();
    tables = { floor: new Map(), ceil: new Map() };
    roundedByStep.set(step, tables);
  }
  return tables;
}
