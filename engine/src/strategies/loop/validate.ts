/** Loop validation and risk rules (§4.5). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { MAX_LEVELS } from '../shared/lattice.ts';
import { Issues, checkMinInvestment, checkOrderSize } from '../shared/validation.ts';
import type { LoopParams } from './params.ts';
import { boundedSlots, slotPrice } from './slots.ts';

/** Every §4.5 rule that params, the market and (when the entry is not fixed) the start price decide. */
export function validateLoop(p: LoopParams, market: MarketInfo, referencePrice?: Dec): readonly ParamIssue[] {
  const issues = new Issues();
  const fee = p.feeRatePct !== undefined ? str(dec(p.feeRatePct).dividedBy(100)) : market.maker;
  const d = dec(p.orderDistancePct).dividedBy(100);
  if (p.entryPrice !== undefined)
    issues.check(
      dec(p.entryPrice).greaterThan(0),
      'entryPrice',
      'loop-entry-invalid',
      `entryPrice must be > 0, was ${p.entryPrice}`,
    );
  issues.check(
    p.ordersPerSide >= 1,
    'ordersPerSide',
    'loop-orders-per-side',
    `ordersPerSide must be ≥ 1, was ${p.ordersPerSide}`,
  );
  if (p.maxActiveOrders !== undefined) {
    issues.check(
      2 * p.ordersPerSide <= p.maxActiveOrders,
      'ordersPerSide',
      'loop-orders-per-side',
      `2·ordersPerSide must not exceed maxActiveOrders ${p.maxActiveOrders}`,
    );
  }
  issues.check(
    p.maxLevels >= 2 && p.maxLevels <= MAX_LEVELS,
    'maxLevels',
    'loop-level-cap',
    `maxLevels must be between 2 and ${MAX_LEVELS}, was ${p.maxLevels}`,
  );
  const keep = dec(1).minus(fee).pow(2);
  const roundTrip = p.latticeMode === 'linear' ? d.plus(1).dividedBy(dec(1).minus(d)) : d.plus(1).pow(2);
  const distanceOk = issues.check(
    d.greaterThan(dec(fee)) && d.lessThanOrEqualTo('0.5') && roundTrip.times(keep).greaterThan(1),
    'orderDistancePct',
    'loop-distance',
    `orderDistancePct ${p.orderDistancePct} must be above the fee and at most 50, and a loop must profit after fees`,
  );
  if (p.takeProfit.pnlPct !== undefined)
    issues.check(
      dec(p.takeProfit.pnlPct).greaterThan(0),
      'takeProfit.pnlPct',
      'loop-tp',
      'takeProfit.pnlPct must be > 0',
    );
  const entry = p.entryPrice ?? referencePrice;
  if (entry === undefined || !distanceOk || dec(entry).lessThanOrEqualTo(0)) return issues.list;
  issues.check(
    d.times(entry).greaterThanOrEqualTo(dec(market.precision.price).times(2)),
    'orderDistancePct',
    'loop-distance',
    `slots ${str(d.times(entry))} apart are closer than two ticks`,
  );
  if (p.takeProfit.price !== undefined)
    issues.check(
      !dec(p.takeProfit.price).equals(entry),
      'takeProfit.price',
      'loop-tp',
      'takeProfit.price must differ from the entry price',
    );
  checkBoundsAndSizes(issues, p, market, entry, fee);
  return issues.list;
}

function checkBoundsAndSizes(issues: Issues, p: LoopParams, market: MarketInfo, entry: Dec, fee: Dec): void {
  const firstBuy = slotPrice(p, entry, -1);
  const firstSell = slotPrice(p, entry, 1);
  const low = issues.check(
    dec(p.lowPrice).lessThan(firstBuy),
    'lowPrice',
    'loop-bounds',
    `lowPrice ${p.lowPrice} must be below the first buy slot ${firstBuy}`,
  );
  const high =
    p.highPrice === undefined ||
    issues.check(
      dec(p.highPrice).greaterThan(firstSell),
      'highPrice',
      'loop-bounds',
      `highPrice ${p.highPrice} must be above the first sell slot ${firstSell}`,
    );
  if (!low || !high) return;
  const split = p.initialMode === 'split';
  const q = str(dec(p.investment).dividedBy(split ? 2 * p.ordersPerSide : p.ordersPerSide));
  checkOrderSize(issues, market, str(dec(q).dividedBy(firstBuy)), firstBuy, 'investment', 'buy per slot');
  const buys = boundedSlots(p, entry, 'buy', p.ordersPerSide).length;
  const sells = split ? boundedSlots(p, entry, 'sell', p.ordersPerSide).length : 0;
  if (split)
    checkOrderSize(
      issues,
      market,
      str(dec(q).times(dec(1).minus(fee)).dividedBy(entry)),
      firstSell,
      'investment',
      'initial sell per slot',
    );
  checkMinInvestment(issues, market, p.investment, buys + sells);
  const reachable =
    boundedSlots(p, entry, 'buy', MAX_LEVELS).length + boundedSlots(p, entry, 'sell', MAX_LEVELS).length;
  issues.warn(
    reachable <= p.maxLevels,
    'maxLevels',
    'loop-level-cap',
    `${reachable >= MAX_LEVELS ? `at least ${MAX_LEVELS}` : reachable} slots fit the bounds; only ${p.maxLevels} will ever be tracked`,
  );
}
