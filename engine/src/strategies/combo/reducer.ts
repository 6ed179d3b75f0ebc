/**
 * The Combo reducer (grid-family.md §6.3): a DCA entry phase (base + safety orders), a grid exit phase
 * (a ladder of reduce-only partial exits, each re-bought one rung lower while the deal is open), an
 * always-trailing stop loss, a bot-level take profit and repeated deals that follow the trend.
 */
import { add, div, gt, isZero, lte, mul, str, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import {
  cancelAll,
  dealPnl,
  enter,
  exitSide,
  go,
  onExitFill,
  onReentryFill,
  place,
  placeSafetyOrders,
  rebuildLadder,
  startDeal,
  trackExtreme,
} from './deal.ts';
import type { Work } from './deal.ts';
import { stepResult } from '../shared/step.ts';
import type { ComboParams } from './params.ts';
import { comboStopPrice } from './plan.ts';
import { COMBO_TERMINAL, comboKeys, parseComboKey, workingCopy } from './state.ts';
import type { ComboDeal, ComboState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

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
  // A finished run ignores every event: it needs no more bars.
  if (COMBO_TERMINAL.includes(state.phase)) return { state, intents: [], wake: { bars: false } };
  const w: Work = { s: workingCopy(state), intents: [], ctx };
  switch (event.type) {
    case 'start':
      w.s.lastPrice = str(event.price);
      startDeal(w);
      break;
    case 'price':
      onPrice(w, str(event.price));
      break;
    case 'bar':
      onPrice(w, event.bar.close);
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
  return stepResult(w.s, w.intents, wakeFor(w));
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
  if (!fill && (e.status === 'rejected' || e.status === 'cancelled' || e.status === 'expired')) {
    dropOrder(w, deal, key.role, key.i, e);
    return;
  }
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

/** §6.3.6: the ratcheting stop and the bot-level take profit. */
/** An order ended without a fill that the bot did not cancel (risk denial, venue rejection): forget it. */
function dropOrder(w: Work, deal: ComboDeal, role: string, i: number, e: OrderEvent): void {
  const so = deal.sos[i - 1];
  if (role === 'so' && so?.status === 'placed') so.status = 'dropped';
  else if (role === 'exit') delete deal.exits[String(i)];
  else if (role === 're') delete deal.reentries[String(i)];
  else if (role === 'base' && !deal.baseDone) {
    cancelAll(w);
    w.s.deal = null;
    go(w, 'STOPPED', `base order ${e.status}: ${e.reason ?? ''}`);
  } else if (role === 'close') onCloseEvent(w, deal, e);
}

function onPrice(w: Work, price: Dec): void {
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
  const adverse = gt(p.stopLoss.pct, '0') ? [comboStopPrice(p, deal.extreme)] : [];
  const tp = p.takeProfit.price;
  // The best price is tracked exactly (one call per path segment) unless the take profit comes first.
  const trails = p.stopLoss.trailing && (tp === null || (long ? gt(tp, deal.extreme) : gt(deal.extreme, tp)));
  const favourable = trails ? deal.extreme : (tp ?? undefined);
  const pick = (xs: Dec[], highest: boolean): Dec | undefined =>
    xs.length === 0 ? undefined : xs.reduce((a, b) => (gt(a, b) === highest ? a : b));
  const below = long ? pick(adverse, true) : favourable;
  const above = long ? favourable : pick(adverse, false);
  return {
    ...at,
    ...(trails ? { trail: long ? ('above' as const) : ('below' as const) } : {}),
    ...(below === undefined ? {} : { below }),
    ...(above === undefined ? {} : { above }),
  };
}
