/**
 * Combo deal mechanics (grid-family.md §6.3.1–§6.3.4): start, safety orders, the exit ladder with
 * re-entries one rung lower, average-cost accounting and deal completion.
 */
import { add, div, gt, lte, mul, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import type { Side } from '../../model/orders.ts';
import type { ComboParams } from './params.ts';
import { comboSign, exitRungs, rangeOf, safetyPlan, sizeQty, splitPosition } from './plan.ts';
import { COMBO_TERMINAL, comboKeys } from './state.ts';
import type { ComboDeal, ComboPhase, ComboState } from './state.ts';

/** The reducer's working set: a private copy of the state, the intents so far and the context. */
export interface Work {
  readonly s: ComboState;
  readonly intents: Intent[];
  readonly ctx: StrategyContext;
}

/** Records a phase change; terminal phases end the run. */
export function go(w: Work, phase: ComboPhase, reason: string): void {
  w.s.phase = phase;
  const terminal = COMBO_TERMINAL.includes(phase);
  w.intents.push(
    terminal
      ? { type: 'transition', to: phase, reason, terminal }
      : { type: 'transition', to: phase, reason },
  );
}

/** The side that grows the position (LONG buys). */
export const entrySide = (p: ComboParams): Side => (p.direction === 'LONG' ? 'buy' : 'sell');

/** The side that reduces the position (LONG sells). */
export const exitSide = (p: ComboParams): Side => (p.direction === 'LONG' ? 'sell' : 'buy');

/** Buys round down, sells up (grid-family §0.2); quantities floor to the lot. */
export const limitPrice = (w: Work, side: Side, price: Dec): Dec =>
  toStep(price, w.ctx.market.precision.price, side === 'buy' ? 'floor' : 'ceil');

/** The lot step of the market. */
export const lot = (w: Work): Dec => w.ctx.market.precision.amount;

/** Places an order of the current deal, rounded per §0.2; exits and closes are reduce-only. */
export function place(
  w: Work,
  key: string,
  role: 'base' | 'safety' | 'exit' | 'entry' | 'close',
  idx: number,
  side: Side,
  qty: Dec,
  price?: Dec,
): void {
  const deal = w.s.deal!;
  const reduceOnly = role === 'exit' || role === 'close' ? { reduceOnly: true } : {};
  const order =
    price === undefined
      ? { orderType: 'market' as const }
      : { orderType: 'limit' as const, price: limitPrice(w, side, price) };
  w.intents.push({
    type: 'place',
    key,
    role,
    idx,
    seq: deal.seq,
    side,
    qty: toStep(qty, lot(w), 'floor'),
    ...order,
    ...reduceOnly,
  });
}

/** §6.3.1: P_0, base order, every SO (nearest first within maxActiveOrders). */
export function startDeal(w: Work): void {
  const p = w.s.params;
  const p0 = p.baseOrder.type === 'limit' && p.baseOrder.price !== null ? p.baseOrder.price : w.s.lastPrice!;
  const { low, high } = rangeOf(p, p0);
  w.s.dealsStarted += 1;
  const seq = w.s.dealsStarted;
  w.s.deal = {
    seq,
    p0,
    low,
    high,
    sos: safetyPlan(p, p0).map((o) => ({ ...o, status: 'planned' })),
    baseDone: false,
    position: '0',
    avg: '0',
    entryQuote: '0',
    exitQuote: '0',
    fees: '0',
    realized: '0',
    rungs: [],
    exits: {},
    reentries: {},
    extreme: p0,
    closeReason: null,
    closeAttempts: 0,
  };
  w.s.cooldownUntil = null;
  go(w, 'DEAL_ENTRY', `deal ${seq} at ${p0}`);
  if (w.ctx.market.type === 'swap')
    w.intents.push({
      type: 'setLeverage',
      ...{ leverage: p.leverage, marginMode: p.marginMode },
      // Futures like §5: WB is the isolated wallet; re-declaring the same investment keeps its running balance.
      margin: 'isolatedWallet',
      ...(gt(p.investment, '0') ? { wallet: p.investment } : {}),
    });
  const qty = sizeQty(p.baseOrder.qty, p.baseOrder.quote, p0);
  place(w, comboKeys.base(seq), 'base', 0, entrySide(p), qty, p.baseOrder.type === 'limit' ? p0 : undefined);
  placeSafetyOrders(w);
}

/** Places planned safety orders up to maxActiveOrders. */
export function placeSafetyOrders(w: Work): void {
  const deal = w.s.deal!;
  const cap = w.s.params.maxActiveOrders ?? Number.MAX_SAFE_INTEGER;
  let live = deal.sos.filter((o) => o.status === 'placed').length;
  deal.sos.forEach((o, i) => {
    if (o.status !== 'planned' || live >= cap) return;
    o.status = 'placed';
    live += 1;
    place(w, comboKeys.safety(deal.seq, i + 1), 'safety', i + 1, entrySide(w.s.params), o.qty, o.price);
  });
}

/** Adds an entry fill to the position (average cost). */
export function enter(deal: ComboDeal, price: Dec, qty: Dec): void {
  const cost = add(mul(deal.position, deal.avg), mul(price, qty));
  deal.position = add(deal.position, qty);
  deal.avg = div(cost, deal.position);
  deal.entryQuote = add(deal.entryQuote, mul(price, qty));
}

/** §6.3.2: cancel every exit and re-entry, then split the position over the rungs from the anchor. */
export function rebuildLadder(w: Work): void {
  const p = w.s.params;
  const deal = w.s.deal!;
  for (const i of Object.keys(deal.exits))
    w.intents.push({ type: 'cancel', key: comboKeys.exit(deal.seq, Number(i)) });
  for (const i of Object.keys(deal.reentries))
    w.intents.push({ type: 'cancel', key: comboKeys.reentry(deal.seq, Number(i)) });
  deal.exits = {};
  deal.reentries = {};
  deal.rungs = exitRungs(p, p.exit.anchor === 'averageEntry' ? deal.avg : deal.p0, deal.p0);
  const shares = splitPosition(deal.position, deal.rungs.length - 1, lot(w));
  shares.forEach((qty, j) => {
    const i = j + 1;
    if (!gt(qty, '0')) return;
    deal.exits[String(i)] = qty;
    place(w, comboKeys.exit(deal.seq, i), 'exit', i, exitSide(p), qty, deal.rungs[i]);
  });
}

/** §6.3.3: an exit fill realises PnL at the average and re-buys the quantity one rung lower. */
export function onExitFill(w: Work, deal: ComboDeal, i: number, price: Dec, qty: Dec, now: EpochMs): void {
  const p = w.s.params;
  deal.realized = add(deal.realized, mul(comboSign(p), mul(qty, sub(price, deal.avg))));
  deal.exitQuote = add(deal.exitQuote, mul(price, qty));
  deal.position = sub(deal.position, qty);
  const left = sub(deal.exits[String(i)] ?? '0', qty);
  if (gt(left, '0')) deal.exits[String(i)] = left;
  else delete deal.exits[String(i)];
  trackExtreme(w, price);
  if (lte(deal.position, '0')) {
    dealDone(w, now);
    return;
  }
  const below = deal.rungs[i - 1];
  if (p.exit.reentry && below !== undefined) {
    deal.reentries[String(i)] = add(deal.reentries[String(i)] ?? '0', qty);
    place(w, comboKeys.reentry(deal.seq, i), 'entry', i, entrySide(p), qty, below);
  }
}

/** §6.3.3: a re-entry fill restores its exit rung only. */
export function onReentryFill(w: Work, deal: ComboDeal, i: number, price: Dec, qty: Dec): void {
  enter(deal, price, qty);
  const left = sub(deal.reentries[String(i)] ?? '0', qty);
  if (gt(left, '0')) deal.reentries[String(i)] = left;
  else delete deal.reentries[String(i)];
  // Restore that rung only; the rest of the ladder stays (§6.3.3).
  deal.exits[String(i)] = add(deal.exits[String(i)] ?? '0', qty);
  place(
    w,
    comboKeys.exit(deal.seq, i),
    'exit',
    i,
    exitSide(w.s.params),
    deal.exits[String(i)]!,
    deal.rungs[i],
  );
}

/** The deal's net PnL so far: σ·(exits − entries + open·price) − fees. */
export function dealPnl(deal: ComboDeal, p: ComboParams, price: Dec): Dec {
  return sub(
    mul(comboSign(p), add(sub(deal.exitQuote, deal.entryQuote), mul(deal.position, price))),
    deal.fees,
  );
}

/** §6.3.4: cancel what is left, book the deal, then repeat (after the cooldown) or complete. */
export function dealDone(w: Work, now: EpochMs, completeReason?: string): void {
  const p = w.s.params;
  const deal = w.s.deal!;
  cancelAll(w);
  const pnl = dealPnl(deal, p, deal.p0);
  w.s.realizedPnl = add(w.s.realizedPnl, pnl);
  w.s.dealsCompleted += 1;
  w.intents.push({ type: 'roundTrip', pnl, fees: deal.fees });
  w.s.deal = null;
  if (completeReason !== undefined || !p.repeat) {
    go(w, 'COMPLETED', completeReason ?? `deal ${deal.seq} done, repeat off`);
  } else if (p.cooldownSec > 0) {
    w.s.cooldownUntil = now + p.cooldownSec * 1000;
    go(w, 'COOLDOWN', `deal ${deal.seq} done`);
  } else {
    startDeal(w);
  }
}

/** Cancels every live order of the deal. */
export function cancelAll(w: Work): void {
  const deal = w.s.deal;
  if (!deal) return;
  if (!deal.baseDone) w.intents.push({ type: 'cancel', key: comboKeys.base(deal.seq) });
  deal.sos.forEach((o, i) => {
    if (o.status === 'placed') w.intents.push({ type: 'cancel', key: comboKeys.safety(deal.seq, i + 1) });
  });
  for (const i of Object.keys(deal.reentries))
    w.intents.push({ type: 'cancel', key: comboKeys.reentry(deal.seq, Number(i)) });
  for (const i of Object.keys(deal.exits))
    w.intents.push({ type: 'cancel', key: comboKeys.exit(deal.seq, Number(i)) });
  deal.sos.forEach((o) => {
    if (o.status === 'placed') o.status = 'planned';
  });
  deal.exits = {};
  deal.reentries = {};
}

/** Ratchets the best price of the deal (the trailing stop reference). */
export function trackExtreme(w: Work, price: Dec): void {
  const deal = w.s.deal;
  if (!deal || !w.s.params.stopLoss.trailing) return;
  const better = w.s.params.direction === 'LONG' ? gt(price, deal.extreme) : gt(deal.extreme, price);
  if (better) deal.extreme = price;
}
