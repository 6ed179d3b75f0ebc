/** Grid validation and risk rules (§2.5); codes are the document's, in kebab-case. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { assignSides, intervals, linePrices, priceAt } from '../shared/lattice.ts';
import {
  Issues,
  checkLattice,
  checkMinInvestment,
  checkOrderSize,
  checkRangeAndCount,
} from '../shared/validation.ts';
import { feeFraction, gridLattice } from './params.ts';
import type { GridParams } from './params.ts';

/** Every §2.5 rule that params, the market and (when known) the start price decide. */
export function validateGrid(p: GridParams, market: MarketInfo, referencePrice?: Dec): readonly ParamIssue[] {
  const issues = new Issues();
  const fee = feeFraction(p.feeRatePct, market);
  issues.check(
    dec(p.investment).greaterThan(0),
    'investment',
    'investment-invalid',
    `investment must be > 0, was ${p.investment}`,
  );
  if (p.gridStepPct !== undefined) {
    issues.check(
      dec(p.gridStepPct).greaterThan(dec(fee).times(200)),
      'gridStepPct',
      'grid-unprofitable',
      `gridStepPct ${p.gridStepPct} must exceed twice the fee (${str(dec(fee).times(200))} %)`,
    );
  }
  if (checkRangeAndCount(issues, p)) {
    const lattice = gridLattice(p);
    checkLattice(issues, lattice, market, fee, 'FEE_IN_RECEIVED_ASSET');
    if (intervals(lattice) >= 2) checkSizes(issues, p, market, fee, referencePrice);
  }
  checkTrailing(issues, p);
  warnTrailingMinQty(issues, p, market);
  checkStops(issues, p, referencePrice);
  return issues.list;
}

function checkSizes(issues: Issues, p: GridParams, market: MarketInfo, fee: Dec, referencePrice?: Dec): void {
  const lattice = gridLattice(p);
  const n = intervals(lattice);
  const ref = p.triggerPrice ?? referencePrice;
  if (ref !== undefined && !p.allowStartOutOfRange) {
    issues.check(
      dec(ref).greaterThanOrEqualTo(p.lowPrice) && dec(ref).lessThanOrEqualTo(priceAt(lattice, lattice.iMax)),
      'lowPrice',
      'price-out-of-range',
      `start price ${ref} is outside the grid ${p.lowPrice}..${p.highPrice} (set allowStartOutOfRange to allow)`,
    );
  }
  checkMinInvestment(issues, market, p.investment, n);
  const q = str(dec(p.investment).dividedBy(n));
  if (p.orderSizeMode === 'quote') {
    // The highest buy line buys the least base; the lowest sell line gets the least notional.
    checkOrderSize(
      issues,
      market,
      str(dec(q).dividedBy(priceAt(lattice, lattice.iMax))),
      priceAt(lattice, lattice.iMax),
      'investment',
      'buy per line',
    );
    if (ref !== undefined) {
      const sides = assignSides(lattice, ref);
      const first = sides.sells[0];
      const perSell = str(dec(q).times(dec(1).minus(fee)).dividedBy(ref));
      if (first !== undefined)
        checkOrderSize(
          issues,
          market,
          perSell,
          priceAt(lattice, first),
          'investment',
          'initial sell per line',
        );
    }
  } else {
    const prices = linePrices(lattice);
    const perOrder = str(
      dec(p.investment).dividedBy(dec(prices.reduce((s, x) => dec(s).plus(x).toString(), '0'))),
    );
    checkOrderSize(issues, market, perOrder, prices[0]!, 'investment', 'base per order');
  }
}

function checkTrailing(issues: Issues, p: GridParams): void {
  const trailing = p.trailingUp.enabled || p.trailingDown.enabled;
  issues.check(
    !trailing || p.orderSizeMode === 'quote',
    p.trailingUp.enabled ? 'trailingUp.enabled' : 'trailingDown.enabled',
    'trailing-requires-quote-mode',
    'trailing needs orderSizeMode quote',
  );
  const up = p.trailingUp.limitPrice;
  if (up !== undefined) {
    issues.check(
      dec(up).greaterThan(p.highPrice),
      'trailingUp.limitPrice',
      'trailing-limits',
      `trailingUp.limitPrice ${up} must be above highPrice ${p.highPrice}`,
    );
  }
  if (!p.trailingDown.enabled) return;
  const stop = p.trailingDown.stopPrice;
  issues.check(
    stop !== undefined && dec(stop).lessThan(p.lowPrice),
    'trailingDown.stopPrice',
    'trailing-limits',
    `trailingDown.stopPrice must be set below lowPrice ${p.lowPrice}, was ${stop ?? 'unset'}`,
  );
  const n = p.gridCount ?? 0;
  const q = n > 0 ? str(dec(p.investment).dividedBy(n)) : '0';
  issues.check(
    dec(p.trailingDown.maxExtraQuote).greaterThanOrEqualTo(q) &&
      dec(p.trailingDown.maxExtraQuote).greaterThan(0),
    'trailingDown.maxExtraQuote',
    'trailing-limits',
    `trailingDown.maxExtraQuote must cover at least one order (${q}), was ${p.trailingDown.maxExtraQuote}`,
  );
}

function checkStops(issues: Issues, p: GridParams, referencePrice?: Dec): void {
  const refs = [referencePrice, p.triggerPrice].filter((x): x is Dec => x !== undefined);
  const sl = p.stopLoss.price;
  const tp = p.takeProfit.price;
  if (sl !== undefined) {
    issues.check(
      refs.every((r) => dec(sl).lessThan(r)) && dec(sl).greaterThan(0),
      'stopLoss.price',
      'stop-levels',
      `stopLoss.price ${sl} must be below the start and trigger prices`,
    );
  }
  if (tp !== undefined) {
    issues.check(
      refs.every((r) => dec(tp).greaterThan(r)),
      'takeProfit.price',
      'stop-levels',
      `takeProfit.price ${tp} must be above the start and trigger prices`,
    );
  }
  if (p.stopLoss.pnlPct !== undefined) {
    issues.check(
      dec(p.stopLoss.pnlPct).lessThan(0),
      'stopLoss.pnlPct',
      'stop-levels',
      `stopLoss.pnlPct must be < 0, was ${p.stopLoss.pnlPct}`,
    );
  }
  if (p.takeProfit.pnlPct !== undefined) {
    issues.check(
      dec(p.takeProfit.pnlPct).greaterThan(0),
      'takeProfit.pnlPct',
      'stop-levels',
      `takeProfit.pnlPct must be > 0, was ${p.takeProfit.pnlPct}`,
    );
  }
}

/** Trailing up stops for good once `Q / price < minQty` (§2.5 risk note): warn when that happens below the limit. */
function warnTrailingMinQty(issues: Issues, p: GridParams, market: MarketInfo): void {
  const limit = p.trailingUp.limitPrice;
  const minQty = market.limits.amount.min;
  if (!p.trailingUp.enabled || limit === undefined || minQty === undefined || p.gridCount === undefined)
    return;
  const q = dec(p.investment).dividedBy(p.gridCount);
  issues.warn(
    q.dividedBy(limit).greaterThanOrEqualTo(minQty),
    'trailingUp.limitPrice',
    'trailing-up-min-qty',
    `trailing up will stop before ${limit}: ${str(q)} quote buys less than the minimum quantity ${minQty} there`,
  );
}
