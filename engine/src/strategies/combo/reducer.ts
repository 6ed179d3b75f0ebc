/**
 * The Combo reducer (grid-family.md §6.3): a DCA entry phase (base + safety orders), a grid exit phase
 * (a ladder of reduce-only partial exits, each re-bought one rung lower while the deal is open), an
 * always-trailing stop loss, a bot-level take profit and repeated deals that follow the trend.
 */
import { add, div, gt, isZero, lte, mul, str, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import type { Side } from '../../model/orders.ts';
import type { ComboParams } from './params.ts';
import { comboSign, comboStopPrice, exitRungs, rangeOf, safetyPlan, sizeQty, splitPosition } from './plan.ts';
import { COMBO_TERMINAL, comboKeys, parseComboKey } from './state.ts';
import type { ComboDeal, ComboPhase, ComboState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;
interface Work {
  readonly s: ComboState;
  readonly intents: Intent[];
  readonly ctx: StrategyContext;
}
const MAX_CLOSE_RETRIES = 15;

/** A fresh Combo state. */
export function initialComboState(params: ComboParams): ComboState {
  return {
    params,
    phase: 'ARMED',
    dealsStarted: 0,
    dealsCompleted: 0,
    realizedPnl: '0',
    lastPrice: null,
    deal: null,
    cooldownUntil: null,
  };
}

/** One reducer step. */
export function comboStep(
  state: ComboState,
  event: StrategyEvent,
  ctx: StrategyContext,
  normalize: (raw: unknown) => ComboParams,
): StrategyResult<ComboState> {
  const w: Work = { s: structuredClone(state), intents: [], ctx };
  if (COMBO_TERMINAL.includes(w.s.phase)) return { state: w.s, intents: [] };
  switch (event.type) {
    case 'start':
      w.s.lastPrice = str(event.price);
      startDeal(w);
      break;
    case 'price':
      onPrice(w, str(event.price), event.ts);
      break;
    case 'bar':
      onPrice(w, event.bar.close, event.ts);
      break;
    case 'order':
      onOrder(w, event, event.ts);
      break;
    case 'timer':
      if (w.s.phase === 'COOLDOWN' && w.s.cooldownUntil !== null && event.ts >= w.s.cooldownUntil)
        startDeal(w);
      break;
    case 'paramsChanged':
      w.s.params = normalize(event.params); // applied from the next rebuild or deal (§6.6)
      break;
    case 'stopRequested':
      stop(w, 'MANUAL', event.closeAction === 'closePosition' || event.closeAction === 'sellBase', 'STOPPED');
      break;
    case 'liquidated':
      cancelAll(w);
      w.s.deal = null;
      go(w, 'LIQUIDATED', `liquidated at ${event.price}`);
      break;
    case 'signal':
      break;
  }
  return { state: w.s, intents: w.intents, wake: wakeFor(w) };
}

function go(w: Work, phase: ComboPhase, reason: string): void {
  w.s.phase = phase;
  const terminal = COMBO_TERMINAL.includes(phase);
  w.intents.push(
    terminal
      ? { type: 'transition', to: phase, reason, terminal }
      : { type: 'transition', to: phase, reason },
  );
}

const entrySide = (p: ComboParams): Side => (p.direction === 'LONG' ? 'buy' : 'sell');
const exitSide = (p: ComboParams): Side => (p.direction === 'LONG' ? 'sell' : 'buy');
/** Buys round down, sells up (grid-family §0.2); quantities floor to the lot. */
const limitPrice = (w: Work, side: Side, price: Dec): Dec =>
  toStep(price, w.ctx.market.precision.price, side === 'buy' ? 'floor' : 'ceil');
const lot = (w: Work): Dec => w.ctx.market.precision.amount;

function place(
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
function startDeal(w: Work): void {
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
    w.intents.push({ type: 'setLeverage', leverage: p.leverage, marginMode: p.marginMode });
  const qty = sizeQty(p.baseOrder.qty, p.baseOrder.quote, p0);
  place(w, comboKeys.base(seq), 'base', 0, entrySide(p), qty, p.baseOrder.type === 'limit' ? p0 : undefined);
  placeSafetyOrders(w);
}

function placeSafetyOrders(w: Work): void {
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
function enter(deal: ComboDeal, price: Dec, qty: Dec): void {
  const cost = add(mul(deal.position, deal.avg), mul(price, qty));
  deal.position = add(deal.position, qty);
  deal.avg = div(cost, deal.position);
  deal.entryQuote = add(deal.entryQuote, mul(price, qty));
}

/** §6.3.2: cancel every exit and re-entry, then split the position over the rungs from the anchor. */
function rebuildLadder(w: Work): void {
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

function onOrder(w: Work, e: OrderEvent, now: EpochMs): void {
  const deal = w.s.deal;
  const key = parseComboKey(e.key);
  if (!deal || !key || key.seq !== deal.seq) return;
  if (e.fill)
    deal.fees = add(
      deal.fees,
      e.fill.feeAsset === w.ctx.market.base ? mul(e.fill.fee, e.fill.price) : e.fill.fee,
    );
  const fill = e.fill;
  switch (key.role) {
    case 'base':
    case 'so':
      if (fill) enter(deal, fill.price, fill.qty);
      if (key.role === 'so' && e.status === 'filled') deal.sos[key.i - 1]!.status = 'filled';
      if (key.role === 'base' && e.status === 'filled') {
        deal.baseDone = true;
        go(w, 'DEAL_OPEN', `deal ${deal.seq} open at ${deal.avg}`);
      }
      // 3Commas moves the TP after SO fills: the whole ladder is rebuilt from the new average (T12).
      if (fill && deal.baseDone) {
        rebuildLadder(w);
        placeSafetyOrders(w);
      }
      return;
    case 'exit':
      if (fill) onExitFill(w, deal, key.i, fill.price, fill.qty, now);
      return;
    case 're':
      if (fill) onReentryFill(w, deal, key.i, fill.price, fill.qty);
      return;
    case 'close':
      onCloseEvent(w, deal, e);
      return;
  }
}

function onExitFill(w: Work, deal: ComboDeal, i: number, price: Dec, qty: Dec, now: EpochMs): void {
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

function onReentryFill(w: Work, deal: ComboDeal, i: number, price: Dec, qty: Dec): void {
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
function dealPnl(deal: ComboDeal, p: ComboParams, price: Dec): Dec {
  return sub(
    mul(comboSign(p), add(sub(deal.exitQuote, deal.entryQuote), mul(deal.position, price))),
    deal.fees,
  );
}

/** §6.3.4: cancel what is left, book the deal, then repeat (after the cooldown) or complete. */
function dealDone(w: Work, now: EpochMs, completeReason?: string): void {
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

function cancelAll(w: Work): void {
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

function trackExtreme(w: Work, price: Dec): void {
  const deal = w.s.deal;
  if (!deal || !w.s.params.stopLoss.trailing) return;
  const better = w.s.params.direction === 'LONG' ? gt(price, deal.extreme) : gt(deal.extreme, price);
  if (better) deal.extreme = price;
}

/** §6.3.6: the ratcheting stop and the bot-level take profit. */
function onPrice(w: Work, price: Dec, now: EpochMs): void {
  w.s.lastPrice = price;
  const deal = w.s.deal;
  if (!deal || deal.closeReason !== null) return;
  trackExtreme(w, price);
  const p = w.s.params;
  const long = p.direction === 'LONG';
  if (gt(p.stopLoss.pct, '0')) {
    const sl = comboStopPrice(p, deal.extreme);
    if (long ? lte(price, sl) : lte(sl, price)) return stop(w, 'STOP_LOSS', true, 'STOPPED');
  }
  const tpPrice = p.takeProfit.price;
  const tpHit = tpPrice !== null && (long ? lte(tpPrice, price) : lte(price, tpPrice));
  const pnlHit =
    p.takeProfit.pct !== null &&
    gt(p.investment, '0') &&
    !gt(p.takeProfit.pct, mul(div(dealPnl(deal, p, price), p.investment), '100'));
  if (deal.baseDone && (tpHit || pnlHit)) stop(w, 'TAKE_PROFIT', true, 'COMPLETED');
  void now;
}

/** Cancels everything and, when asked, closes the position reduce-only at market; ends in `end`. */
function stop(w: Work, reason: string, flatten: boolean, end: 'STOPPED' | 'COMPLETED'): void {
  const deal = w.s.deal;
  cancelAll(w);
  if (!deal || !flatten || isZero(deal.position)) {
    if (deal) w.s.deal = null;
    go(w, end, reason);
    return;
  }
  deal.closeReason = `${end}:${reason}`;
  go(w, 'STOPPING', reason);
  place(
    w,
    comboKeys.close(deal.seq, deal.closeAttempts),
    'close',
    deal.closeAttempts,
    exitSide(w.s.params),
    deal.position,
  );
}

function onCloseEvent(w: Work, deal: ComboDeal, e: OrderEvent): void {
  if (e.fill) {
    deal.exitQuote = add(deal.exitQuote, mul(e.fill.price, e.fill.qty));
    deal.position = sub(deal.position, e.fill.qty);
  }
  const [end, reason] = (deal.closeReason ?? 'STOPPED:MANUAL').split(':') as [
    'STOPPED' | 'COMPLETED',
    string,
  ];
  if (e.status === 'filled' || lte(deal.position, '0')) {
    const pnl = dealPnl(deal, w.s.params, e.fill?.price ?? deal.p0);
    w.s.realizedPnl = add(w.s.realizedPnl, pnl);
    w.s.dealsCompleted += 1;
    w.intents.push({ type: 'roundTrip', pnl, fees: deal.fees });
    w.s.deal = null;
    go(w, end, reason);
  } else if (e.status !== 'accepted' && e.status !== 'partiallyFilled') {
    deal.closeAttempts += 1;
    if (deal.closeAttempts > MAX_CLOSE_RETRIES)
      return go(w, 'STOPPED', `close failed ${MAX_CLOSE_RETRIES} times`);
    place(
      w,
      comboKeys.close(deal.seq, deal.closeAttempts),
      'close',
      deal.closeAttempts,
      exitSide(w.s.params),
      deal.position,
    );
  }
}

function wakeFor(w: Work): Wake {
  const s = w.s;
  const deal = s.deal;
  const at =
    s.phase === 'COOLDOWN' && s.cooldownUntil !== null
      ? { at: { ts: s.cooldownUntil, name: 'cooldown' } }
      : {};
  if (!deal || deal.closeReason !== null || COMBO_TERMINAL.includes(s.phase)) return at;
  const p = s.params;
  const long = p.direction === 'LONG';
  const tick = w.ctx.market.precision.price;
  const adverse = gt(p.stopLoss.pct, '0') ? [comboStopPrice(p, deal.extreme)] : [];
  const favourable = p.stopLoss.trailing ? [long ? add(deal.extreme, tick) : sub(deal.extreme, tick)] : [];
  if (p.takeProfit.price !== null) favourable.push(p.takeProfit.price);
  const pick = (xs: Dec[], highest: boolean): Dec | undefined =>
    xs.length === 0 ? undefined : xs.reduce((a, b) => (gt(a, b) === highest ? a : b));
  const below = long ? pick(adverse, true) : pick(favourable, true);
  const above = long ? pick(favourable, false) : pick(adverse, false);
  return { ...at, ...(below === undefined ? {} : { below }), ...(above === undefined ? {} : { above }) };
}
