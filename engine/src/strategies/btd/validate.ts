/** BTD validation and risk rules (§3.5). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { assignSides, intervals, priceAt } from '../shared/lattice.ts';
import {
  Issues,
  MIN_NOTIONAL_SAFETY,
  checkLattice,
  checkMinInvestment,
  checkOrderSize,
  checkRangeAndCount,
} from '../shared/validation.ts';
import { btdLattice } from './params.ts';
import type { BtdParams } from './params.ts';
import { initialBuyQuote, unitOf } from './state.ts';

/** Every §3.5 rule that params, the market and (when known) the start price decide. */
export function validateBtd(p: BtdParams, market: MarketInfo, referencePrice?: Dec): readonly ParamIssue[] {
  const issues = new Issues();
  const fee = p.feeRatePct !== undefined ? str(dec(p.feeRatePct).dividedBy(100)) : market.maker;
  issues.check(
    dec(p.investment).greaterThan(0),
    'investment',
    'investment-invalid',
    `investment (base) must be > 0, was ${p.investment}`,
  );
  const trailing = p.trailingDown.enabled || p.trailingUp.enabled;
  issues.check(
    !trailing || p.pumpProtection.enabled,
    'pumpProtection.enabled',
    'btd-pump-protection-required',
    'pump protection cannot be disabled for BTD while trailing is on',
  );
  const ref = p.triggerPrice ?? referencePrice;
  const latticeOk =
    p.layout === 'range'
      ? checkRangeAndCount(issues, { ...p, lowPrice: p.lowPrice ?? '0', highPrice: p.highPrice ?? '0' })
      : checkAnchored(issues, p);
  if (latticeOk && ref !== undefined) {
    const lattice = btdLattice(p, ref);
    checkLattice(issues, lattice, market, fee, 'FEE_IN_RECEIVED_ASSET');
    if (intervals(lattice) >= 2) checkSizes(issues, p, market, fee, ref);
  }
  checkStops(issues, p, referencePrice);
  return issues.list;
}

function checkAnchored(issues: Issues, p: BtdParams): boolean {
  const levels = issues.check(
    (p.levelsDown ?? 0) >= 1 && (p.levelsUp ?? 0) >= 1,
    'levelsDown',
    'btd-levels',
    'anchored layout needs levelsDown ≥ 1 and levelsUp ≥ 1',
  );
  const step = issues.check(
    p.gridStepPct !== undefined &&
      dec(p.gridStepPct).greaterThan(0) &&
      dec(p.gridStepPct).lessThanOrEqualTo(50),
    'gridStepPct',
    'grid-step-range',
    `anchored layout needs gridStepPct in (0, 50], was ${p.gridStepPct ?? 'unset'}`,
  );
  return levels && step;
}

function checkSizes(issues: Issues, p: BtdParams, market: MarketInfo, fee: Dec, ref: Dec): void {
  const lattice = btdLattice(p, ref);
  if (!p.allowStartOutOfRange) {
    issues.check(
      dec(ref).greaterThanOrEqualTo(priceAt(lattice, lattice.iMin)) &&
        dec(ref).lessThanOrEqualTo(priceAt(lattice, lattice.iMax)),
      'lowPrice',
      'price-out-of-range',
      `start price ${ref} is outside the lattice`,
    );
  }
  const sides = assignSides(lattice, ref);
  const unit = unitOf(p.investment, lattice, sides, ref);
  const firstSell = sides.sells[0];
  if (
    firstSell !== undefined &&
    !checkOrderSize(issues, market, unit, priceAt(lattice, firstSell), 'investment', 'sell unit U')
  ) {
    relabel(issues, 'btd-unit-below-min');
  }
  const minCost = dec(market.limits.cost.min ?? '0').times(MIN_NOTIONAL_SAFETY);
  const smallest = sides.buys
    .map((k) => initialBuyQuote(unit, lattice, k, fee))
    .sort((a, b) => dec(a).comparedTo(b))[0];
  if (smallest !== undefined) {
    issues.check(
      dec(smallest).greaterThanOrEqualTo(minCost),
      'investment',
      'btd-buy-below-min',
      `the smallest buy spends ${smallest}, below ${str(minCost)}`,
    );
  }
  checkMinInvestment(issues, market, str(dec(p.investment).times(ref)), intervals(lattice));
}

function relabel(issues: Issues, code: string): void {
  const last = issues.list.pop()!;
  issues.list.push({ ...last, code });
}

function checkStops(issues: Issues, p: BtdParams, referencePrice?: Dec): void {
  const refs = [referencePrice, p.triggerPrice].filter((x): x is Dec => x !== undefined);
  const sl = p.stopLoss.price;
  const tp = p.takeProfit.price;
  if (sl !== undefined)
    issues.check(
      refs.every((r) => dec(sl).greaterThan(r)),
      'stopLoss.price',
      'btd-stop-side',
      `stopLoss.price ${sl} must be above the start and trigger prices (BTD stops on a rally)`,
    );
  if (tp !== undefined)
    issues.check(
      refs.every((r) => dec(tp).lessThan(r)) && dec(tp).greaterThan(0),
      'takeProfit.price',
      'btd-stop-side',
      `takeProfit.price ${tp} must be below the start and trigger prices`,
    );
  if (p.stopLoss.pnlPct !== undefined)
    issues.check(
      dec(p.stopLoss.pnlPct).lessThan(0),
      'stopLoss.pnlPct',
      'stop-levels',
      `stopLoss.pnlPct must be < 0`,
    );
  if (p.takeProfit.pnlPct !== undefined)
    issues.check(
      dec(p.takeProfit.pnlPct).greaterThan(0),
      'takeProfit.pnlPct',
      'stop-levels',
      `takeProfit.pnlPct must be > 0`,
    );
}
