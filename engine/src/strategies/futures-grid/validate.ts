/** Futures grid validation (§5.5), including the worst-case liquidation checks with all pending orders filled. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { intervals, priceAt } from '../shared/lattice.ts';
import {
  Issues,
  checkLattice,
  checkMinInvestment,
  checkOrderSize,
  checkRangeAndCount,
} from '../shared/validation.ts';
import { futuresFee } from './params.ts';
import type { FuturesGridParams } from './params.ts';
import { bracketOf, futuresLattice, planFuturesGrid, worstCases } from './plan.ts';

/** Every §5.5 rule that params, the market and (when known) the start price decide. */
export function validateFuturesGrid(
  p: FuturesGridParams,
  market: MarketInfo,
  referencePrice?: Dec,
): readonly ParamIssue[] {
  const issues = new Issues();
  const fee = futuresFee(p, market);
  const maxLeverage = market.limits.leverage?.max;
  issues.check(
    p.leverage >= 1 && (maxLeverage === undefined || dec(p.leverage).lessThanOrEqualTo(maxLeverage)),
    'leverage',
    'fut-leverage-range',
    `leverage must be between 1 and ${maxLeverage ?? 'the venue maximum'}, was ${p.leverage}`,
  );
  issues.check(
    dec(p.investment).greaterThan(0),
    'investment',
    'investment-invalid',
    `investment must be > 0, was ${p.investment}`,
  );
  issues.check(
    dec(p.reservedMarginPct).greaterThanOrEqualTo(0) && dec(p.reservedMarginPct).lessThanOrEqualTo(50),
    'reservedMarginPct',
    'fut-reserved-margin',
    `reservedMarginPct must be in 0..50, was ${p.reservedMarginPct}`,
  );
  checkTrailLimits(issues, p);
  if (!checkRangeAndCount(issues, p)) return issues.list;
  const lattice = futuresLattice(p);
  checkLattice(issues, lattice, market, fee, 'FEE_IN_QUOTE');
  const ref = p.triggerPrice ?? referencePrice;
  if (ref === undefined || intervals(lattice) < 2) return issues.list;
  checkStopSides(issues, p, ref);
  const plan = planFuturesGrid(p, market, ref, lattice);
  const lowest = priceAt(lattice, lattice.iMin);
  if (!checkOrderSize(issues, market, plan.q, lowest, 'investment', 'quantity per line')) {
    const last = issues.list.pop()!;
    issues.list.push({ ...last, code: 'fut-qty-min' });
  }
  checkMinInvestment(issues, market, str(dec(p.investment).times(p.leverage)), intervals(lattice));
  checkLiquidation(issues, p, market, ref, plan, fee);
  return issues.list;
}

function checkLiquidation(
  issues: Issues,
  p: FuturesGridParams,
  market: MarketInfo,
  ref: Dec,
  plan: ReturnType<typeof planFuturesGrid>,
  fee: Dec,
): void {
  const buffer = dec(p.liquidationBufferPct).dividedBy(100);
  const worst = worstCases(p, plan, ref, fee, bracketOf(market));
  const longLp = worst.long?.liquidationPrice;
  const shortLp = worst.short?.liquidationPrice;
  if (longLp !== undefined) {
    issues.check(
      dec(longLp).lessThan(dec(p.lowPrice).times(dec(1).minus(buffer))),
      'leverage',
      'fut-liq-inside-grid',
      `worst-case long liquidation ${str(dec(longLp).toDecimalPlaces(4))} is not below lowPrice ${p.lowPrice} less ${p.liquidationBufferPct} %`,
    );
    const sl = p.direction === 'LONG' ? p.stopLoss.price : p.stopBottomPrice;
    if (sl !== undefined)
      issues.check(
        dec(sl).greaterThan(dec(longLp).times(buffer.plus(1))),
        p.direction === 'LONG' ? 'stopLoss.price' : 'stopBottomPrice',
        'fut-stop-beyond-liq',
        `stop ${sl} must be above the worst-case liquidation ${str(dec(longLp).toDecimalPlaces(4))} plus the buffer`,
      );
  }
  if (shortLp !== undefined) {
    issues.check(
      dec(shortLp).greaterThan(dec(p.highPrice).times(buffer.plus(1))),
      'leverage',
      'fut-liq-inside-grid',
      `worst-case short liquidation ${str(dec(shortLp).toDecimalPlaces(4))} is not above highPrice ${p.highPrice} plus ${p.liquidationBufferPct} %`,
    );
    const sl = p.direction === 'SHORT' ? p.stopLoss.price : p.stopTopPrice;
    if (sl !== undefined)
      issues.check(
        dec(sl).lessThan(dec(shortLp).times(dec(1).minus(buffer))),
        p.direction === 'SHORT' ? 'stopLoss.price' : 'stopTopPrice',
        'fut-stop-beyond-liq',
        `stop ${sl} must be below the worst-case liquidation ${str(dec(shortLp).toDecimalPlaces(4))} less the buffer`,
      );
  }
}

function checkStopSides(issues: Issues, p: FuturesGridParams, ref: Dec): void {
  const above = (v: Dec | undefined, path: string): void => {
    if (v !== undefined)
      issues.check(
        dec(v).greaterThan(ref),
        path,
        'fut-stops-side',
        `${path} ${v} must be above the start price ${ref}`,
      );
  };
  const below = (v: Dec | undefined, path: string): void => {
    if (v !== undefined)
      issues.check(
        dec(v).lessThan(ref),
        path,
        'fut-stops-side',
        `${path} ${v} must be below the start price ${ref}`,
      );
  };
  if (p.direction === 'LONG') {
    above(p.takeProfit.price, 'takeProfit.price');
    below(p.stopLoss.price, 'stopLoss.price');
  }
  if (p.direction === 'SHORT') {
    below(p.takeProfit.price, 'takeProfit.price');
    above(p.stopLoss.price, 'stopLoss.price');
  }
  above(p.stopTopPrice, 'stopTopPrice');
  below(p.stopBottomPrice, 'stopBottomPrice');
  issues.check(
    p.direction === 'NEUTRAL' || (p.stopTopPrice === undefined && p.stopBottomPrice === undefined),
    'stopTopPrice',
    'fut-stops-side',
    'stopTopPrice and stopBottomPrice are for NEUTRAL grids; use takeProfit and stopLoss',
  );
}

function checkTrailLimits(issues: Issues, p: FuturesGridParams): void {
  const up = p.trailingUp.limitPrice;
  const down = p.trailingDown.limitPrice;
  if (p.trailingUp.enabled)
    issues.check(
      up !== undefined && dec(up).greaterThan(p.highPrice),
      'trailingUp.limitPrice',
      'fut-trail-limits',
      `trailingUp needs a limitPrice above highPrice ${p.highPrice}`,
    );
  if (p.trailingDown.enabled)
    issues.check(
      down !== undefined && dec(down).lessThan(p.lowPrice),
      'trailingDown.limitPrice',
      'fut-trail-limits',
      `trailingDown needs a limitPrice below lowPrice ${p.lowPrice}`,
    );
}
