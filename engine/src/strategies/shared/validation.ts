/** Validation building blocks shared by the grid family (§2.5 lattice rules reused by BTD, Loop, Futures Grid). */
import { dec, str, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { MAX_LEVELS, intervals, linePrices, worstIntervalRatio } from './lattice.ts';
import type { Lattice } from './lattice.ts';
import { pairProfitFraction } from './profit.ts';
import type { FeeModel } from './profit.ts';

/** Order placement margin over the exchange minimum notional (§1.6, hummingbot's 5 %). */
export const MIN_NOTIONAL_SAFETY = '1.05';
/** Minimum-investment multiple of the exchange minimum notional per order (§1.6, Bitsgap [C:S6]). */
export const MIN_INVESTMENT_FACTOR = '2';

/** Collects issues; `check(ok, …)` adds one when `ok` is false. */
export class Issues {
  readonly list: ParamIssue[] = [];
  check(ok: boolean, path: string, code: string, message: string): boolean {
    if (!ok) this.list.push({ path, code, message });
    return ok;
  }
  /** Adds a warning (reported, but the params stay valid) when `ok` is false. */
  warn(ok: boolean, path: string, code: string, message: string): boolean {
    if (!ok) this.list.push({ path, code, message, severity: 'warning' });
    return ok;
  }
}

/** Bounds and count rules for a grid range: `0 < low < high`, exactly one of count or step, `2 ≤ N`, `N + 1 ≤ 500`. */
export function checkRangeAndCount(
  issues: Issues,
  p: {
    readonly lowPrice: Dec;
    readonly highPrice: Dec;
    readonly gridCount?: number;
    readonly gridStepPct?: Dec;
  },
): boolean {
  const rangeOk = issues.check(
    dec(p.lowPrice).greaterThan(0) && dec(p.lowPrice).lessThan(p.highPrice),
    'lowPrice',
    'grid-range-invalid',
    `lowPrice must be > 0 and below highPrice (${p.highPrice}), was ${p.lowPrice}`,
  );
  const one = (p.gridCount === undefined) !== (p.gridStepPct === undefined);
  const exclusive = issues.check(
    one,
    'gridCount',
    'grid-count-or-step',
    'set exactly one of gridCount and gridStepPct',
  );
  if (p.gridStepPct !== undefined) {
    issues.check(
      dec(p.gridStepPct).greaterThan(0) && dec(p.gridStepPct).lessThanOrEqualTo(50),
      'gridStepPct',
      'grid-step-range',
      `gridStepPct must be in (0, 50], was ${p.gridStepPct}`,
    );
  }
  if (p.gridCount !== undefined) {
    issues.check(
      p.gridCount >= 2 && p.gridCount + 1 <= MAX_LEVELS,
      'gridCount',
      'grid-count-range',
      `gridCount must be between 2 and ${MAX_LEVELS - 1} (lines ≤ ${MAX_LEVELS}), was ${p.gridCount}`,
    );
  }
  return rangeOk && exclusive && (p.gridStepPct === undefined || dec(p.gridStepPct).greaterThan(0));
}

/** Lattice rules: line count within the cap, lines ≥ 1 tick apart after rounding, worst interval profitable. */
export function checkLattice(
  issues: Issues,
  lattice: Lattice,
  market: MarketInfo,
  fee: Dec,
  model: FeeModel,
): void {
  const n = intervals(lattice);
  if (
    !issues.check(
      n >= 2 && n + 1 <= MAX_LEVELS,
      'gridStepPct',
      'grid-count-range',
      `the step gives ${n} intervals; need 2..${MAX_LEVELS - 1}`,
    )
  )
    return;
  const ticks = linePrices(lattice).map((price) => toStep(price, market.precision.price, 'nearest'));
  const collapsed = ticks.some(
    (t, i) =>
      i > 0 &&
      dec(t)
        .minus(ticks[i - 1]!)
        .lessThan(market.precision.price),
  );
  issues.check(
    !collapsed,
    'gridCount',
    'grid-step-below-tick',
    `adjacent lines are less than one tick (${market.precision.price}) apart`,
  );
  const worst = pairProfitFraction('1', worstIntervalRatio(lattice), fee, model);
  const profitable = issues.check(
    dec(worst).greaterThan(0),
    'gridCount',
    'grid-unprofitable',
    `the narrowest interval nets ${str(dec(worst).times(100))} % after fees of ${str(dec(fee).times(100))} % per side`,
  );
  if (profitable) {
    issues.warn(
      dec(worst).greaterThanOrEqualTo(dec(fee).times(3)),
      'gridCount',
      'grid-low-profit',
      `the narrowest interval nets only ${str(dec(worst).times(100))} %, below three fees (§2.5)`,
    );
  }
}

/** `qty ≥ minQty` and `qty·price ≥ minNotional·1.05` (§1.6); `path` names the field that sizes the order. */
export function checkOrderSize(
  issues: Issues,
  market: MarketInfo,
  qty: Dec,
  price: Dec,
  path: string,
  what: string,
): boolean {
  const minQty = market.limits.amount.min ?? market.precision.amount;
  const minCost = dec(market.limits.cost.min ?? '0').times(MIN_NOTIONAL_SAFETY);
  const floored = toStep(qty, market.precision.amount, 'floor');
  return issues.check(
    dec(floored).greaterThanOrEqualTo(minQty) && dec(floored).times(price).greaterThanOrEqualTo(minCost),
    path,
    'order-below-min',
    `${what}: ${floored} at ${price} is below the market minimum (qty ${minQty}, notional ${str(minCost)} incl. 5 % margin)`,
  );
}

/** `investment ≥ orders · minNotional · 2` (§2.5 MIN_INVESTMENT). */
export function checkMinInvestment(
  issues: Issues,
  market: MarketInfo,
  investmentQuote: Dec,
  orders: number,
  path = 'investment',
): void {
  const needed = dec(market.limits.cost.min ?? '0')
    .times(orders)
    .times(MIN_INVESTMENT_FACTOR);
  issues.check(
    dec(investmentQuote).greaterThanOrEqualTo(needed),
    path,
    'min-investment',
    `investment ${investmentQuote} is below the minimum ${str(needed)} (${orders} orders × ${market.limits.cost.min ?? '0'} × 2)`,
  );
}
