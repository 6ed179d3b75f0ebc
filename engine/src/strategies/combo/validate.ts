/** Combo validation (grid-family.md §6.5); checks needing P_0 run when a reference price is given. */
import { add, div, gt, lt, mul, sub, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { issue, warning } from '../dca/validate.ts';
import type { ComboParams } from './params.ts';
import {
  comboStopPrice,
  exitRungs,
  rangeOf,
  safetyPlan,
  sizeQty,
  splitPosition,
  worstLiquidation,
} from './plan.ts';

/** Every Combo rule. */
export function validateCombo(p: ComboParams, market: MarketInfo, referencePrice?: Dec): ParamIssue[] {
  const out: ParamIssue[] = [];
  if (!gt(p.investment, '0'))
    out.push(issue('investment', 'combo-investment-required', 'investment must be > 0'));
  if ((p.baseOrder.qty === null) === (p.baseOrder.quote === null))
    out.push(
      issue('baseOrder', 'combo-size-required', 'give exactly one of baseOrder.qty and baseOrder.quote'),
    );
  if (
    p.layout === 'canonical' &&
    p.safetyOrders.count > 0 &&
    (p.safetyOrders.qty === null) === (p.safetyOrders.quote === null)
  )
    out.push(
      issue(
        'safetyOrders',
        'combo-size-required',
        'give exactly one of safetyOrders.qty and safetyOrders.quote',
      ),
    );
  if (lt(p.safetyOrders.stepMultiplier, '1') || lt(p.safetyOrders.volumeMultiplier, '1'))
    out.push(
      issue(
        'safetyOrders.stepMultiplier',
        'combo-multiplier-below-one',
        'step and volume multipliers must be ≥ 1',
      ),
    );
  if (p.exit.levels < 1) out.push(issue('exit.levels', 'combo-exit-levels', 'exit.levels must be ≥ 1'));
  if (!gt(p.exit.stepPct, '0'))
    out.push(issue('exit.stepPct', 'combo-exit-step', 'exit.stepPct must be > 0'));
  if (p.layout === 'bitsgap') {
    const s = p.stepPct ?? '0';
    if (lt(s, '0.1') || gt(s, '2') || p.levels === null || p.levels < 10 || p.levels > 40)
      out.push(
        issue(
          'stepPct',
          'combo-bitsgap-limits',
          'layout bitsgap needs 0.1 ≤ stepPct ≤ 2 and 10 ≤ levels ≤ 40',
        ),
      );
    if (!p.stopLoss.trailing)
      out.push(
        issue(
          'stopLoss.trailing',
          'combo-sl-trailing',
          'the Bitsgap-compatible stop loss is always trailing',
        ),
      );
    if (!gt(p.stopLoss.pct, '0'))
      out.push(issue('stopLoss.pct', 'combo-sl-required', 'layout bitsgap requires stopLoss.pct > 0'));
  }
  const f = market.taker;
  const keep = div(mul(add('1', div(p.exit.minProfitPct, '100')), sub('1', f)), add('1', f));
  if (!gt(keep, '1'))
    out.push(
      issue(
        'exit.minProfitPct',
        'combo-exit-profit',
        `exit.minProfitPct ${p.exit.minProfitPct} does not clear two fees`,
      ),
    );
  if (referencePrice !== undefined) priced(p, market, referencePrice, out);
  return out;
}

function priced(p: ComboParams, market: MarketInfo, p0: Dec, out: ParamIssue[]): void {
  const { low, high } = rangeOf(p, p0);
  if (!(lt(low, p0) && lt(p0, high)))
    out.push(issue('lowPrice', 'combo-range', `lowPrice < P0 ${p0} < highPrice is required`));
  const sos = safetyPlan(p, p0);
  if (p.layout === 'canonical' && sos.length < p.safetyOrders.count)
    out.push(
      warning(
        'safetyOrders.count',
        'combo-so-outside-range',
        `${p.safetyOrders.count - sos.length} safety orders fall outside the range and are dropped`,
      ),
    );
  const baseQty = sizeQty(p.baseOrder.qty, p.baseOrder.quote, p0);
  const rungs = exitRungs(p, p0, p0);
  if (rungs.length < 2)
    out.push(issue('exit.minProfitPct', 'combo-so-fit', 'no exit rung fits inside the range'));
  // COMBO_MARGIN (reserve 0 [I]): the whole ladder's notional over leverage fits the investment.
  const maxNotional = add(mul(baseQty, p0), sum(sos.map((o) => mul(o.qty, o.price))));
  if (gt(div(maxNotional, p.leverage), p.investment))
    out.push(
      issue(
        'investment',
        'combo-margin',
        `max margin ${div(maxNotional, p.leverage)} exceeds the investment ${p.investment}`,
      ),
    );
  const lp = worstLiquidation(p, p0, market.taker, market.maintenanceMarginRate ?? '0');
  const buffer = div(p.liquidationBufferPct, '100');
  const sl = gt(p.stopLoss.pct, '0') ? comboStopPrice(p, p0) : null;
  const long = p.direction === 'LONG';
  const safe = (price: Dec): Dec => mul(price, long ? sub('1', buffer) : add('1', buffer));
  const beyond = (x: Dec, limit: Dec): boolean => (long ? !lt(x, limit) : !gt(x, limit));
  const lastSo = sos[sos.length - 1];
  if (
    market.type === 'swap' &&
    lp !== undefined &&
    ((lastSo && beyond(lp, safe(lastSo.price))) || (sl !== null && beyond(lp, safe(sl))))
  )
    out.push(
      issue(
        'leverage',
        'combo-liq',
        `worst-case liquidation ${lp} is not safely beyond the last SO and the stop loss`,
      ),
    );
  if (sl !== null && lastSo && (long ? gt(sl, lastSo.price) : lt(sl, lastSo.price)))
    out.push(
      warning(
        'stopLoss.pct',
        'combo-sl-beyond-dca',
        'the initial stop loss sits before the last safety order, which can never fill',
      ),
    );
  minimums(
    market,
    [baseQty, ...sos.map((o) => o.qty), ...splitPosition(baseQty, rungs.length - 1, market.precision.amount)],
    [p0, ...sos.map((o) => o.price), ...rungs.slice(1)],
    out,
  );
}

function minimums(market: MarketInfo, qtys: readonly Dec[], prices: readonly Dec[], out: ParamIssue[]): void {
  const minQty = market.limits.amount.min;
  const minCost = market.limits.cost.min;
  qtys.forEach((qty, i) => {
    const price = prices[i] ?? prices[0]!;
    if (
      (minQty !== undefined && lt(qty, minQty)) ||
      (minCost !== undefined && lt(mul(qty, price), mul(minCost, '1.05')))
    )
      out.push(
        issue(
          i === 0 ? 'baseOrder' : 'safetyOrders',
          'combo-order-below-min',
          `order ${i} (${qty} at ${price}) is below the market minimum`,
        ),
      );
  });
}
