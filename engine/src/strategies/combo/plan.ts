/**
 * Combo geometry (grid-family.md §6.3.1, §6.3.2, §6.3.5): the DCA safety-order plan, the exit ladder
 * (rungs X_0..X_L, built on the shared lattice), the range, and the worst-case liquidation with every
 * SO filled (shared futures maths). Pure and exact; LONG shown, SHORT mirrors.
 */
import { add, div, gt, lt, mul, pow, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { priceAt } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import { worstCaseLiquidation } from '../shared/futures.ts';
import type { ComboParams } from './params.ts';

/** +1 LONG, −1 SHORT as a decimal. */
export const comboSign = (p: ComboParams): Dec => (p.direction === 'LONG' ? '1' : '-1');

/** The deal's range: the params' bounds, else ±10 % of P_0. */
export function rangeOf(p: ComboParams, p0: Dec): { low: Dec; high: Dec } {
  return { low: p.lowPrice ?? mul(p0, '0.9'), high: p.highPrice ?? mul(p0, '1.1') };
}

/** Base quantity of a `qty`/`quote` size at `price`. */
export const sizeQty = (qty: Dec | null, quote: Dec | null, price: Dec): Dec =>
  qty ?? (quote === null ? '0' : div(quote, price));

const inRange = (price: Dec, low: Dec, high: Dec): boolean => !lt(price, low) && !gt(price, high);

/** Bitsgap layout lines P_0·(1+s)^k nearest to P_0 within the range: [SO lines (nearest first), exit lines]. */
function bitsgapLines(p: ComboParams, p0: Dec): { below: Dec[]; above: Dec[] } {
  const { low, high } = rangeOf(p, p0);
  const lattice: Lattice = {
    mode: 'geometric',
    anchor: p0,
    step: add('1', div(p.stepPct ?? '1', '100')),
    iMin: -400,
    iMax: 400,
  };
  const below: Dec[] = [];
  const above: Dec[] = [];
  for (let k = 1; k <= 400 && below.length + above.length < (p.levels ?? 0); k++) {
    const up = priceAt(lattice, k);
    const down = priceAt(lattice, -k);
    const upOk = !gt(up, high);
    const downOk = !lt(down, low);
    if (!upOk && !downOk) break;
    if (upOk) above.push(up);
    if (downOk && below.length + above.length < (p.levels ?? 0)) below.push(down);
  }
  return p.direction === 'LONG' ? { below, above } : { below: above, above: below };
}

/** The safety orders of a deal from P_0 (§6.3.1): price and quantity, SOs outside the range dropped. */
export function safetyPlan(p: ComboParams, p0: Dec): { price: Dec; qty: Dec }[] {
  const so = p.safetyOrders;
  if (p.layout === 'bitsgap')
    return bitsgapLines(p, p0).below.map((price) => ({ price, qty: sizeQty(so.qty, so.quote, price) }));
  const { low, high } = rangeOf(p, p0);
  const s = div(so.stepPct, '100');
  const out: { price: Dec; qty: Dec }[] = [];
  let deviation = '0';
  for (let i = 1; i <= so.count; i++) {
    deviation = add(deviation, mul(s, pow(so.stepMultiplier, i - 1)));
    const price = mul(p0, sub('1', mul(comboSign(p), deviation)));
    const qty = mul(sizeQty(so.qty, so.quote, price), pow(so.volumeMultiplier, i - 1));
    if (gt(price, '0') && inRange(price, low, high)) out.push({ price, qty });
  }
  return out;
}

/**
 * Exit rungs X_0..X_L (§6.3.2): X_0 = A, X_i = A·(1 + σ·(minProfit + (i−1)·step)) — an arithmetic
 * lattice line of the shared lattice — dropping rungs beyond the range. Bitsgap layout: the lattice lines above P_0.
 */
export function exitRungs(p: ComboParams, anchor: Dec, p0: Dec): Dec[] {
  if (p.layout === 'bitsgap') return [p0, ...bitsgapLines(p, p0).above];
  const { low, high } = rangeOf(p, p0);
  const sign = comboSign(p);
  const step = mul(sign, mul(anchor, div(p.exit.stepPct, '100')));
  const first = mul(anchor, add('1', mul(sign, div(p.exit.minProfitPct, '100'))));
  const lattice: Lattice = {
    mode: 'arithmetic',
    anchor: sub(first, step),
    step,
    iMin: 1,
    iMax: p.exit.levels,
  };
  const rungs = [anchor];
  for (let i = 1; i <= p.exit.levels; i++) {
    const x = priceAt(lattice, i);
    if (!inRange(x, low, high)) break;
    rungs.push(x);
  }
  return rungs;
}

/** Splits a position over n rungs: floor_step(position / n) each, the last rung takes the remainder. */
export function splitPosition(position: Dec, n: number, lot: Dec): Dec[] {
  if (n <= 0) return [];
  const each = toStep(div(position, String(n)), lot, 'floor');
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? sub(position, mul(each, String(n - 1))) : each));
}

/** The liquidation price once every safety order has filled (COMBO_LIQ), each fill paying `feeRate`. */
export function worstLiquidation(p: ComboParams, p0: Dec, feeRate: Dec, mmr: Dec): Dec | undefined {
  const baseQty = sizeQty(p.baseOrder.qty, p.baseOrder.quote, p0);
  const side = p.direction === 'LONG' ? 'buy' : 'sell';
  const wallet = sub(p.investment, mul(mul(baseQty, p0), feeRate));
  const position = { qty: p.direction === 'LONG' ? baseQty : mul('-1', baseQty), entryPrice: p0 };
  const pending = safetyPlan(p, p0).map((o) => ({ side, price: o.price, qty: o.qty }) as const);
  return worstCaseLiquidation(wallet, position, pending, p.direction === 'LONG' ? 'long' : 'short', feeRate, {
    mmr,
  }).liquidationPrice;
}

/** Trailing stop from the best price: peak·(1 − pct) LONG, trough·(1 + pct) SHORT. */
export const comboStopPrice = (p: ComboParams, extreme: Dec): Dec =>
  mul(extreme, sub('1', mul(comboSign(p), div(p.stopLoss.pct, '100'))));
