/**
 * The TWAP reducer (strategies/dca-twap-risk.md §4.3): at each slice time apply the session and price
 * gates, size the slice by the catch-up mode, send one child (IOC limit, market or passive limit),
 * retry IOC remainders, and finish as Completed, Expired, Cancelled or Failed.
 */
import { add, div, gt, lt, max, min, mul, str, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import { isRegularSession } from '../../calendar/nyse.ts';
import type { TwapParams } from './params.ts';
import { clampSlice, nominalSlice, requestedQuantity, sliceGeometry, sliceTimes } from './schedule.ts';
import { childKey, TERMINAL } from './state.ts';
import type { TwapPhase, TwapState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;
interface Work {
  readonly s: TwapState;
  readonly intents: Intent[];
  readonly ctx: StrategyContext;
}

/** The lot in the params' unit: the market lot (base) or a 1e-8 quote step. */
const unitLot = (w: Work): Dec =>
  w.s.params.quantityUnit === 'quote' ? '0.00000001' : w.ctx.market.precision.amount;

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
  const w: Work = { s: structuredClone(state), intents: [], ctx };
  if (TERMINAL.includes(w.s.phase)) return { state: w.s, intents: [] };
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

function transition(w: Work, to: TwapPhase, reason: string): void {
  const terminal = TERMINAL.includes(to);
  if (w.s.phase === to && !terminal) return;
  w.s.phase = to;
  w.intents.push(
    terminal ? { type: 'transition', to, reason, terminal } : { type: 'transition', to, reason },
  );
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

const resubmitMs = (w: Work): number =>
  (w.s.params.slices.resubmitAfterSec ??
    Math.max(1, Math.floor(sliceGeometry(w.s.params).intervalMs / 2000))) * 1000;

function expiryTs(w: Work): EpochMs | null {
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

function runSlice(w: Work, index: number, now: EpochMs): void {
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
    s.slices.push({ index, at: now, requested: null, reason: 'belowMinimum' });
    return;
  }
  // nextSlice: whatever the cap cut off stays owed.
  s.deficit = p.catchUp.mode === 'nextSlice' && gt(requested, q) ? sub(requested, q) : '0';
  s.slices.push({ index, at: now, requested: q });
  sendChild(w, index, 0, qty, now, p.slices.retries);
}

function pauseSlice(w: Work, index: number, now: EpochMs, reason: string): void {
  const s = w.s;
  const p = s.params;
  s.slices.push({ index, at: now, requested: null, reason });
  s.next = index + 1;
  if (p.catchUp.mode === 'nextSlice') s.deficit = add(s.deficit, s.nominal);
  const intervalMs = sliceGeometry(p).intervalMs;
  if (
    p.catchUp.mode === 'none' &&
    p.catchUp.extendOnPause &&
    s.extensionMs + intervalMs <= p.catchUp.maxExtensionSec * 1000
  ) {
    s.extensionMs += intervalMs;
    s.times.push(s.times[s.times.length - 1]! + intervalMs);
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

function onOrder(w: Work, e: OrderEvent): void {
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
function catchUpInGrace(w: Work, now: EpochMs): void {
  if (w.s.live || w.s.params.catchUp.mode === 'none' || gate(w, now) !== null) return;
  const qty = baseQuantity(w, toStep(remaining(w), unitLot(w), 'floor'));
  if (executable(w, qty)) sendChild(w, w.s.times.length - 1, 9, qty, now, 0);
}

const remaining = (w: Work): Dec => sub(w.s.params.totalQuantity, w.s.filled);

/** §4.3.3: completed when the remainder cannot be executed any more (dust). */
function checkCompletion(w: Work): void {
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

function finish(w: Work, to: TwapPhase, reason: string): void {
  if (w.s.live && to !== 'Completed') w.intents.push({ type: 'cancel', key: w.s.live.key });
  w.s.timers = {};
  transition(w, to, reason);
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
  if (TERMINAL.includes(s.phase)) return {};
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
