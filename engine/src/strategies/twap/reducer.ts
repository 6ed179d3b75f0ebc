/**
 * The TWAP reducer (strategies/dca-twap-risk.md §4.3): dispatches kernel events, runs slices at their
 * times (slices.ts), re-plans on params changes and asks for the next wake-up.
 */
import { add, gt, lt, str } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import type { TwapParams } from './params.ts';
import { nominalSlice, sliceTimes } from './schedule.ts';
import {
  catchUpInGrace,
  checkCompletion,
  expiryTs,
  finish,
  onOrder,
  remaining,
  resubmitMs,
  runSlice,
  transition,
  unitLot,
} from './slices.ts';
import type { Work } from './slices.ts';
import { TERMINAL, workingCopy } from './state.ts';
import type { TwapState } from './state.ts';

/** A fresh state; the PRNG seed is the params' seed or the bot key and run number. */
export function initialTwapState(params: TwapParams, ctx: StrategyContext): TwapState {
  return {
    params,
    seed: params.randomization.seed ?? `${ctx.botKey}#${ctx.runNumber}`,
    phase: 'Pending',
    startTs: null,
    times: [],
    nominal: '0',
    next: 0,
    filled: '0',
    baseFilled: '0',
    cost: '0',
    fees: '0',
    deficit: '0',
    live: null,
    pendingSlice: null,
    lastPrice: null,
    volume: '0',
    transientFailures: 0,
    extensionMs: 0,
    timers: {},
    slices: [],
  };
}

/** One reducer step. */
export function twapStep(
  state: TwapState,
  event: StrategyEvent,
  ctx: StrategyContext,
  normalize: (raw: unknown) => TwapParams,
): StrategyResult<TwapState> {
  // A finished run needs no more bars (every event is ignored from here on).
  if (TERMINAL.includes(state.phase)) return { state, intents: [], wake: { bars: false } };
  const w: Work = { s: workingCopy(state), intents: [], ctx };
  switch (event.type) {
    case 'start':
      w.s.lastPrice = str(event.price);
      begin(w, event.ts);
      break;
    case 'price':
      w.s.lastPrice = str(event.price);
      if (w.s.phase === 'Finishing') catchUpInGrace(w, event.ts);
      break;
    case 'bar':
      w.s.lastPrice = event.bar.close;
      w.s.volume = add(w.s.volume, event.bar.volume);
      break;
    case 'order':
      onOrder(w, event);
      break;
    case 'timer':
      onTimer(w, event.ts);
      break;
    case 'paramsChanged':
      onParams(w, normalize(event.params), event.ts);
      break;
    case 'stopRequested':
      finish(w, 'Cancelled', `stopRequested: ${event.reason}`);
      break;
    case 'signal':
    case 'liquidated':
      break;
  }
  if (!TERMINAL.includes(w.s.phase)) checkCompletion(w);
  return { state: w.s, intents: w.intents, wake: wakeFor(w) };
}

function begin(w: Work, now: EpochMs): void {
  const p = w.s.params;
  const start = p.startAt !== null && p.startAt > now ? p.startAt : now;
  w.s.startTs = start;
  w.s.times = sliceTimes(p, start, w.s.seed);
  w.s.nominal = nominalSlice(p.totalQuantity, w.s.times.length, unitLot(w));
  if (start > now) return;
  transition(w, 'Running', `schedule: ${w.s.times.length} slices`);
  onTimer(w, now);
}

function onTimer(w: Work, now: EpochMs): void {
  for (const [name, ts] of Object.entries(w.s.timers)) if (ts <= now) delete w.s.timers[name];
  if (w.s.phase === 'Pending' && w.s.startTs !== null && now >= w.s.startTs)
    transition(w, 'Running', 'startAt reached');
  const expiry = expiryTs(w);
  if (expiry !== null && now >= expiry && w.s.next >= w.s.times.length) {
    if (w.s.live) w.intents.push({ type: 'cancel', key: w.s.live.key });
    finish(w, gt(remaining(w), '0') ? 'Expired' : 'Completed', 'window and grace elapsed');
    return;
  }
  const live = w.s.live;
  if (
    live &&
    !live.cancelling &&
    w.s.params.slices.orderType === 'limitPassive' &&
    now >= live.placedAt + resubmitMs(w)
  ) {
    live.cancelling = true;
    w.intents.push({ type: 'cancel', key: live.key });
  }
  const due = w.s.times[w.s.next];
  if (w.s.phase !== 'Pending' && due !== undefined && due <= now && w.s.pendingSlice === null)
    runSlice(w, w.s.next, now);
}

function onParams(w: Work, next: TwapParams, now: EpochMs): void {
  const before = w.s.params;
  w.s.params = next;
  if (!lt(w.s.filled, next.totalQuantity) && w.s.phase !== 'Pending') {
    finish(w, 'Completed', 'totalQuantity lowered to the filled quantity');
    return;
  }
  const rescheduled =
    next.durationSec !== before.durationSec ||
    next.slices.count !== before.slices.count ||
    next.slices.intervalSec !== before.slices.intervalSec ||
    next.totalQuantity !== before.totalQuantity;
  if (!rescheduled || w.s.startTs === null) return;
  // HOT (reschedule): re-plan from the original start; slices already past are not repeated.
  w.s.times = sliceTimes(next, w.s.startTs, w.s.seed);
  w.s.nominal = nominalSlice(next.totalQuantity, w.s.times.length, unitLot(w));
  w.s.next = Math.max(
    w.s.next,
    w.s.times.findIndex((t) => t >= now) === -1 ? w.s.times.length : w.s.times.findIndex((t) => t >= now),
  );
}

function wakeFor(w: Work): Wake {
  const s = w.s;
  if (TERMINAL.includes(s.phase)) return { bars: false };
  const candidates: EpochMs[] = [];
  if (s.phase === 'Pending' && s.startTs !== null) candidates.push(s.startTs);
  const due = s.times[s.next];
  if (due !== undefined) candidates.push(due);
  else {
    const expiry = expiryTs(w);
    if (expiry !== null) candidates.push(expiry);
  }
  if (s.live && s.params.slices.orderType === 'limitPassive' && !s.live.cancelling)
    candidates.push(s.live.placedAt + resubmitMs(w));
  const at = candidates.length ? { at: { ts: Math.min(...candidates), name: 'twap' } } : {};
  const limit = s.params.priceProtection.limitPrice;
  const price =
    s.phase === 'Finishing' && limit !== null && gt(remaining(w), '0')
      ? s.params.side === 'buy'
        ? { below: limit }
        : { above: limit }
      : {};
  return { ...at, ...price };
}
