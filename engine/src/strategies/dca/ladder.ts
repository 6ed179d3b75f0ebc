/**
 * The DCA money maths of strategies/dca-twap-risk.md §2.3: safety-order prices (step scale), sizes
 * (volume scale), average entry, take-profit, break-even, stop-loss and required funds. Pure and exact.
 */
import { add, dec, div, mul, pow, str, sub, sum, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { derived } from './derived.ts';
import { futuresOf } from './params.ts';
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

/** The safety-order ladder's shape: everything of §2.3.1 that does not depend on P_0. */
export interface LadderShape {
  /** Cumulative deviations D_k (fractions), k = 1..n. */
  readonly deviations: readonly Dec[];
  /** Sizes S_k at reinvest scale 1. */
  readonly sizes: readonly Dec[];
  /** Price multipliers: level k's price is `factor_k` × P_0 (fromBase) or × level k−1's price (fromPrevious). */
  readonly factors: readonly Dec[];
  readonly fromPrevious: boolean;
}

/** The ladder shape of params (§2.3.1 steps 2–4), computed once per params object (see derived.ts). */
export function ladderShape(params: DcaParams): LadderShape {
  return derived(params, 'ladderShape', () => {
    const so = params.safetyOrders;
    const s = sigma(params.direction);
    const fromPrevious = so.deviationBase === 'fromPrevious' && !so.customLevels;
    const deviations = cumulativeDeviations(so);
    const factors = deviations.map((deviation, i) => {
      const step = fromPrevious ? sub(deviation, i === 0 ? '0' : (deviations[i - 1] ?? '0')) : deviation;
      return sub('1', mul(s, step));
    });
    return { deviations, sizes: safetySizes(so), factors, fromPrevious };
  });
}

/** Sizes at a reinvest scale: the shape's sizes at scale 1 (the common case), else computed. */
const scaledSizes = (params: DcaParams, scale: Dec): readonly Dec[] =>
  scale === '1' ? ladderShape(params).sizes : safetySizes(params.safetyOrders, scale);

/** The safety-order ladder from the base fill price P_0 (§2.3.1 steps 3–4), fixed for the deal. */
export function planLadder(params: DcaParams, p0: Dec, scale: Dec = '1'): PlannedLevel[] {
  const shape = ladderShape(params);
  const sizes = scaledSizes(params, scale);
  let previous = p0;
  return shape.factors.map((factor, i) => {
    const price = mul(shape.fromPrevious ? previous : p0, factor);
    previous = price;
    return { k: i + 1, deviation: shape.deviations[i] ?? '0', price, size: sizes[i] ?? '0' };
  });
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

/** TP multiplier 1 + σ·tp. */
const takeProfitMultiplier = (direction: Direction, tpPct: Dec): Dec =>
  add('1', mul(sigma(direction), pctToRatio(tpPct)));
/** SL and trailing-stop multiplier 1 − σ·pct. */
const stopMultiplier = (direction: Direction, pct: Dec): Dec =>
  sub('1', mul(sigma(direction), pctToRatio(pct)));

/** TP = ref·(1 + σ·tp). */
export const takeProfitPrice = (ref: Dec, direction: Direction, tpPct: Dec): Dec =>
  mul(ref, takeProfitMultiplier(direction, tpPct));

/** SL = ref·(1 − σ·sl). */
export const stopLossPrice = (ref: Dec, direction: Direction, slPct: Dec): Dec =>
  mul(ref, stopMultiplier(direction, slPct));

/** Trailing stop = peak·(1 − σ·td). */
export const trailingStopPrice = (peak: Dec, direction: Direction, tdPct: Dec): Dec =>
  mul(peak, stopMultiplier(direction, tdPct));

// The same three prices for a bot's own params, with the multiplier computed once per params object.
const tpOf = (p: DcaParams): Dec =>
  derived(p, 'takeProfit', () => takeProfitMultiplier(p.direction, p.takeProfit.pct));
const slOf = (p: DcaParams): Dec => derived(p, 'stopLoss', () => stopMultiplier(p.direction, p.stopLoss.pct));
const tsOf = (p: DcaParams): Dec =>
  derived(p, 'trailingStop', () => stopMultiplier(p.direction, p.takeProfit.trailing.deviationPct));

/** `takeProfitPrice(ref)` under params p. */
export const paramsTakeProfit = (p: DcaParams, ref: Dec): Dec => mul(ref, tpOf(p));
/** `stopLossPrice(ref)` under params p. */
export const paramsStopLoss = (p: DcaParams, ref: Dec): Dec => mul(ref, slOf(p));
/** `trailingStopPrice(peak)` under params p. */
export const paramsTrailingStop = (p: DcaParams, peak: Dec): Dec => mul(peak, tsOf(p));

/** Break-even with quote fees at rate f on both sides: long avg·(1+f)/(1−f), short avg·(1−f)/(1+f). */
export function breakEvenPrice(avg: Dec, direction: Direction, feeRate: Dec): Dec {
  const up = add('1', feeRate);
  const down = sub('1', feeRate);
  return direction === 'long' ? div(mul(avg, up), down) : div(mul(avg, down), up);
}

/** Sizes of the base order and every safety order as notionals at a reference price P_0. */
export function ladderNotionals(params: DcaParams, p0: Dec, sizing: SizingContext, scale: Dec = '1'): Dec[] {
  const base = notionalOf(mul(params.baseOrder.size, scale), params.baseOrder.sizeUnit, p0, sizing);
  const unit = params.safetyOrders.sizeUnit;
  // Only base-unit sizes need the level prices; every other unit's notional ignores the price.
  if (unit !== 'base')
    return [base, ...scaledSizes(params, scale).map((size) => notionalOf(size, unit, p0, sizing))];
  const levels = planLadder(params, p0, scale);
  return [base, ...levels.map((l) => notionalOf(l.size, unit, l.price, sizing))];
}

/**
 * Whether a ladder's notionals are the same at every P_0 (no base-unit sizes, reinvest scale 1): deal-start
 * checks, which run on every bar a blocked bot waits, then compute them once per params object.
 */
const priceFree = (params: DcaParams, scale: Dec): boolean =>
  scale === '1' && params.baseOrder.sizeUnit !== 'base' && params.safetyOrders.sizeUnit !== 'base';

/** requiredFunds = (S_0 + ΣS_k)·(1 + f) in quote (§2.3.10, rule V1). */
export function requiredFunds(params: DcaParams, p0: Dec, feeRate: Dec, scale: Dec = '1'): Dec {
  const sizing = { leverage: '1', maxQuote: params.budget.maxQuote };
  const notional = (): Dec => sum(ladderNotionals(params, p0, sizing, scale));
  const total = priceFree(params, scale) ? derived(params, 'requiredNotional', notional) : notional();
  return mul(total, add('1', feeRate));
}

/** Margin a whole futures ladder posts at P_0: Σ notionals / leverage (§3.5 F3). */
export function requiredMargin(params: DcaParams, p0: Dec): Dec {
  const leverage = futuresOf(params)?.leverage ?? '1';
  const sizing = { leverage, maxQuote: params.budget.maxQuote };
  const margin = (): Dec => div(sum(ladderNotionals(params, p0, sizing)), leverage);
  return priceFree(params, '1') ? derived(params, 'requiredMargin', margin) : margin();
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
