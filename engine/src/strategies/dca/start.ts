/**
 * Deal start conditions (§2.2 `start.*`, §2.3.8): immediate, price trigger, webhook signal and RSI
 * indicator, gated by the min/max price band, reserved funds, the futures pump guard and, for stocks,
 * the trading session. Triggers that arrive while the bot is not waiting (cooldown, open deal) are dropped.
 */
import { add, div, gt, gte, lt, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Bar } from '../../model/market.ts';
import { isRegularSession, nextSessionOpen } from '../../calendar/nyse.ts';
import { requiredFunds, requiredMargin } from './ladder.ts';
import { futuresOf } from './params.ts';
import type { IndicatorStart } from './params.ts';
import { beginDeal, enterPhase } from './lifecycle.ts';
import { feeRateOf } from './orders.ts';
import type { Work } from './orders.ts';
import { pumpActive } from './guards.ts';
import { transition } from './state.ts';
import type { RsiState } from './state.ts';

/** What woke the start check. */
export type StartTrigger = 'auto' | 'signal' | 'price' | 'indicator';

/** Starts a deal when the bot waits, the mode's condition holds and every gate is open. */
export function considerStart(w: Work, now: EpochMs, trigger: StartTrigger): void {
  const s = w.s;
  const p = s.params;
  if (s.phase !== 'WaitingForStart' || s.lastPrice === null) return;
  if (p.deal.maxDeals !== null && s.dealsStarted >= p.deal.maxDeals) {
    enterPhase(w, 'Stopped', 'maxDealsReached');
    return;
  }
  if (!conditionHolds(w, trigger)) return;
  const blocked = startBlocker(w, now);
  if (blocked !== null) {
    if (s.blockedReason !== blocked)
      w.intents.push(transition('WaitingForStart', `start blocked: ${blocked}`));
    s.blockedReason = blocked;
    return;
  }
  beginDeal(w, now, `start:${p.start.mode}`);
}

function conditionHolds(w: Work, trigger: StartTrigger): boolean {
  const s = w.s;
  const p = s.params;
  switch (p.start.mode) {
    case 'immediate':
      return true;
    case 'webhook':
      return trigger === 'signal';
    case 'indicator':
      return trigger === 'indicator';
    case 'price': {
      if (!p.start.price) return false;
      const t = p.start.price.triggerPrice;
      const price = s.lastPrice!;
      if (s.start.priceSide === null) s.start.priceSide = lt(price, t) ? 'above' : 'below';
      const hit = s.start.priceSide === 'above' ? gte(price, t) : !gt(price, t);
      if (hit) s.start.priceSide = null;
      return hit;
    }
  }
}

/** The reason a deal may not start now, or null. Also used to re-check after a start delay. */
export function startBlocker(w: Work, now: EpochMs): string | null {
  const s = w.s;
  const p = s.params;
  const price = s.lastPrice!;
  if (p.start.minPrice !== null && lt(price, p.start.minPrice)) return 'belowMinPrice';
  if (p.start.maxPrice !== null && gt(price, p.start.maxPrice)) return 'aboveMaxPrice';
  if (pumpActive(s, now)) {
    s.timers['pumpHold'] = s.guards.pumpUntil!;
    return 'pumpGuard';
  }
  if (p.session.calendar !== null && !isRegularSession(now)) {
    s.timers['sessionOpen'] = nextSessionOpen(now);
    return 'marketClosed';
  }
  return fundsBlocker(w);
}

function fundsBlocker(w: Work): string | null {
  const p = w.s.params;
  const ledger = w.ctx.ledger;
  const price = w.s.lastPrice!;
  if (p.budget.reserveFunds !== 'all') return null;
  const f = feeRateOf(p, w.ctx);
  if (futuresOf(p)) {
    return gte(ledger.quote, requiredMargin(p, price)) ? null : 'insufficientMargin';
  }
  const needed = requiredFunds(p, price, f);
  if (p.direction === 'long') return gte(ledger.quote, needed) ? null : 'insufficientFunds';
  return gte(mul(ledger.base, price), sub(needed, mul(needed, f))) ? null : 'insufficientBase';
}

const TIMEFRAME_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** Whether the timeframe is one the RSI trigger supports (rule V10). */
export const supportedTimeframe = (tf: string): boolean => tf in TIMEFRAME_MS;

/**
 * Feeds a bar into the RSI (Wilder smoothing over the closes of completed timeframe buckets) and
 * returns true when a new RSI value satisfies the start condition.
 */
export function updateRsi(rsi: RsiState, ind: IndicatorStart, bar: Bar): boolean {
  const bucket = Math.floor(bar.ts / (TIMEFRAME_MS[ind.timeframe] ?? 3_600_000));
  let fresh = false;
  if (rsi.bucket !== null && bucket !== rsi.bucket && rsi.bucketClose !== null) {
    fresh = addClose(rsi, ind.period, rsi.bucketClose);
  }
  rsi.bucket = bucket;
  rsi.bucketClose = bar.close;
  if (!fresh || rsi.value === null) return false;
  const v = rsi.value;
  const th = ind.threshold;
  const prev = rsi.previousValue;
  switch (ind.condition) {
    case 'above':
      return gt(v, th);
    case 'below':
      return lt(v, th);
    case 'crossUp':
      return prev !== null && !gt(prev, th) && gt(v, th);
    case 'crossDown':
      return prev !== null && !lt(prev, th) && lt(v, th);
  }
}

function addClose(rsi: RsiState, period: number, close: Dec): boolean {
  const prevClose = rsi.prevClose;
  rsi.prevClose = close;
  if (prevClose === null) return false;
  const change = sub(close, prevClose);
  const gain = gt(change, '0') ? change : '0';
  const loss = lt(change, '0') ? sub('0', change) : '0';
  rsi.samples += 1;
  if (rsi.samples <= period) {
    rsi.avgGain = add(rsi.avgGain, div(gain, String(period)));
    rsi.avgLoss = add(rsi.avgLoss, div(loss, String(period)));
    if (rsi.samples < period) return false;
  } else {
    rsi.avgGain = div(add(mul(rsi.avgGain, String(period - 1)), gain), String(period));
    rsi.avgLoss = div(add(mul(rsi.avgLoss, String(period - 1)), loss), String(period));
  }
  rsi.previousValue = rsi.value;
  rsi.value = gt(rsi.avgLoss, '0') ? sub('100', div('100', add('1', div(rsi.avgGain, rsi.avgLoss)))) : '100';
  return true;
}
