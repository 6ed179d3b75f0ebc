/**
 * The liquidation projection of strategies/dca-twap-risk.md §3.3.4 (OKX approach): the isolated
 * liquidation price after each assumed fill of the ladder, using the shared futures maths
 * (`shared/futures.ts`), and the per-level buffer checks F2.
 */
import { add, div, gt, lt, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { liquidationPrice } from '../shared/futures.ts';
import { notionalOf, pctToRatio, planLadder, stopLossPrice } from '../dca/ladder.ts';
import type { DcaFuturesParams } from './params.ts';

/** The position after levels 0..k have filled. */
export interface ProjectedLevel {
  readonly k: number;
  readonly price: Dec;
  readonly margin: Dec;
  readonly notional: Dec;
  readonly qty: Dec;
  /** Cumulative quantity Q, notional, isolated margin M, average entry and liquidation price. */
  readonly position: Dec;
  readonly totalNotional: Dec;
  readonly totalMargin: Dec;
  readonly average: Dec;
  readonly liquidation: Dec;
}

/** Projects every level from P_0 with maintenance rate `mmr` and amount `cum` (fills at level prices, no rounding). */
export function projectLadder(p: DcaFuturesParams, p0: Dec, mmr: Dec, cum: Dec = '0'): ProjectedLevel[] {
  const sizing = { leverage: p.leverage, maxQuote: p.budget.maxQuote };
  const legs = [
    { k: 0, price: p0, notional: notionalOf(p.baseOrder.size, p.baseOrder.sizeUnit, p0, sizing) },
    ...planLadder(p, p0).map((l) => ({
      k: l.k,
      price: l.price,
      notional: notionalOf(l.size, p.safetyOrders.sizeUnit, l.price, sizing),
    })),
  ];
  const out: ProjectedLevel[] = [];
  let q = '0';
  let n = '0';
  let m = '0';
  for (const leg of legs) {
    const qty = div(leg.notional, leg.price);
    const margin = div(leg.notional, p.leverage);
    q = add(q, qty);
    n = add(n, leg.notional);
    m = add(m, margin);
    const average = div(n, q);
    const signed = p.direction === 'long' ? q : mul('-1', q);
    const lp = liquidationPrice(m, { qty: signed, entryPrice: average }, { mmr, cum }) ?? '0';
    out.push({
      k: leg.k,
      price: leg.price,
      margin,
      notional: leg.notional,
      qty,
      position: q,
      totalNotional: n,
      totalMargin: m,
      average,
      liquidation: lp,
    });
  }
  return out;
}

/** One failed projection check. */
export interface ProjectionFailure {
  readonly k: number;
  readonly rule:
    'nextSafetyOrder' | 'lastSafetyOrder' | 'stopLossBeyondBufferedLiquidation' | 'liquidationBeforeStopLoss';
  readonly liquidation: Dec;
  readonly limit: Dec;
}

/** The buffered liquidation price LP' = LP + (avg − LP)·bufferRatio (freqtrade `liquidation_buffer`). */
export const bufferedLiquidation = (lp: Dec, avg: Dec, ratio: Dec): Dec => add(lp, mul(sub(avg, lp), ratio));

/** F2: checks 1–3 of §3.3.4 for every level (long; mirrored for short). */
export function projectionFailures(
  p: DcaFuturesParams,
  levels: readonly ProjectedLevel[],
): ProjectionFailure[] {
  const long = p.direction === 'long';
  const b = pctToRatio(p.liquidation.minDistancePct);
  const safeSide = (price: Dec): Dec => mul(price, long ? sub('1', b) : add('1', b));
  const beyond = (lp: Dec, limit: Dec): boolean => (long ? gt(lp, limit) : lt(lp, limit));
  const out: ProjectionFailure[] = [];
  levels.forEach((level, i) => {
    const next = levels[i + 1];
    const limit = safeSide((next ?? level).price);
    if (beyond(level.liquidation, limit))
      out.push({
        k: level.k,
        rule: next ? 'nextSafetyOrder' : 'lastSafetyOrder',
        liquidation: level.liquidation,
        limit,
      });
  });
  const last = levels[levels.length - 1];
  if (last && gt(p.stopLoss.pct, '0')) {
    const ref = p.stopLoss.base === 'average' ? last.average : levels[0]!.price;
    const sl = stopLossPrice(ref, p.direction, p.stopLoss.pct);
    const buffered = bufferedLiquidation(last.liquidation, last.average, p.liquidation.bufferRatio);
    if (long ? lt(sl, buffered) : gt(sl, buffered))
      out.push({ k: last.k, rule: 'stopLossBeyondBufferedLiquidation', liquidation: buffered, limit: sl });
    const limit = safeSide(sl);
    if (beyond(last.liquidation, limit))
      out.push({ k: last.k, rule: 'liquidationBeforeStopLoss', liquidation: last.liquidation, limit });
  }
  return out;
}
