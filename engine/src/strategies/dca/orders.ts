/**
 * The orders of a DCA deal as intents: base order, the active safety-order window, the take-profit
 * limit order kept in step with the average, and the market close. Every function appends to `w.intents`
 * and updates the working state in place (the reducer works on its own copy).
 */
import { add, div, gt, gte, isZero, lt, mul, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import type { Side } from '../../model/orders.ts';
import {
  notionalOf,
  paramsStopLoss,
  paramsTakeProfit,
  planLadder,
  quantityOf,
  roundEntryPrice,
  roundTakeProfitPrice,
  sigma,
} from './ladder.ts';
import { derived } from './derived.ts';
import { futuresOf } from './params.ts';
import type { DcaParams } from './params.ts';
import { dealAverage, keys, openQuantity } from './state.ts';
import type { DcaState, DealState } from './state.ts';

/** The reducer's working set: a private copy of the state, the intents so far and the context. */
export interface Work {
  readonly s: DcaState;
  readonly intents: Intent[];
  readonly ctx: StrategyContext;
}

/** The deal of a working set (callers check it exists). */
export const dealOf = (w: Work): DealState => w.s.deal!;

/** Entry side (long buys) and exit side. */
export const entrySide = (p: DcaParams): Side => (p.direction === 'long' ? 'buy' : 'sell');
export const exitSide = (p: DcaParams): Side => (p.direction === 'long' ? 'sell' : 'buy');

/** Leverage of the params (1 on spot). */
export const leverageOf = (p: DcaParams): Dec => futuresOf(p)?.leverage ?? '1';

/** The fee rate used for break-even and validation: override, else the market's taker rate. */
export const feeRateOf = (p: DcaParams, ctx: StrategyContext): Dec =>
  p.feeRateOverridePct === null ? ctx.market.taker : div(p.feeRateOverridePct, '100');

/** Sends the base order of a new deal (market, or limit offset from the current price). */
export function placeBaseOrder(w: Work, price: Dec): void {
  const p = w.s.params;
  const deal = dealOf(w);
  const size = mul(p.baseOrder.size, deal.scale);
  const sizing = { leverage: leverageOf(p), maxQuote: p.budget.maxQuote };
  const common = { type: 'place', key: keys.base(deal.seq), role: 'base', idx: 0, seq: deal.seq } as const;
  const side = entrySide(p);
  if (p.baseOrder.orderType === 'market') {
    const spotQuote = !futuresOf(p) && p.direction === 'long' && p.baseOrder.sizeUnit !== 'base';
    const amount = spotQuote
      ? { quoteAmount: notionalOf(size, p.baseOrder.sizeUnit, price, sizing) }
      : { qty: quantityOf(size, p.baseOrder.sizeUnit, price, sizing, w.ctx.market.precision.amount) };
    w.intents.push({ ...common, side, orderType: 'market', ...amount });
    return;
  }
  const offset = mul(sigma(p.direction), div(p.baseOrder.limitOffsetPct, '100'));
  const limit = roundEntryPrice(mul(price, sub('1', offset)), p.direction, w.ctx.market.precision.price);
  const qty = quantityOf(size, p.baseOrder.sizeUnit, limit, sizing, w.ctx.market.precision.amount);
  w.intents.push({ ...common, side, orderType: 'limit', price: limit, qty });
}

/** Freezes the ladder from P_0 (§2.3.1 step 6): rounded limit prices and floored quantities. */
export function freezeLadder(w: Work): void {
  const p = w.s.params;
  const deal = dealOf(w);
  const m = w.ctx.market;
  const sizing = { leverage: leverageOf(p), maxQuote: p.budget.maxQuote };
  deal.levels = planLadder(p, deal.p0!, deal.scale).map((l) => {
    const price = roundEntryPrice(l.price, p.direction, m.precision.price);
    const qty = quantityOf(l.size, p.safetyOrders.sizeUnit, price, sizing, m.precision.amount);
    const tooSmall =
      isZero(qty) ||
      (m.limits.amount.min !== undefined && lt(qty, m.limits.amount.min)) ||
      (m.limits.cost.min !== undefined && lt(mul(qty, price), m.limits.cost.min)) ||
      !gt(price, '0');
    return { k: l.k, price, qty, status: tooSmall ? 'skipped' : 'planned', filled: '0', rejections: 0 };
  });
}

/** Places planned limit SOs until `maxActive` are resting (§2.3.7); market-mode SOs stay bot-side. */
export function fillSafetyWindow(w: Work, blocked: boolean): void {
  const p = w.s.params;
  const deal = dealOf(w);
  if (p.safetyOrders.orderType !== 'limit' || blocked || deal.status === 'Closing') return;
  let active = deal.levels.filter((l) => l.status === 'placed').length;
  for (const level of deal.levels) {
    if (active >= p.safetyOrders.maxActive) break;
    if (level.status !== 'planned') continue;
    if (p.budget.reserveFunds === 'activeOnly' && !fundsFor(w, level.price, level.qty)) {
      level.status = 'skipped';
      w.intents.push({
        type: 'transition',
        to: 'DealActive',
        reason: `SafetyOrderSkipped(insufficientFunds) k=${level.k}`,
      });
      continue;
    }
    level.status = 'placed';
    active += 1;
    w.intents.push({
      type: 'place',
      key: keys.safety(deal.seq, level.k),
      role: 'safety',
      idx: level.k,
      seq: deal.seq,
      side: entrySide(p),
      orderType: 'limit',
      price: level.price,
      qty: level.qty,
    });
  }
}

/** Cancels resting SOs beyond the `maxActive` window (a lowered `maxActive`, HOT+AMEND). */
export function trimSafetyWindow(w: Work): void {
  const deal = dealOf(w);
  const placed = deal.levels.filter((l) => l.status === 'placed');
  for (const level of placed.slice(w.s.params.safetyOrders.maxActive)) {
    if (!isZero(level.filled)) continue;
    level.status = 'planned';
    w.intents.push({ type: 'cancel', key: keys.safety(deal.seq, level.k) });
  }
}

function fundsFor(w: Work, price: Dec, qty: Dec): boolean {
  const ledger = w.ctx.ledger;
  if (futuresOf(w.s.params)) return true;
  return w.s.params.direction === 'long' ? gte(ledger.quote, mul(price, qty)) : gte(ledger.base, qty);
}

/** The reference price of TP/SL: the average or P_0 (§2.3.3, §2.3.5). */
export function reference(deal: DealState, base: 'average' | 'baseOrder'): Dec | null {
  return base === 'baseOrder' ? deal.p0 : dealAverage(deal);
}

/** TP price of a deal under params (unrounded), or null before the first fill. */
export function takeProfitFor(p: DcaParams, deal: DealState): Dec | null {
  const ref = reference(deal, p.takeProfit.base);
  return ref === null ? null : paramsTakeProfit(p, ref);
}

/** SL price of a deal under params, or null when the stop loss is off or not armed yet (§2.3.5). */
export function stopLossFor(p: DcaParams, deal: DealState): Dec | null {
  if (!derived(p, 'stopLossOn', () => gt(p.stopLoss.pct, '0'))) return null;
  const waiting = deal.levels.some((l) => l.status !== 'filled' && l.status !== 'skipped');
  if (p.stopLoss.activation === 'afterLastSafetyOrder' && waiting) return null;
  const ref = reference(deal, p.stopLoss.base);
  return ref === null ? null : paramsStopLoss(p, ref);
}

/** Current TP price of the working deal. */
export const currentTakeProfit = (w: Work): Dec | null => takeProfitFor(w.s.params, dealOf(w));

/** Current SL price of the working deal. */
export const currentStopLoss = (w: Work): Dec | null => stopLossFor(w.s.params, dealOf(w));

/** Quantity an exit must trade: long/futures the held position; spot short buys back with the net proceeds. */
export function exitQuantity(w: Work, price: Dec): Dec {
  const p = w.s.params;
  const deal = dealOf(w);
  if (p.direction === 'long' || futuresOf(p)) {
    return futuresOf(p)
      ? toStep(sub(deal.qty, deal.exitQty), w.ctx.market.precision.amount, 'floor')
      : openQuantity(deal, w.ctx.market);
  }
  // Spot short: profit accrues in base, so the whole net quote of the sells buys base back (§2.1).
  const spendable = sub(sub(deal.cost, deal.quoteFees), deal.exitValue);
  const perUnit = mul(price, add('1', feeRateOf(p, w.ctx)));
  return toStep(div(spendable, perUnit), w.ctx.market.precision.amount, 'floor');
}

/** Whether the fixed TP is a resting limit order (trailing and market TPs are bot-side). */
export const restingTakeProfit = (p: DcaParams): boolean =>
  !p.takeProfit.trailing.enabled && p.takeProfit.orderType === 'limit';

/** Places or replaces the resting TP at the current price and whole quantity (§2.3.3). */
export function syncTakeProfit(w: Work): void {
  const p = w.s.params;
  const deal = dealOf(w);
  const key = keys.takeProfit(deal.seq);
  if (!restingTakeProfit(p) || deal.status === 'Closing') {
    if (deal.tp.live && !deal.tp.partiallyFilled) {
      w.intents.push({ type: 'cancel', key });
      deal.tp = { live: false, price: null, qty: null, partiallyFilled: false };
    }
    return;
  }
  const raw = currentTakeProfit(w);
  if (raw === null || deal.tp.partiallyFilled || deal.tpRejections >= 3) return;
  const price = roundTakeProfitPrice(raw, p.direction, w.ctx.market.precision.price);
  const qty = exitQuantity(w, price);
  if (isZero(qty) || (deal.tp.live && deal.tp.price === price && deal.tp.qty === qty)) return;
  if (deal.tp.live) {
    w.intents.push({ type: 'amend', key, price, qty });
  } else {
    const reduceOnly = futuresOf(p) ? { reduceOnly: true } : {};
    w.intents.push({
      type: 'place',
      key,
      role: 'takeProfit',
      idx: 0,
      seq: deal.seq,
      side: exitSide(p),
      orderType: 'limit',
      price,
      qty,
      ...reduceOnly,
    });
  }
  deal.tp = { live: true, price, qty, partiallyFilled: false };
}

/** Cancels every live order of the deal (entries and TP). */
export function cancelDealOrders(w: Work): void {
  const deal = dealOf(w);
  if (!deal.baseDone) w.intents.push({ type: 'cancel', key: keys.base(deal.seq) });
  for (const level of deal.levels) {
    if (level.status === 'placed') {
      w.intents.push({ type: 'cancel', key: keys.safety(deal.seq, level.k) });
      level.status = isZero(level.filled) ? 'planned' : 'filled';
    }
  }
  if (deal.tp.live) w.intents.push({ type: 'cancel', key: keys.takeProfit(deal.seq) });
  deal.tp = { ...deal.tp, live: false };
}

/** Sends (or re-sends) the market close of the remaining position. */
export function sendClose(w: Work, price: Dec): void {
  const p = w.s.params;
  const deal = dealOf(w);
  const qty = exitQuantity(w, price);
  deal.closeLive = !isZero(qty);
  if (!deal.closeLive) return;
  const reduceOnly = futuresOf(p) ? { reduceOnly: true } : {};
  w.intents.push({
    type: 'place',
    key: keys.close(deal.seq, deal.closeAttempts),
    role: 'close',
    idx: deal.closeAttempts,
    seq: deal.seq,
    side: exitSide(p),
    orderType: 'market',
    qty,
    ...reduceOnly,
  });
}
