/**
 * TWAP slice execution (strategies/dca-twap-risk.md §4.3.2–§4.3.3): gates, sizing, child orders, IOC
 * retries, carry-forward of unfilled quantity, and the terminal transitions.
 */
import { add, div, gt, lt, max, min, mul, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext, StrategyEvent } from '../../kernel/strategy.ts';
import { isRegularSession } from '../../calendar/nyse.ts';
import { clampSlice, requestedQuantity, sliceGeometry } from './schedule.ts';
import { childKey, TERMINAL } from './state.ts';
import type { TwapPhase, TwapState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

/** The reducer's working set: a private copy of the state, the intents so far and the context. */
export interface Work {
  readonly s: TwapState;
  readonly intents: Intent[];
  readonly ctx: StrategyContext;
}

/** The lot in the params' unit: the market lot (base) or a 1e-8 quote step. */
export const unitLot = (w: Work): Dec =>
  w.s.params.quantityUnit === 'quote' ? '0.00000001' : w.ctx.market.precision.amount;

/** Records a phase change (once per phase; terminal phases end the run). */
export function transition(w: Work, to: TwapPhase, reason: string): void {
  const terminal = TERMINAL.includes(to);
  if (w.s.phase === to && !terminal) return;
  w.s.phase = to;
  w.intents.push(
    terminal ? { type: 'transition', to, reason, terminal } : { type: 'transition', to, reason },
  );
}

/** How long a passive child rests before it is re-priced (default half the slice interval). */
export const resubmitMs = (w: Work): number =>
  (w.s.params.slices.resubmitAfterSec ??
    Math.max(1, Math.floor(sliceGeometry(w.s.params).intervalMs / 2000))) * 1000;

/** When the run expires: the last slice time plus the grace period. */
export function expiryTs(w: Work): EpochMs | null {
  const last = w.s.times[w.s.times.length - 1];
  if (last === undefined) return null;
  const intervalSec = sliceGeometry(w.s.params).intervalMs / 1000;
  const grace = w.s.params.completion.graceSec ?? Math.min(intervalSec, 60);
  return last + grace * 1000;
}

/** Why slice i may not trade now (§4.3.2 steps 2–3), or null. */
function gate(w: Work, now: EpochMs): string | null {
  const p = w.s.params;
  if (p.session.calendar !== null && p.session.clock === 'wall' && !isRegularSession(now))
    return 'marketClosed';
  const limit = p.priceProtection.limitPrice;
  const ref = w.s.lastPrice;
  if (limit !== null && ref !== null && (p.side === 'buy' ? gt(ref, limit) : lt(ref, limit)))
    return 'priceLimit';
  return null;
}

/** Runs slice `index` (§4.3.2): gates, waits for a resting passive child, sizes and sends the child. */
export function runSlice(w: Work, index: number, now: EpochMs): void {
  const s = w.s;
  const p = s.params;
  const blocked = gate(w, now);
  if (blocked !== null) {
    pauseSlice(w, index, now, blocked);
    return;
  }
  if (s.live) {
    // §4.3.2 step 4: a passive child still rests; cancel it and run this slice once the cancel is confirmed.
    s.pendingSlice = index;
    if (!s.live.cancelling) w.intents.push({ type: 'cancel', key: s.live.key });
    s.live.cancelling = true;
    return;
  }
  const progress = {
    index,
    n: s.times.length,
    total: p.totalQuantity,
    filled: s.filled,
    nominal: s.nominal,
    deficit: s.deficit,
  };
  const requested = requestedQuantity(p, progress, unitLot(w));
  let q = clampSlice(p, requested, progress, s.seed, unitLot(w));
  if (p.maxParticipationPct !== null && gt(s.volume, '0'))
    q = min(q, toStep(mul(s.volume, div(p.maxParticipationPct, '100')), unitLot(w), 'floor'));
  s.volume = '0';
  s.next = index + 1;
  transition(w, s.next >= s.times.length ? 'Finishing' : 'Running', `slice ${index}`);
  const qty = baseQuantity(w, q);
  if (!executable(w, qty)) {
    // §4.3.2 step 6: too small to send; the quantity is carried to later slices.
    if (p.catchUp.mode === 'nextSlice') s.deficit = q;
    s.slices = [...s.slices, { index, at: now, requested: null, reason: 'belowMinimum' }];
    return;
  }
  // nextSlice: whatever the cap cut off stays owed.
  s.deficit = p.catchUp.mode === 'nextSlice' && gt(requested, q) ? sub(requested, q) : '0';
  s.slices = [...s.slices, { index, at: now, requested: q }];
  sendChild(w, index, 0, qty, now, p.slices.retries);
}

function pauseSlice(w: Work, index: number, now: EpochMs, reason: string): void {
  const s = w.s;
  const p = s.params;
  s.slices = [...s.slices, { index, at: now, requested: null, reason }];
  s.next = index + 1;
  if (p.catchUp.mode === 'nextSlice') s.deficit = add(s.deficit, s.nominal);
  const intervalMs = sliceGeometry(p).intervalMs;
  if (
    p.catchUp.mode === 'none' &&
    p.catchUp.extendOnPause &&
    s.extensionMs + intervalMs <= p.catchUp.maxExtensionSec * 1000
  ) {
    s.extensionMs += intervalMs;
    s.times = [...s.times, s.times[s.times.length - 1]! + intervalMs];
  }
  transition(w, s.next >= s.times.length ? 'Finishing' : 'Paused', `slice ${index} paused: ${reason}`);
}

/** Base quantity of a slice amount (quote mode converts at the reference price). */
function baseQuantity(w: Work, amount: Dec): Dec {
  if (w.s.params.quantityUnit === 'base') return amount;
  const price = w.s.lastPrice;
  return price === null ? '0' : toStep(div(amount, price), w.ctx.market.precision.amount, 'floor');
}

function executable(w: Work, qty: Dec): boolean {
  const m = w.ctx.market;
  const price = w.s.lastPrice ?? '0';
  if (!gt(qty, '0')) return false;
  if (m.limits.amount.min !== undefined && lt(qty, m.limits.amount.min)) return false;
  return m.limits.cost.min === undefined || !lt(mul(qty, price), m.limits.cost.min);
}

function sendChild(
  w: Work,
  index: number,
  attempt: number,
  qty: Dec,
  now: EpochMs,
  retriesLeft: number,
): void {
  const p = w.s.params;
  const key = childKey(index, attempt);
  const base = { type: 'place', key, role: 'slice', idx: index % 46_656, side: p.side, qty } as const;
  const reduceOnly = p.reduceOnly ? { reduceOnly: true } : {};
  w.s.live = {
    key,
    index,
    attempt,
    requested: qty,
    filled: '0',
    retriesLeft,
    placedAt: now,
    cancelling: false,
  };
  if (p.slices.orderType === 'market' || w.s.lastPrice === null) {
    w.intents.push({ ...base, orderType: 'market', ...reduceOnly });
    return;
  }
  const passive = p.slices.orderType === 'limitPassive';
  w.intents.push({
    ...base,
    orderType: 'limit',
    price: childPrice(w, passive),
    ...reduceOnly,
    ...(passive ? {} : { timeInForce: 'IOC' as const }),
  });
}

/** IOC: ask·(1 + slippage) for buys; passive: bid·(1 − offset); always clamped to the limit price. */
function childPrice(w: Work, passive: boolean): Dec {
  const p = w.s.params;
  const ref = w.s.lastPrice!;
  const bps = div(String(passive ? -p.slices.passiveOffsetBps : p.slices.maxSlippageBps), '10000');
  const buy = p.side === 'buy';
  let price = mul(ref, add('1', buy ? bps : mul('-1', bps)));
  const limit = p.priceProtection.limitPrice;
  if (limit !== null) price = buy ? min(price, limit) : max(price, limit);
  return toStep(price, w.ctx.market.precision.price, buy ? 'floor' : 'ceil');
}

/** Applies a child order event: books fills and, once the child is done, retries or moves on. */
export function onOrder(w: Work, e: OrderEvent): void {
  const live = w.s.live;
  if (e.fill) {
    const value = mul(e.fill.price, e.fill.qty);
    w.s.baseFilled = add(w.s.baseFilled, e.fill.qty);
    w.s.cost = add(w.s.cost, value);
    w.s.fees = add(
      w.s.fees,
      e.fill.feeAsset === w.ctx.market.base ? mul(e.fill.fee, e.fill.price) : e.fill.fee,
    );
    w.s.filled = add(w.s.filled, w.s.params.quantityUnit === 'quote' ? value : e.fill.qty);
    if (live && live.key === e.key) live.filled = add(live.filled, e.fill.qty);
  }
  if (!live || live.key !== e.key || e.status === 'accepted' || e.status === 'partiallyFilled') return;
  w.s.live = null;
  if (e.status === 'rejected' && !transient(e.reason)) {
    finish(w, 'Failed', `child ${e.key} rejected: ${e.reason ?? 'no reason'}`);
    return;
  }
  w.s.transientFailures = e.status === 'rejected' ? w.s.transientFailures + 1 : 0;
  if (w.s.transientFailures >= 5) {
    finish(w, 'Failed', '5 consecutive transient child failures');
    return;
  }
  afterChild(w, live, e.ts);
}

const transient = (reason: string | undefined): boolean =>
  reason !== undefined && /rate|429|timeout|busy|unavailable/i.test(reason);

/** A child is done: retry an IOC remainder, return it to the pool, or run the slice that waited for it. */
function afterChild(w: Work, live: NonNullable<TwapState['live']>, now: EpochMs): void {
  const rest = toStep(sub(live.requested, live.filled), w.ctx.market.precision.amount, 'floor');
  const passive = w.s.params.slices.orderType === 'limitPassive';
  if (gt(rest, '0') && !passive && live.retriesLeft > 0 && executable(w, rest)) {
    sendChild(w, live.index, live.attempt + 1, rest, now, live.retriesLeft - 1);
    return;
  }
  if (
    gt(rest, '0') &&
    passive &&
    w.s.pendingSlice === null &&
    w.s.next <= live.index + 1 &&
    executable(w, rest)
  ) {
    // Resubmission of a passive child within its own slice window, re-priced at the current bid/ask.
    sendChild(w, live.index, live.attempt + 1, rest, now, live.retriesLeft);
    return;
  }
  if (gt(rest, '0') && w.s.params.catchUp.mode === 'nextSlice') {
    w.s.deficit = add(
      w.s.deficit,
      w.s.params.quantityUnit === 'quote' ? mul(rest, w.s.lastPrice ?? '0') : rest,
    );
  }
  const pending = w.s.pendingSlice;
  w.s.pendingSlice = null;
  if (pending !== null) runSlice(w, pending, now);
}

/** During the grace period a paused final slice may still catch up when the price is back within the limit. */
export function catchUpInGrace(w: Work, now: EpochMs): void {
  if (w.s.live || w.s.params.catchUp.mode === 'none' || gate(w, now) !== null) return;
  const qty = baseQuantity(w, toStep(remaining(w), unitLot(w), 'floor'));
  if (executable(w, qty)) sendChild(w, w.s.times.length - 1, 9, qty, now, 0);
}

/** Quantity still to execute, in the params unit. */
export const remaining = (w: Work): Dec => sub(w.s.params.totalQuantity, w.s.filled);

/** §4.3.3: completed when the remainder cannot be executed any more (dust). */
export function checkCompletion(w: Work): void {
  if (w.s.live || w.s.phase === 'Pending') return;
  const m = w.ctx.market;
  const price = w.s.lastPrice ?? '1';
  const dust =
    w.s.params.quantityUnit === 'quote'
      ? (m.limits.cost.min ?? '0.00000001')
      : [m.precision.amount, m.limits.amount.min ?? '0', div(m.limits.cost.min ?? '0', price)].reduce(
          (a, b) => max(a, b),
        );
  if (lt(remaining(w), dust)) finish(w, 'Completed', `filled ${w.s.filled} of ${w.s.params.totalQuantity}`);
}

/** Cancels the open child (unless completed) and enters a terminal phase. */
export function finish(w: Work, to: TwapPhase, reason: string): void {
  if (w.s.live && to !== 'Completed') w.intents.push({ type: 'cancel', key: w.s.live.key });
  w.s.timers = {};
  transition(w, to, reason);
}
