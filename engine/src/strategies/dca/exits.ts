/**
 * Per-price evaluation of an open deal in the fixed order of §2.3.6 — liquidation guard (futures),
 * stop loss, trailing exit, take profit (trailing activation or market TP), market-mode safety orders —
 * and the price/timer wake-ups the kernel must deliver for them.
 */
import { add, div, gt, gte, lt, lte, max, min, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Wake } from '../../kernel/strategy.ts';
import { isRegularSession, nextSessionOpen } from '../../calendar/nyse.ts';
import { liquidationPrice } from '../shared/futures.ts';
import { derivedLast } from './derived.ts';
import { breakEvenPrice, paramsTrailingStop, pctToRatio } from './ladder.ts';
import { futuresOf } from './params.ts';
import type { Direction } from './params.ts';
import { closeDeal } from './lifecycle.ts';
import { currentStopLoss, currentTakeProfit, dealOf, entrySide, feeRateOf } from './orders.ts';
import type { Work } from './orders.ts';
import { dealAverage, keys, nextTimer, transition } from './state.ts';
import { dumpActive } from './guards.ts';

/** Price moved against the position to `level` or beyond (long: ≤, short: ≥). */
export const adverse = (price: Dec, level: Dec, d: Direction): boolean =>
  d === 'long' ? lte(price, level) : gte(price, level);
/** Price moved in favour of the position to `level` or beyond (long: ≥, short: ≤). */
export const favourable = (price: Dec, level: Dec, d: Direction): boolean =>
  d === 'long' ? gte(price, level) : lte(price, level);

/** Evaluates an open deal at `price`; stops at the first action that closes it. */
export function evaluateDeal(w: Work, price: Dec, now: EpochMs): void {
  const deal = w.s.deal;
  if (!deal || deal.status === 'Opening' || deal.status === 'Closing') return;
  if (outsideSession(w, now)) return;
  if (liquidationGuard(w, price, now)) return;
  if (stopLoss(w, price, now)) return;
  if (trailingExit(w, price, now)) return;
  if (takeProfit(w, price, now)) return;
  marketSafetyOrders(w, price, now);
}

/**
 * Stocks (§2.3.11): market orders (SL, trailing exit, market TP and SOs, timeouts) are only sent in the
 * regular session; a trigger outside it is deferred and re-evaluated at the open.
 */
export function outsideSession(w: Work, now: EpochMs): boolean {
  if (w.s.params.session.calendar === null || isRegularSession(now)) return false;
  w.s.timers['sessionOpen'] = nextSessionOpen(now);
  return true;
}

/** Projected isolated liquidation price of the deal (futures): margin posted = cost / leverage. */
export function projectedLiquidation(w: Work): Dec | undefined {
  const deal = dealOf(w);
  const fut = futuresOf(w.s.params);
  // Nothing before the first fill (no average yet); the ledger's price needs no average.
  if (!fut || !gt(deal.qty, '0')) return undefined;
  const fromLedger = w.ctx.ledger.position?.liquidationPrice;
  if (fromLedger !== undefined) return fromLedger;
  const avg = dealAverage(deal)!;
  const qty = sub(deal.qty, deal.exitQty);
  const signed = w.s.params.direction === 'long' ? qty : mul('-1', qty);
  const mmr = w.ctx.market.maintenanceMarginRate ?? '0';
  return liquidationPrice(div(deal.cost, fut.leverage), { qty: signed, entryPrice: avg }, { mmr });
}

function guardPrice(w: Work): Dec | undefined {
  const fut = futuresOf(w.s.params);
  const lp = projectedLiquidation(w);
  if (!fut || lp === undefined) return undefined;
  const p = w.s.params;
  // The liquidation price moves only with the position, but the guard is checked on every bar.
  return derivedLast(p, 'guardPrice', lp, () => {
    if (!gt(lp, '0')) return undefined;
    const e = pctToRatio(fut.liquidation.emergencyDistancePct);
    return div(lp, p.direction === 'long' ? sub('1', e) : add('1', e));
  });
}

function liquidationGuard(w: Work, price: Dec, now: EpochMs): boolean {
  const guard = guardPrice(w);
  if (guard === undefined || !adverse(price, guard, w.s.params.direction)) return false;
  closeDeal(w, 'liquidationGuard', price, now);
  return true;
}

function stopLoss(w: Work, price: Dec, now: EpochMs): boolean {
  const deal = dealOf(w);
  const sl = currentStopLoss(w);
  const timeout = w.s.params.stopLoss.timeoutSec * 1000;
  if (sl === null || !adverse(price, sl, w.s.params.direction)) {
    deal.slBreachSince = null;
    delete w.s.timers['slTimeout'];
    return false;
  }
  deal.slBreachSince ??= now;
  if (now - deal.slBreachSince >= timeout) {
    closeDeal(w, 'stopLoss', price, now);
    return true;
  }
  w.s.timers['slTimeout'] = deal.slBreachSince + timeout;
  return false;
}

function trailingExit(w: Work, price: Dec, now: EpochMs): boolean {
  const p = w.s.params;
  const deal = dealOf(w);
  if (!p.takeProfit.trailing.enabled || !deal.trailing.active || deal.trailing.peak === null) return false;
  if (favourable(price, deal.trailing.peak, p.direction)) deal.trailing.peak = price;
  const stop = paramsTrailingStop(p, deal.trailing.peak);
  if (!adverse(price, stop, p.direction)) return false;
  const breakEven = breakEvenPrice(dealAverage(deal)!, p.direction, feeRateOf(p, w.ctx));
  if (!favourable(price, breakEven, p.direction)) {
    // §2.3.4 floor: the price fell through the profitable area in one jump; wait for re-activation.
    deal.trailing = { active: false, peak: null };
    deal.status = 'Open';
    w.intents.push(transition('DealActive', `deal ${deal.seq} trailing reverted below break-even`));
    return false;
  }
  closeDeal(w, 'trailingTakeProfit', price, now);
  return true;
}

function takeProfit(w: Work, price: Dec, now: EpochMs): boolean {
  const p = w.s.params;
  const deal = dealOf(w);
  // A resting limit TP fills on the exchange; only trailing and market TPs act here.
  if (!p.takeProfit.trailing.enabled && p.takeProfit.orderType !== 'market') return false;
  const tp = currentTakeProfit(w);
  if (tp === null || !favourable(price, tp, p.direction)) return false;
  if (p.takeProfit.trailing.enabled) {
    if (!deal.trailing.active) {
      deal.trailing = { active: true, peak: price };
      deal.status = 'TrailingActive';
      w.intents.push(transition('DealActive', `deal ${deal.seq} trailing activated at ${price}`));
    }
    return false;
  }
  if (p.takeProfit.orderType === 'market') {
    closeDeal(w, 'takeProfit', price, now);
    return true;
  }
  return false;
}

function marketSafetyOrders(w: Work, price: Dec, now: EpochMs): void {
  const p = w.s.params;
  const deal = dealOf(w);
  if (p.safetyOrders.orderType !== 'market' || dumpActive(w.s, now)) return;
  const band = pctToRatio(p.safetyOrders.marketActivationBandPct);
  for (const level of deal.levels) {
    if (level.status !== 'planned') continue;
    if (!adverse(price, level.price, p.direction)) break;
    const edge = mul(level.price, p.direction === 'long' ? sub('1', band) : add('1', band));
    if (p.direction === 'long' ? lt(price, edge) : gt(price, edge)) continue; // gapped beyond the band
    level.status = 'placed';
    w.intents.push({
      type: 'place',
      key: keys.safety(deal.seq, level.k),
      role: 'safety',
      idx: level.k,
      seq: deal.seq,
      side: entrySide(p),
      orderType: 'market',
      qty: level.qty,
    });
  }
}

/** The wake-ups for the current state: the nearest adverse and favourable prices, and the next timer. */
export function wakeFor(w: Work): Wake {
  const s = w.s;
  const at = nextTimer(s.timers);
  const [down, up, peak] = priceInterests(w);
  const long = s.params.direction === 'long';
  const favourableLevel = long ? pick(up, min) : pick(up, max);
  // The trailing peak is tracked exactly (one call per path segment) unless a fixed level comes first.
  const trails =
    peak !== undefined &&
    (favourableLevel === undefined || !favourable(peak, favourableLevel, s.params.direction));
  const nearFavourable = trails ? peak : favourableLevel;
  const below = long ? pick(down, max) : nearFavourable;
  const above = long ? nearFavourable : pick(down, min);
  return {
    ...(trails ? { trail: long ? ('above' as const) : ('below' as const) } : {}),
    ...(below === undefined ? {} : { below }),
    ...(above === undefined ? {} : { above }),
    ...(at === undefined ? {} : { at }),
    ...(needsBars(s.params) ? {} : { bars: false }),
  };
}

/**
 * Whether every bar matters: the RSI start indicator, futures funding and the pump/dump guards sample
 * bars, and a session calendar re-checks the clock; otherwise every price action is a wake level or timer.
 */
function needsBars(p: Work['s']['params']): boolean {
  const fut = futuresOf(p);
  const guarded =
    fut !== null && (fut.funding.includeInPnl || fut.pumpProtection.enabled || fut.dumpProtection.enabled);
  return Boolean(p.start.indicator) || guarded || p.session.calendar !== null;
}

function pick(values: readonly Dec[], f: (a: Dec, b: Dec) => Dec): Dec | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => f(a, b));
}

/** Adverse-side and favourable-side prices of interest (direction-relative), and a trailing peak to track. */
function priceInterests(w: Work): [Dec[], Dec[], Dec | undefined] {
  const s = w.s;
  const p = s.params;
  if (s.phase === 'WaitingForStart' && p.start.mode === 'price' && p.start.price && s.start.priceSide) {
    const trigger = p.start.price.triggerPrice;
    const isBelow = s.start.priceSide === 'below';
    return (p.direction === 'long') === isBelow ? [[trigger], [], undefined] : [[], [trigger], undefined];
  }
  const deal = s.deal;
  if (!deal || deal.status === 'Opening' || deal.status === 'Closing') return [[], [], undefined];
  const down: Dec[] = [];
  const up: Dec[] = [];
  const sl = currentStopLoss(w);
  if (sl !== null) (deal.slBreachSince === null ? down : up).push(sl);
  const guard = guardPrice(w);
  if (guard !== undefined) down.push(guard);
  let peak: Dec | undefined;
  if (deal.trailing.active && deal.trailing.peak !== null) {
    down.push(paramsTrailingStop(p, deal.trailing.peak));
    peak = deal.trailing.peak;
  } else if (p.takeProfit.trailing.enabled || p.takeProfit.orderType === 'market') {
    // A resting limit TP needs no wake-up: the exchange fills it.
    const tp = currentTakeProfit(w);
    if (tp !== null) up.push(tp);
  }
  const next = deal.levels.find((l) => l.status === 'planned');
  if (p.safetyOrders.orderType === 'market' && next && !dumpActive(s, w.ctx.now)) down.push(next.price);
  return [down, up, peak];
}
