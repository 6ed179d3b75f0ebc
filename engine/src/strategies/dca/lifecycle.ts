/**
 * The deal lifecycle of §2.3.8 and §2.4: begin (optionally after a start delay), open on the base fill,
 * close at market for a reason, finish (book PnL, reinvest, cooldown or stop).
 */
import { add, dec, div, gt, isZero, max, mul, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import { requiredFunds, reinvestScale } from './ladder.ts';
import { futuresOf } from './params.ts';
import {
  cancelDealOrders,
  dealOf,
  feeRateOf,
  fillSafetyWindow,
  freezeLadder,
  placeBaseOrder,
  sendClose,
  syncTakeProfit,
} from './orders.ts';
import type { Work } from './orders.ts';
import { dealPnl, newDeal, transition } from './state.ts';
import { dumpActive } from './guards.ts';

const SEC = 1000;

/** Moves the bot to a phase, recording the transition. */
export function enterPhase(w: Work, phase: Work['s']['phase'], reason: string): void {
  const terminal = phase === 'Stopped' || phase === 'Halted';
  w.s.phase = phase;
  w.intents.push(transition(phase, reason, terminal));
  if (terminal) w.s.timers = {};
}

/** A start trigger fired: wait `startDelaySec` or send the base order now. */
export function beginDeal(w: Work, now: EpochMs, reason: string): void {
  const delay = w.s.params.deal.startDelaySec;
  if (delay > 0 && w.s.phase !== 'StartDelay') {
    w.s.phase = 'StartDelay';
    w.s.timers['startDelay'] = now + delay * SEC;
    w.intents.push(transition('StartDelay', reason));
    return;
  }
  openDealOrders(w, now, reason);
}

function openDealOrders(w: Work, now: EpochMs, reason: string): void {
  const p = w.s.params;
  const price = w.s.lastPrice!;
  const required = requiredFunds(p, price, feeRateOf(p, w.ctx));
  const scale = gt(w.s.reinvestPool, '0') ? reinvestScale(required, w.s.reinvestPool) : '1';
  w.s.dealsStarted += 1;
  w.s.deal = newDeal(w.s.dealsStarted, now, scale);
  w.s.blockedReason = null;
  enterPhase(w, 'DealActive', `${reason}; deal ${w.s.dealsStarted} opening`);
  const fut = futuresOf(p);
  if (fut) w.intents.push({ type: 'setLeverage', leverage: fut.leverage, marginMode: fut.marginMode });
  placeBaseOrder(w, price);
  if (p.baseOrder.orderType === 'limit') w.s.timers['baseTimeout'] = now + p.baseOrder.fillTimeoutSec * SEC;
}

/** The base order is done (filled, or cancelled with a partial fill): freeze the ladder and place SOs and TP. */
export function openDeal(w: Work, now: EpochMs): void {
  const deal = dealOf(w);
  delete w.s.timers['baseTimeout'];
  deal.baseDone = true;
  if (isZero(deal.qty)) {
    w.s.deal = null;
    enterPhase(w, 'WaitingForStart', 'dealAborted: base order not filled');
    return;
  }
  deal.p0 = div(deal.cost, deal.qty);
  deal.status = 'Open';
  freezeLadder(w);
  fillSafetyWindow(w, dumpActive(w.s, now));
  syncTakeProfit(w);
  if (w.s.params.deal.timeoutSec > 0)
    w.s.timers['dealTimeout'] = deal.openedAt + w.s.params.deal.timeoutSec * SEC;
  w.intents.push(transition('DealActive', `deal ${deal.seq} open at ${deal.p0}`));
}

/** Closes the deal at market for `reason` (SL, trailing exit, timeout, manual, stop): cancel all, then sell. */
export function closeDeal(w: Work, reason: string, price: Dec, now: EpochMs): void {
  const deal = dealOf(w);
  if (deal.status === 'Closing' && deal.closeReason !== null) return;
  deal.status = 'Closing';
  deal.closeReason = reason;
  delete w.s.timers['dealTimeout'];
  delete w.s.timers['slTimeout'];
  cancelDealOrders(w);
  w.intents.push(transition('DealActive', `deal ${deal.seq} closing: ${reason}`));
  sendClose(w, price);
  if (!deal.closeLive) finishDeal(w, reason, now);
}

/** The position is flat: book PnL and fees, update the reinvest pool, then cooldown, wait or stop. */
export function finishDeal(w: Work, reason: string, now: EpochMs): void {
  const p = w.s.params;
  const deal = dealOf(w);
  cancelDealOrders(w);
  const pnl = isZero(deal.qty) ? '0' : dealPnl(deal, p.direction);
  const fees = str(dec(deal.quoteFees).plus(mul(deal.baseFees, deal.lastExitPrice ?? '0')));
  w.s.realizedPnl = add(w.s.realizedPnl, pnl);
  w.s.reinvestPool = max('0', add(w.s.reinvestPool, mul(pnl, div(p.reinvest.pct, '100'))));
  w.s.dealsCompleted += 1;
  w.s.deal = null;
  delete w.s.timers['dealTimeout'];
  delete w.s.timers['slTimeout'];
  if (!isZero(deal.qty)) w.intents.push({ type: 'roundTrip', pnl, fees });
  w.intents.push(transition('DealClosed', `deal ${deal.seq} closed: ${reason}, pnl ${pnl}`));
  const stopReason =
    w.s.stopAfterDeal ??
    (reason === 'stopLoss' && p.stopLoss.onTrigger === 'closeAndStopBot' ? 'stopLoss' : null) ??
    (p.deal.maxDeals !== null && w.s.dealsStarted >= p.deal.maxDeals ? 'maxDealsReached' : null);
  if (stopReason !== null) {
    enterPhase(w, 'Stopped', stopReason);
  } else if (p.deal.cooldownSec > 0) {
    w.s.timers['cooldown'] = now + p.deal.cooldownSec * SEC;
    enterPhase(w, 'Cooldown', `cooldown ${p.deal.cooldownSec}s`);
  } else {
    enterPhase(w, 'WaitingForStart', 'dealClosed');
  }
}
