/** The Loop reducer (§4.3): start around the fixed entry, route fills into gaps, take profit, optional stop. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import {
  applyOrderEvent,
  netBase,
  netQuote,
  placeLimit,
  placeMarket,
  withCurrentBook,
} from '../shared/book.ts';
import type { Book } from '../shared/book.ts';
import { beginExit, continueExit, spotCloseAction } from '../shared/spot-exit.ts';
import type { SpotCloseAction } from '../shared/spot-exit.ts';
import { mergeWakes, pnlPct, stopWake, triggeredStop } from '../shared/stops.ts';
import type { StopRule } from '../shared/stops.ts';
import { stepResult } from '../shared/step.ts';
import { onSlotDone, placeSell } from './fills.ts';
import { normalizeLoopParams } from './params.ts';
import { boundedSlots, slotPrice } from './slots.ts';
import { slotKey } from './state.ts';
import type { LoopState } from './state.ts';

const TERMINAL = ['STOPPED', 'COMPLETED', 'ERROR'];

/** One reducer step of the Loop bot. */
export function loopOnEvent(
  state: LoopState,
  event: StrategyEvent,
  ctx: StrategyContext,
): StrategyResult<LoopState> {
  if (TERMINAL.includes(state.phase)) return { state, intents: [] };
  // A state restored from a checkpoint of older code may hold its book in the keyed-object shape.
  const [next, intents] = route(withCurrentBook(state), event, ctx);
  return stepResult(next, intents, wakeOf(next));
}

function route(state: LoopState, event: StrategyEvent, ctx: StrategyContext): [LoopState, Intent[]] {
  switch (event.type) {
    case 'start':
      return state.phase === 'NEW' ? start(state, event.price, ctx) : [state, []];
    case 'price':
      return onPrice(state, event.price, ctx);
    case 'bar':
      return onPrice(state, event.bar.close, ctx);
    case 'order':
      return onOrder(state, event, ctx);
    case 'stopRequested':
      if (state.phase === 'STOPPING') return [state, []];
      return beginExit(
        state,
        { reason: event.reason, outcome: 'STOPPED', closeAction: spotCloseAction(event.closeAction) },
        ctx.market,
      );
    case 'paramsChanged':
      return [{ ...state, params: normalizeLoopParams(event.params) }, []];
    case 'timer':
    case 'signal':
    case 'liquidated':
      return [state, []];
  }
}

/** §4.3 Start: fix `E`, buy `Q` on each buy slot (buyOnly), or first market-buy half for the sell slots (split). */
function start(state: LoopState, price: Dec, ctx: StrategyContext): [LoopState, Intent[]] {
  const p = state.params;
  const entry = p.entryPrice ?? price;
  const buys = boundedSlots(p, entry, 'buy', p.ordersPerSide);
  const sells = p.initialMode === 'split' ? boundedSlots(p, entry, 'sell', p.ordersPerSide) : [];
  const size = str(
    dec(p.investment).dividedBy(p.initialMode === 'split' ? 2 * p.ordersPerSide : p.ordersPerSide),
  );
  const tp = p.takeProfit.price;
  const base: LoopState = {
    ...state,
    entry,
    size,
    lastPrice: price,
    buyWindow: buys,
    sellWindow: p.initialMode === 'split' ? sells : boundedSlots(p, entry, 'sell', p.ordersPerSide),
    tracked: [...buys, ...boundedSlots(p, entry, 'sell', p.ordersPerSide)],
    ...(tp !== undefined ? { takeProfitAbove: dec(tp).greaterThan(price) } : {}),
  };
  let book: Book = base.book;
  const intents: Intent[] = [
    { type: 'transition', to: p.initialMode === 'split' ? 'INITIALIZING' : 'RUNNING', reason: 'STARTED' },
  ];
  const deferred: { slot: number; quote: Dec }[] = [];
  for (const k of buys) {
    const at = slotPrice(p, entry, k);
    if (dec(at).greaterThanOrEqualTo(price)) deferred.push({ slot: k, quote: size });
    const placed = dec(at).lessThan(price)
      ? placeLimit(
          book,
          { key: slotKey(k), line: k, side: 'buy', price: at, qty: str(dec(size).dividedBy(at)), cost: size },
          ctx.market,
        )
      : undefined;
    if (placed) [book, intents[intents.length]] = placed;
  }
  if (sells.length > 0) {
    const [withInit, intent] = placeMarket(
      book,
      { key: 'init', side: 'buy', quoteAmount: str(dec(size).times(sells.length)), role: 'entry' },
      ctx.market,
    );
    book = withInit;
    intents.push(intent);
  }
  return [{ ...base, book, deferred, phase: sells.length > 0 ? 'INITIALIZING' : 'RUNNING' }, intents];
}

function onOrder(
  state: LoopState,
  event: Extract<StrategyEvent, { type: 'order' }>,
  ctx: StrategyContext,
): [LoopState, Intent[]] {
  const update = applyOrderEvent(state.book, event, ctx.market);
  if (!update) return [state, []];
  if (!update.done) return [{ ...state, book: update.book }, []];
  const order = update.order;
  const sign = order.side === 'buy' ? 1 : -1;
  const held: LoopState = {
    ...state,
    book: update.book,
    base: str(dec(state.base).plus(dec(netBase(order)).times(sign))),
    quote: str(dec(state.quote).minus(dec(netQuote(order)).times(sign))),
  };
  if (held.phase === 'STOPPING') return continueExit(held, ctx.market);
  if (dec(order.filled).isZero()) return [held, []];
  if (order.key === 'init') return splitSells(held, netBase(order), ctx);
  return onSlotDone(held, order, ctx);
}

/** split mode: the received base is divided equally over the sell slots, each with cost basis `Q`. */
function splitSells(state: LoopState, received: Dec, ctx: StrategyContext): [LoopState, Intent[]] {
  const perSell = str(dec(received).dividedBy(state.sellWindow.length));
  let current: LoopState = { ...state, phase: 'RUNNING' };
  const intents: Intent[] = [{ type: 'transition', to: 'RUNNING', reason: 'INITIAL_BUY_FILLED' }];
  for (let n = 0; n < state.sellWindow.length; n++) {
    const [next, more] = placeSell(current, perSell, state.size, ctx);
    current = next;
    intents.push(...more);
  }
  return [current, intents];
}

function onPrice(state: LoopState, price: Dec, ctx: StrategyContext): [LoopState, Intent[]] {
  const observed: LoopState = { ...state, lastPrice: price };
  if (observed.phase !== 'RUNNING') return [observed, []];
  const value = str(dec(observed.base).times(price).plus(observed.quote));
  const stop = triggeredStop(stopRules(observed), price, pnlPct(value, observed.params.investment));
  if (stop)
    return beginExit(
      observed,
      { reason: stop.reason, outcome: stop.outcome, closeAction: exitAction(observed.params.exitCurrency) },
      ctx.market,
    );
  return activateDeferred(observed, price, ctx);
}

/** Sends deferred buy slots once the market trades above them (never a taker fill at start, §4.3). */
function activateDeferred(state: LoopState, price: Dec, ctx: StrategyContext): [LoopState, Intent[]] {
  let book = state.book;
  const intents: Intent[] = [];
  const waiting = state.deferred.filter((d) => {
    const at = slotPrice(state.params, state.entry!, d.slot);
    if (dec(at).greaterThan(price)) return true;
    const placed = placeLimit(
      book,
      {
        key: slotKey(d.slot),
        line: d.slot,
        side: 'buy',
        price: at,
        qty: str(dec(d.quote).dividedBy(at)),
        cost: d.quote,
      },
      ctx.market,
    );
    if (placed) [book, intents[intents.length]] = placed;
    return false;
  });
  return [{ ...state, book, deferred: waiting }, intents];
}

/** The Loop's exit currency as a spot close action. */
const exitAction = (currency: LoopState['params']['exitCurrency']): SpotCloseAction =>
  currency === 'base' ? 'buyBase' : currency === 'quote' ? 'sellBase' : 'keep';

/** Take profit (PnL % or a price crossed in either direction) and the optional stop loss (§4.3 Stops). */
export function stopRules(state: LoopState): StopRule[] {
  const { stopLoss, takeProfit } = state.params;
  const rules: StopRule[] = [];
  if (stopLoss.price !== undefined)
    rules.push({ when: 'priceBelow', level: stopLoss.price, reason: 'STOP_LOSS', outcome: 'STOPPED' });
  if (takeProfit.price !== undefined) {
    rules.push({
      when: state.takeProfitAbove === false ? 'priceBelow' : 'priceAbove',
      level: takeProfit.price,
      reason: 'TAKE_PROFIT',
      outcome: 'COMPLETED',
    });
  }
  if (takeProfit.pnlPct !== undefined)
    rules.push({ when: 'pnlAbove', level: takeProfit.pnlPct, reason: 'TAKE_PROFIT', outcome: 'COMPLETED' });
  return rules;
}

function wakeOf(state: LoopState): Wake | undefined {
  if (state.phase !== 'RUNNING') return undefined;
  const deferredAbove = state.deferred
    .map((d) => slotPrice(state.params, state.entry!, d.slot))
    .sort((a, b) => dec(a).comparedTo(b))[0];
  return mergeWakes(
    stopWake(stopRules(state)),
    deferredAbove !== undefined ? { above: deferredAbove } : undefined,
  );
}
