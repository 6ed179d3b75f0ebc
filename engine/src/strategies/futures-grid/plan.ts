/**
 * Futures grid sizing and the worst-case liquidation check (§5.3): equal base quantity `q` per line from
 * `K = investment·leverage·(1 − reserved)`, the initial position, and `LP_worst` after every resting
 * position-increasing order fills.
 */
import { dec, str, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import { FLAT, applyFill, worstCaseLiquidation } from '../shared/futures.ts';
import type { LinearPosition, MaintenanceBracket, PendingOrder, WorstCase } from '../shared/futures.ts';
import { assignSides, latticeFromCount, latticeFromStepPct, priceAt } from '../shared/lattice.ts';
import type { Lattice, SideAssignment } from '../shared/lattice.ts';
import { lotFloor } from '../shared/book.ts';
import type { FuturesGridParams } from './params.ts';

/** The grid a futures bot would start with at a reference price. */
export interface FuturesPlan {
  readonly lattice: Lattice;
  readonly sides: SideAssignment;
  /** Base quantity per line, floored to the lot. */
  readonly q: Dec;
  /** Initial market order: signed base quantity (> 0 buy, < 0 sell), 0 when none. */
  readonly initialQty: Dec;
  /** Resting orders after the start, reduce-only where the direction requires it. */
  readonly orders: readonly (PendingOrder & { readonly line: number })[];
}

/** The lattice of a futures grid (count mode, or geometric step mode). */
export function futuresLattice(p: FuturesGridParams): Lattice {
  if (p.gridCount === undefined && p.gridStepPct !== undefined)
    return latticeFromStepPct(p.lowPrice, p.highPrice, p.gridStepPct);
  return latticeFromCount(p.lowPrice, p.highPrice, p.gridCount ?? 0, p.gridMode);
}

/** Sizes the grid at `referencePrice` (§5.3 "Quantity per grid" and "Start"). */
export function planFuturesGrid(
  p: FuturesGridParams,
  market: MarketInfo,
  referencePrice: Dec,
  lattice = futuresLattice(p),
): FuturesPlan {
  const sides = assignSides(lattice, referencePrice);
  const k = dec(p.investment)
    .times(p.leverage)
    .times(dec(1).minus(dec(p.reservedMarginPct).dividedBy(100)));
  const buySum = dec(sum(sides.buys.map((i) => priceAt(lattice, i))));
  const sellSum = dec(sum(sides.sells.map((j) => priceAt(lattice, j))));
  const ref = dec(referencePrice);
  const denominator =
    p.direction === 'LONG'
      ? buySum.plus(ref.times(sides.sells.length))
      : p.direction === 'SHORT'
        ? sellSum.plus(ref.times(sides.buys.length))
        : buySum.greaterThan(sellSum)
          ? buySum
          : sellSum;
  const q = denominator.isZero() ? '0' : lotFloor(str(k.dividedBy(denominator)), market);
  const open = p.openPositionOnStart;
  const initialQty =
    p.direction === 'LONG' && open
      ? str(dec(q).times(sides.sells.length))
      : p.direction === 'SHORT' && open
        ? str(dec(q).times(-sides.buys.length))
        : '0';
  const orders: (PendingOrder & { line: number })[] = [];
  const closeOnly = (dir: FuturesGridParams['direction']) => p.direction === dir;
  if (p.direction !== 'SHORT' || open) {
    for (const i of sides.buys)
      orders.push({
        line: i,
        side: 'buy',
        price: priceAt(lattice, i),
        qty: q,
        ...(closeOnly('SHORT') ? { reduceOnly: true } : {}),
      });
  }
  if (p.direction !== 'LONG' || open) {
    for (const j of sides.sells)
      orders.push({
        line: j,
        side: 'sell',
        price: priceAt(lattice, j),
        qty: q,
        ...(closeOnly('LONG') ? { reduceOnly: true } : {}),
      });
  }
  return { lattice, sides, q, initialQty, orders };
}

/** The position and wallet right after the initial market order at `referencePrice` paying `fee`. */
export function afterInitial(
  p: FuturesGridParams,
  plan: FuturesPlan,
  referencePrice: Dec,
  fee: Dec,
): { position: LinearPosition; wallet: Dec } {
  const qty = dec(plan.initialQty);
  if (qty.isZero()) return { position: FLAT, wallet: p.investment };
  const position = applyFill(
    FLAT,
    qty.isPositive() ? 'buy' : 'sell',
    referencePrice,
    str(qty.abs()),
  ).position;
  return { position, wallet: str(dec(p.investment).minus(qty.abs().times(referencePrice).times(fee))) };
}

/** `LP_worst` per exposed direction (LONG: long; SHORT: short; NEUTRAL: both). */
export function worstCases(
  p: FuturesGridParams,
  plan: FuturesPlan,
  referencePrice: Dec,
  fee: Dec,
  bracket: MaintenanceBracket,
): { long?: WorstCase; short?: WorstCase } {
  const start = afterInitial(p, plan, referencePrice, fee);
  const long =
    p.direction !== 'SHORT'
      ? worstCaseLiquidation(start.wallet, start.position, plan.orders, 'long', fee, bracket)
      : undefined;
  const short =
    p.direction !== 'LONG'
      ? worstCaseLiquidation(start.wallet, start.position, plan.orders, 'short', fee, bracket)
      : undefined;
  return { ...(long ? { long } : {}), ...(short ? { short } : {}) };
}

/** The maintenance bracket of a market (first tier; `cum` 0). */
export const bracketOf = (market: MarketInfo): MaintenanceBracket => ({
  mmr: market.maintenanceMarginRate ?? '0.005',
  cum: '0',
});
