/**
 * The DCA money maths of strategies/dca-twap-risk.md §2.3: safety-order prices (step scale), sizes
 * (volume scale), average entry, take-profit, break-even, stop-loss and required funds. Pure and exact.
 */
import { add, dec, div, mul, pow, str, sub, sum, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { DcaParams, Direction, SizeUnit } from './params.ts';

/** +1 for long, −1 for short (σ in the document). */
export const sigma = (direction: Direction): Dec => (direction === 'long' ? '1' : '-1');

/** Percent units to a fraction (`1.5` → `0.015`). */
export const pctToRatio = (pct: Dec): Dec => div(pct, '100');

/** One planned safety order: k (1-based), cumulative deviation from P_0, unrounded price, size in its unit. */
export interface PlannedLevel {
  readonly k: number;
  readonly deviation: Dec;
  readonly price: Dec;
  readonly size: Dec;
}

/** Cumulative deviations D_k (fractions) of the ladder, k = 1..n (§2.3.1 step 2, or custom levels). */
export function cumulativeDeviations(so: DcaParams['safetyOrders']): Dec[] {
  if (so.customLevels) return so.customLevels.map((l) => pctToRatio(l.deviationPct));
  const d = pctToRatio(so.deviationPct);
  const out: Dec[] = [];
  let total = '0';
  for (let k = 1; k <= so.maxCount; k++) {
    total = add(total, mul(d, pow(so.stepScale, k - 1)));
    out.push(total);
  }
  return out;
}

/** Sizes S_k = s·v^(k−1) (or custom sizes), multiplied by the reinvest scale. */
export function safetySizes(so: DcaParams['safetyOrders'], scale: Dec = '1'): Dec[] {
  if (so.customLevels) return so.customLevels.map((l) => mul(l.size, scale));
  return Array.from({ length: so.maxCount }, (_, i) => mul(mul(so.size, pow(so.volumeScale, i)), scale));
}

/** The safety-order ladder from the base fill price P_0 (§2.3.1 steps 3–4), fixed for the deal. */
export function planLadder(params: DcaParams, p0: Dec, scale: Dec = '1'): PlannedLevel[] {
  const so = params.safetyOrders;
  const s = sigma(params.direction);
  const cumulative = cumulativeDeviations(so);
  const sizes = safetySizes(so, scale);
  const levels: PlannedLevel[] = [];
  let previous = p0;
  cumulative.forEach((deviation, i) => {
    let price: Dec;
    if (so.deviationBase === 'fromPrevious' && !so.customLevels) {
      const step = sub(deviation, i === 0 ? '0' : (cumulative[i - 1] ?? '0'));
      price = mul(previous, sub('1', mul(s, step)));
    } else {
      price = mul(p0, sub('1', mul(s, deviation)));
    }
    previous = price;
    levels.push({ k: i + 1, deviation, price, size: sizes[i] ?? '0' });
  });
  return levels;
}

/** What a size means in money: leverage (futures) and budget (percentOfBudget). */
export interface SizingContext {
  readonly leverage: Dec;
  readonly maxQuote: Dec;
}

/** Notional (quote value) of an order of `size` in `unit` at `price`. */
export function notionalOf(size: Dec, unit: SizeUnit, price: Dec, sizing: SizingContext): Dec {
  switch (unit) {
    case 'quote':
    case 'notional':
      return size;
    case 'margin':
      return mul(size, sizing.leverage);
    case 'base':
      return mul(size, price);
    case 'percentOfBudget':
      return mul(pctToRatio(size), sizing.maxQuote);
  }
}

/** Base quantity of an order, floored to the lot step when one is given (§0.2: never exceed the budget). */
export function quantityOf(size: Dec, unit: SizeUnit, price: Dec, sizing: SizingContext, lot?: Dec): Dec {
  const raw = unit === 'base' ? size : div(notionalOf(size, unit, price, sizing), price);
  return lot === undefined ? raw : toStep(raw, lot, 'floor');
}

/** Entry limit price rounded away from the market: long floors, short ceils (§0.2). */
export const roundEntryPrice = (price: Dec, direction: Direction, tick: Dec): Dec =>
  toStep(price, tick, direction === 'long' ? 'floor' : 'ceil');

/** Take-profit limit price rounded away from the average: long ceils, short floors (§0.2). */
export const roundTakeProfitPrice = (price: Dec, direction: Direction, tick: Dec): Dec =>
  toStep(price, tick, direction === 'long' ? 'ceil' : 'floor');

/** Quantity-weighted average of fills: C / Q. */
export const averagePrice = (cost: Dec, qty: Dec): Dec => div(cost, qty);

/** TP = ref·(1 + σ·tp). */
export const takeProfitPrice = (ref: Dec, direction: Direction, tpPct: Dec): Dec =>
  mul(ref, add('1', mul(sigma(direction), pctToRatio(tpPct))));

/** SL = ref·(1 − σ·sl). */
export const stopLossPrice = (ref: Dec, direction: Direction, slPct: Dec): Dec =>
  mul(ref, sub('1', mul(sigma(direction), pctToRatio(slPct))));

/** Trailing stop = peak·(1 − σ·td). */
export const trailingStopPrice = (peak: Dec, direction: Direction, tdPct: Dec): Dec =>
  mul(peak, sub('1', mul(sigma(direction), pctToRatio(tdPct))));

/** Break-even with quote fees at rate f on both sides: long avg·(1+f)/(1−f), short avg·(1−f)/(1+f). */
export function breakEvenPrice(avg: Dec, direction: Direction, feeRate: Dec): Dec {
  const up = add('1', feeRate);
  const down = sub('1', feeRate);
  return direction === 'long' ? div(mul(avg, up), down) : div(mul(avg, down), up);
}

/** Sizes of the base order and every safety order as notionals at a reference price P_0. */
export function ladderNotionals(params: DcaParams, p0: Dec, sizing: SizingContext, scale: Dec = '1'): Dec[] {
  const base = notionalOf(mul(params.baseOrder.size, scale), params.baseOrder.sizeUnit, p0, sizing);
  const levels = planLadder(params, p0, scale);
  return [base, ...levels.map((l) => notionalOf(l.size, params.safetyOrders.sizeUnit, l.price, sizing))];
}

/** requiredFunds = (S_0 + ΣS_k)·(1 + f) in quote (§2.3.10, rule V1). */
export function requiredFunds(params: DcaParams, p0: Dec, feeRate: Dec, scale: Dec = '1'): Dec {
  const sizing = { leverage: '1', maxQuote: params.budget.maxQuote };
  return mul(sum(ladderNotionals(params, p0, sizing, scale)), add('1', feeRate));
}

/** The reinvest scale k = (requiredFunds + pool) / requiredFunds (§2.3.9). */
export function reinvestScale(required: Dec, pool: Dec): Dec {
  return dec(required).isZero() ? '1' : div(add(required, pool), required);
}

/** Net profit of a long spot deal closed exactly at TP with quote fees (§2.3.3 identity): C·((1+tp)(1−f) − (1+f)). */
export const takeProfitIdentity = (cost: Dec, tpPct: Dec, feeRate: Dec): Dec =>
  str(
    dec(cost).times(
      dec(add('1', pctToRatio(tpPct)))
        .times(sub('1', feeRate))
        .minus(add('1', feeRate)),
    ),
  );
