/**
 * The DCA reducer: dispatches kernel events to the deal lifecycle, exits and start conditions. It works
 * on a private working copy of the state (so the caller's state is never mutated) and returns the intents and
 * the wake-ups of the new state. Shared by DCA (spot) and DCA Futures.
 */
import { gt, isZero, mul, str, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { StrategyContext, StrategyEvent, StrategyResult } from '../../kernel/strategy.ts';
import type { Bar } from '../../model/market.ts';
import { adverse, evaluateDeal, favourable, outsideSession, wakeFor } from './exits.ts';
import { dumpActive, observeGuards } from './guards.ts';
import { beginDeal, closeDeal, enterPhase, finishDeal, openDeal } from './lifecycle.ts';
import {
  cancelDealOrders,
  currentTakeProfit,
  fillSafetyWindow,
  stopLossFor,
  takeProfitFor,
  sendClose,
  syncTakeProfit,
  trimSafetyWindow,
} from './orders.ts';
import type { Work } from './orders.ts';
import { stepResult } from '../shared/step.ts';
import { futuresOf } from './params.ts';
import type { DcaParams } from './params.ts';
import { considerStart, startBlocker, updateRsi } from './start.ts';
import { keys, parseKey, recordEntry, recordExit, recordFee, transition, workingCopy } from './state.ts';
import type { DcaState, DealState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

/** Maximum market-close re-submissions before the bot halts (§2.3.12, hummingbot `max_retries`). */
const MAX_CLOSE_RETRIES = 15;

/** One reducer step for DCA state; `normalize` turns a paramsChanged payload into typed params. */
export function dcaStep(
  state: DcaState,
  event: StrategyEvent,
  ctx: StrategyContext,
  normalize: (raw: unknown) => DcaParams,
): StrategyResult<DcaState> {
  // A stopped or halted run ignores every event: it needs no more bars.
  if (state.phase === 'Stopped' || state.phase === 'Halted')
    return { state, intents: [], wake: { bars: false } };
  const w: Work = { s: workingCopy(state), intents: [], ctx };
  dispatch(w, event, normalize);
  epilogue(w, event.ts);
  return stepResult(w.s, w.intents, wakeFor(w));
}

function dispatch(w: Work, event: StrategyEvent, normalize: (raw: unknown) => DcaParams): void {
  switch (event.type) {
    case 'start':
      w.s.lastPrice = str(event.price);
      considerStart(w, event.ts, 'auto');
      return;
    case 'price':
      onPrice(w, str(event.price), event.ts);
      return;
    case 'bar':
      onBar(w, event.bar, event.ts);
      return;
    case 'order':
      onOrder(w, event);
      return;
    case 'signal':
      onSignal(w, event.action, event.ts);
      return;
    case 'timer':
      onTimers(w, event.ts);
      return;
    case 'paramsChanged':
      onParams(w, normalize(event.params), event.ts);
      return;
    case 'stopRequested':
      onStop(w, event.closeAction, event.reason, event.ts);
      return;
    case 'liquidated':
      onLiquidated(w, event.price, event.loss);
      return;
  }
}

/** After every event: an immediate-mode bot that waits starts the next deal; the SO window is refilled. */
function epilogue(w: Work, now: EpochMs): void {
  if (w.s.phase === 'WaitingForStart' && w.s.params.start.mode === 'immediate') considerStart(w, now, 'auto');
  const deal = w.s.deal;
  if (deal && (deal.status === 'Open' || deal.status === 'TrailingActive')) {
    fillSafetyWindow(w, dumpActive(w.s, now));
    if (w.s.guards.dumpUntil !== null && dumpActive(w.s, now)) w.s.timers['dumpHold'] = w.s.guards.dumpUntil;
  }
}

function onPrice(w: Work, price: Dec, ts: EpochMs): void {
  w.s.lastPrice = price;
  observeGuards(w.s, ts, price);
  if (w.s.deal) evaluateDeal(w, price, ts);
  else considerStart(w, ts, 'price');
}

function onBar(w: Work, bar: Bar, ts: EpochMs): void {
  w.s.lastPrice = bar.close;
  observeGuards(w.s, ts, bar.close);
  const deal = w.s.deal;
  const fut = futuresOf(w.s.params);
  if (deal && fut && fut.funding.includeInPnl && bar.fundingRate !== undefined && gt(deal.qty, '0')) {
    // §3.3.3: F = Q·mark·rate; longs pay a positive rate, shorts receive it.
    const payment = mul(mul(sub(deal.qty, deal.exitQty), bar.close), bar.fundingRate);
    deal.funding = sub(deal.funding, w.s.params.direction === 'long' ? payment : mul('-1', payment));
  }
  const ind = w.s.params.start.indicator;
  if (ind && updateRsi(w.s.start.rsi, ind, bar) && w.s.params.start.mode === 'indicator') {
    considerStart(w, ts, 'indicator');
  }
  if (w.s.deal) evaluateDeal(w, bar.close, ts);
}

function onOrder(w: Work, e: OrderEvent): void {
  const parsed = parseKey(e.key);
  const deal = w.s.deal;
  if (!parsed || !deal || parsed.seq !== deal.seq) return;
  if (e.fill) recordFee(deal, e.fill.fee, e.fill.feeAsset, w.ctx.market);
  switch (parsed.role) {
    case 'base':
      if (e.fill) recordEntry(deal, e.fill.price, e.fill.qty);
      if (e.status !== 'accepted' && e.status !== 'partiallyFilled') openDeal(w, e.ts);
      return;
    case 'so':
      onSafetyOrder(w, deal, parsed.k, e);
      return;
    case 'tp':
      onTakeProfit(w, deal, e);
      return;
    case 'close':
      onClose(w, deal, e);
      return;
  }
}

function onSafetyOrder(w: Work, deal: DealState, k: number, e: OrderEvent): void {
  const level = deal.levels[k - 1];
  if (!level) return;
  if (e.fill) {
    recordEntry(deal, e.fill.price, e.fill.qty);
    level.filled = e.filled;
    if (deal.trailing.active && !pastTakeProfit(w)) {
      deal.trailing = { active: false, peak: null };
      deal.status = 'Open';
    }
    syncTakeProfit(w);
  }
  if (e.status === 'filled') level.status = 'filled';
  else if (e.status === 'rejected') {
    level.rejections += 1;
    level.status = level.rejections >= 3 ? 'skipped' : 'planned';
  } else if ((e.status === 'cancelled' || e.status === 'expired') && level.status === 'placed') {
    level.status = isZero(level.filled) ? 'planned' : 'filled';
  }
}

/** Whether the last price is still at or beyond the (moved) take profit: else trailing re-arms. */
function pastTakeProfit(w: Work): boolean {
  const tp = currentTakeProfit(w);
  return tp === null || w.s.lastPrice === null || favourable(w.s.lastPrice, tp, w.s.params.direction);
}

function onTakeProfit(w: Work, deal: DealState, e: OrderEvent): void {
  if (e.fill) recordExit(deal, e.fill.price, e.fill.qty);
  if (e.status === 'filled') {
    deal.tp.live = false;
    finishDeal(w, 'takeProfit', e.ts);
  } else if (e.status === 'partiallyFilled') {
    // A partly filled TP is never amended again; stop adding to the position while it completes.
    deal.tp.partiallyFilled = true;
    deal.status = 'Closing';
    for (const level of deal.levels.filter((l) => l.status === 'placed')) {
      w.intents.push({ type: 'cancel', key: keys.safety(deal.seq, level.k) });
      level.status = isZero(level.filled) ? 'planned' : 'filled';
    }
  } else if (e.status !== 'accepted' && deal.tp.live) {
    deal.tp = { live: false, price: null, qty: null, partiallyFilled: false };
    if (e.status === 'rejected' && ++deal.tpRejections >= 3) {
      w.intents.push(
        transition('DealActive', `deal ${deal.seq} take profit rejected 3 times: ${e.reason ?? ''}`),
      );
      return;
    }
    if (deal.status === 'Closing') closeDeal(w, 'takeProfit', w.s.lastPrice ?? e.price ?? '0', e.ts);
    else syncTakeProfit(w);
  }
}

function onClose(w: Work, deal: DealState, e: OrderEvent): void {
  if (e.fill) recordExit(deal, e.fill.price, e.fill.qty);
  if (e.status === 'filled') {
    deal.closeLive = false;
    finishDeal(w, deal.closeReason ?? 'manual', e.ts);
  } else if (e.status === 'cancelled' || e.status === 'rejected' || e.status === 'expired') {
    deal.closeAttempts += 1;
    if (deal.closeAttempts > MAX_CLOSE_RETRIES) {
      enterPhase(
        w,
        'Halted',
        `close of deal ${deal.seq} failed ${MAX_CLOSE_RETRIES} times: ${e.reason ?? e.status}`,
      );
      return;
    }
    sendClose(w, w.s.lastPrice ?? e.price ?? '0');
    if (!deal.closeLive) finishDeal(w, deal.closeReason ?? 'manual', e.ts);
  }
}

function onSignal(w: Work, action: string, ts: EpochMs): void {
  const maxAge = w.s.params.start.webhook.maxSignalAgeSec * 1000;
  if (w.ctx.now - ts > maxAge) {
    w.intents.push(transition(w.s.phase, `signal ${action} dropped: older than ${maxAge / 1000}s`));
    return;
  }
  if (action === 'startDeal') considerStart(w, w.ctx.now, 'signal');
  const deal = w.s.deal;
  if (action === 'closeDeal' && deal && deal.status !== 'Opening' && deal.status !== 'Closing') {
    closeDeal(w, 'manual', w.s.lastPrice ?? '0', ts);
  }
}

function onTimers(w: Work, now: EpochMs): void {
  const due = Object.entries(w.s.timers)
    .filter(([, ts]) => ts <= now)
    .sort((a, b) => a[1] - b[1]);
  for (const [name] of due) {
    delete w.s.timers[name];
    onTimer(w, name, now);
  }
}

function onTimer(w: Work, name: string, now: EpochMs): void {
  const deal = w.s.deal;
  switch (name) {
    case 'startDelay': {
      if (w.s.phase !== 'StartDelay') return;
      const blocked = startBlocker(w, now);
      if (blocked === null) beginDeal(w, now, 'startDelay elapsed');
      else enterPhase(w, 'WaitingForStart', `start dropped after delay: ${blocked}`);
      return;
    }
    case 'cooldown':
      if (w.s.phase === 'Cooldown') enterPhase(w, 'WaitingForStart', 'cooldown elapsed');
      return;
    case 'baseTimeout':
      if (deal && deal.status === 'Opening') w.intents.push({ type: 'cancel', key: keys.base(deal.seq) });
      return;
    case 'dealTimeout':
      if (!deal || deal.status === 'Opening' || deal.status === 'Closing') return;
      if (outsideSession(w, now)) w.s.timers['dealTimeout'] = w.s.timers['sessionOpen']!;
      else closeDeal(w, 'timeout', w.s.lastPrice!, now);
      return;
    case 'sessionOpen':
      if (deal && w.s.lastPrice !== null) evaluateDeal(w, w.s.lastPrice, now);
      return;
    case 'slTimeout':
      if (deal && w.s.lastPrice !== null) evaluateDeal(w, w.s.lastPrice, now);
      return;
    default:
      return; // pumpHold, dumpHold: the epilogue re-checks starts and the SO window.
  }
}

function onParams(w: Work, next: DcaParams, now: EpochMs): void {
  const before = w.s.params;
  w.s.params = next;
  const deal = w.s.deal;
  if (!deal || deal.status === 'Opening' || deal.status === 'Closing') return;
  if (!next.takeProfit.trailing.enabled) deal.trailing = { active: false, peak: null };
  if (deal.status === 'TrailingActive' && !deal.trailing.active) deal.status = 'Open';
  trimSafetyWindow(w);
  syncTakeProfit(w);
  if (next.deal.timeoutSec !== before.deal.timeoutSec) {
    if (next.deal.timeoutSec > 0) w.s.timers['dealTimeout'] = deal.openedAt + next.deal.timeoutSec * 1000;
    else delete w.s.timers['dealTimeout'];
  }
  if (w.s.lastPrice !== null) evaluateDeal(w, w.s.lastPrice, now);
}

function onStop(w: Work, closeAction: string, reason: string, now: EpochMs): void {
  const deal = w.s.deal;
  const flatten = closeAction === 'closePosition' || closeAction === 'sellBase';
  if (deal && flatten && gt(deal.qty, '0')) {
    w.s.stopAfterDeal = `stopRequested: ${reason}`;
    closeDeal(w, 'botStopped', w.s.lastPrice ?? '0', now);
    return;
  }
  if (deal) cancelDealOrders(w);
  w.s.deal = null;
  enterPhase(w, 'Stopped', `stopRequested: ${reason} (${closeAction})`);
}

function onLiquidated(w: Work, price: Dec, loss: Dec): void {
  const deal = w.s.deal;
  if (deal) {
    cancelDealOrders(w);
    w.intents.push({ type: 'roundTrip', pnl: mul('-1', loss) });
    w.s.realizedPnl = sub(w.s.realizedPnl, loss);
    w.s.dealsCompleted += 1;
    w.s.deal = null;
  }
  enterPhase(w, 'Halted', `liquidated at ${price}`);
}

/** Whether applying `next` at `price` would exit the open deal at once (TP or SL already crossed). */
export function dcaImmediateExit(state: DcaState, next: DcaParams, price: Dec): string | undefined {
  const deal = state.deal;
  if (!deal || deal.status === 'Opening' || deal.status === 'Closing') return undefined;
  const tp = takeProfitFor(next, deal);
  if (tp !== null && !next.takeProfit.trailing.enabled && favourable(price, tp, next.direction))
    return `take profit ${tp} already crossed at ${price}`;
  const sl = stopLossFor(next, deal);
  if (sl !== null && adverse(price, sl, next.direction)) return `stop loss ${sl} already crossed at ${price}`;
  return undefined;
}
