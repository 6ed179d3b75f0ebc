/** The futures grid reducer: stops per direction, trailing, the liquidation guard and the exit (§5.3). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent, StrategyResult, Wake } from '../../kernel/strategy.ts';
import { applyOrderEvent, cancelOrder, placeMarket, withCurrentBook } from '../shared/book.ts';
import { FLAT, liquidationPrice, unrealizedPnl } from '../shared/futures.ts';
import { aboveTop, belowBottom } from '../shared/lattice.ts';
import { mergeWakes, pnlPct, stopWake, triggeredStop } from '../shared/stops.ts';
import type { StopRule } from '../shared/stops.ts';
import { stepResult } from '../shared/step.ts';
import { counter, placeLine, settleFill } from './fills.ts';
import { normalizeFuturesGridParams } from './params.ts';
import { bracketOf } from './plan.ts';
import { initialize, placeInitialBook } from './start.ts';
import type { FuturesExit, FuturesGridState } from './state.ts';
import { trail } from './trailing.ts';

const TERMINAL = ['STOPPED', 'COMPLETED', 'ERROR', 'LIQUIDATED'];
const ACTIVE = ['RUNNING', 'PAUSED'];

/** One reducer step of the futures grid. */
export function futuresGridOnEvent(
  state: FuturesGridState,
  event: StrategyEvent,
  ctx: StrategyContext,
): StrategyResult<FuturesGridState> {
  if (TERMINAL.includes(state.phase)) return { state, intents: [] };
  // A state restored from a checkpoint of older code may hold its book in the keyed-object shape.
  const [next, intents] = route(withCurrentBook(state), event, ctx);
  return stepResult(next, intents, wakeOf(next));
}

function route(
  state: FuturesGridState,
  event: StrategyEvent,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  switch (event.type) {
    case 'start': {
      if (state.phase !== 'NEW') return [state, []];
      const trigger = state.params.triggerPrice;
      if (trigger === undefined) return initialize(state, event.price, ctx);
      return [
        { ...state, phase: 'ARMED', armedAbove: dec(event.price).lessThan(trigger), lastPrice: event.price },
        [{ type: 'transition', to: 'ARMED', reason: 'WAITING_FOR_TRIGGER' }],
      ];
    }
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
        {
          reason: event.reason,
          outcome: 'STOPPED',
          closePosition: event.closeAction === 'closePosition',
          closing: false,
        },
        ctx,
      );
    case 'liquidated': {
      const cancels = state.book.orders.map(({ key }): Intent => ({ type: 'cancel', key }));
      const wallet = str(dec(state.wallet).minus(event.loss));
      return [
        { ...state, phase: 'LIQUIDATED', reason: 'LIQUIDATED', position: FLAT, wallet },
        [
          ...cancels,
          { type: 'transition', to: 'LIQUIDATED', reason: `liquidated at ${event.price}`, terminal: true },
        ],
      ];
    }
    case 'paramsChanged':
      return [withParams(state, event.params), []];
    case 'timer':
    case 'signal':
      return [state, []];
  }
}

function onOrder(
  state: FuturesGridState,
  event: Extract<StrategyEvent, { type: 'order' }>,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  const update = applyOrderEvent(state.book, event, ctx.market);
  if (!update) return [state, []];
  const next: FuturesGridState = { ...state, book: update.book };
  if (!update.done) return [next, []];
  const order = update.order;
  if (order.key === 'init') {
    if (dec(order.filled).isZero())
      return [
        { ...next, phase: 'ERROR', reason: 'INITIAL_ORDER_FAILED' },
        [{ type: 'transition', to: 'ERROR', reason: `initial market order ${event.status}` }],
      ];
    return placeInitialBook(next, order, ctx);
  }
  const settled = settleFill(next, order);
  if (settled.phase === 'STOPPING') return continueExit(settled, ctx);
  if (dec(order.filled).isZero()) return [settled, []];
  return counter(settled, order, ctx);
}

function onPrice(state: FuturesGridState, price: Dec, ctx: StrategyContext): [FuturesGridState, Intent[]] {
  const observed: FuturesGridState = { ...state, lastPrice: price };
  if (observed.phase === 'ARMED') {
    const trigger = observed.params.triggerPrice!;
    const crossed =
      observed.armedAbove === true
        ? dec(price).greaterThanOrEqualTo(trigger)
        : dec(price).lessThanOrEqualTo(trigger);
    return crossed ? initialize(observed, trigger, ctx) : [observed, []];
  }
  if (!ACTIVE.includes(observed.phase)) return [observed, []];
  const equity = str(dec(observed.wallet).plus(unrealizedPnl(observed.position, price)));
  const stop = triggeredStop(stopRules(observed), price, pnlPct(equity, observed.params.investment));
  if (stop) {
    const closePosition = observed.params.closePositionOnStop;
    return beginExit(
      observed,
      { reason: stop.reason, outcome: stop.outcome, closePosition, closing: false },
      ctx,
    );
  }
  const [trailed, intents] = trail(observed, price, ctx);
  const [guarded, more] = guard(trailed, price, ctx);
  return [guarded, [...intents, ...more]];
}

/** §5.3 liquidation guard: within the buffer of `LP_now`, hold position-opening orders until it clears. */
function guard(state: FuturesGridState, price: Dec, ctx: StrategyContext): [FuturesGridState, Intent[]] {
  const lp = liquidationPrice(state.wallet, state.position, bracketOf(ctx.market));
  const buffer = dec(state.params.liquidationBufferPct).dividedBy(100);
  const long = dec(state.position.qty).isPositive();
  const risky =
    lp !== undefined &&
    !dec(lp).isZero() &&
    (long
      ? dec(price).lessThanOrEqualTo(dec(lp).times(buffer.plus(1)))
      : dec(price).greaterThanOrEqualTo(dec(lp).times(dec(1).minus(buffer))));
  const paused = state.phase === 'PAUSED';
  if (risky && !paused)
    return [
      { ...state, phase: 'PAUSED', reason: 'LIQUIDATION_RISK' },
      [{ type: 'transition', to: 'PAUSED', reason: 'LIQUIDATION_RISK' }],
    ];
  if (risky || !paused) return [state, []];
  let current: FuturesGridState = {
    ...state,
    phase: 'RUNNING',
    reason: 'LIQUIDATION_RISK_CLEARED',
    held: [],
  };
  const intents: Intent[] = [{ type: 'transition', to: 'RUNNING', reason: 'LIQUIDATION_RISK_CLEARED' }];
  for (const h of state.held) {
    const [next, more] = placeLine(current, h.line, h.side, h.qty, undefined, ctx);
    current = next;
    intents.push(...more);
  }
  return [current, intents];
}

function beginExit(
  state: FuturesGridState,
  exit: FuturesExit,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  let book = state.book;
  const intents: Intent[] = [{ type: 'transition', to: 'STOPPING', reason: exit.reason }];
  for (const order of book.orders) {
    if (order.cancelling === true) continue;
    const [next, cancel] = cancelOrder(book, order.key);
    book = next;
    intents.push(cancel);
  }
  const [done, more] = continueExit({ ...state, book, phase: 'STOPPING', reason: exit.reason, exit }, ctx);
  return [done, [...intents, ...more]];
}

/** Once every order is gone, closes the position reduce-only at market (if asked), then ends the run. */
function continueExit(state: FuturesGridState, ctx: StrategyContext): [FuturesGridState, Intent[]] {
  const exit = state.exit;
  if (!exit || state.book.orders.length > 0) return [state, []];
  const qty = dec(state.position.qty);
  if (exit.closePosition && !exit.closing && !qty.isZero()) {
    const [book, intent] = placeMarket(
      state.book,
      {
        key: 'close',
        side: qty.isPositive() ? 'sell' : 'buy',
        qty: str(qty.abs()),
        role: 'close',
        reduceOnly: true,
      },
      ctx.market,
    );
    return [{ ...state, book, exit: { ...exit, closing: true } }, [intent]];
  }
  return [
    { ...state, phase: exit.outcome },
    [{ type: 'transition', to: exit.outcome, reason: exit.reason, terminal: true }],
  ];
}

/** Stops per direction (§5.3 "Stops"): take profit completes, every other stop ends STOPPED. */
export function stopRules(state: FuturesGridState): StopRule[] {
  const p = state.params;
  const rules: StopRule[] = [];
  const tpWhen = p.direction === 'SHORT' ? 'priceBelow' : 'priceAbove';
  const slWhen = p.direction === 'SHORT' ? 'priceAbove' : 'priceBelow';
  if (p.direction !== 'NEUTRAL' && state.stopLossPrice !== undefined)
    rules.push({ when: slWhen, level: state.stopLossPrice, reason: 'STOP_LOSS', outcome: 'STOPPED' });
  if (p.direction !== 'NEUTRAL' && p.takeProfit.price !== undefined)
    rules.push({ when: tpWhen, level: p.takeProfit.price, reason: 'TAKE_PROFIT', outcome: 'COMPLETED' });
  if (state.stopTopPrice !== undefined)
    rules.push({ when: 'priceAbove', level: state.stopTopPrice, reason: 'STOP_TOP', outcome: 'STOPPED' });
  if (state.stopBottomPrice !== undefined)
    rules.push({
      when: 'priceBelow',
      level: state.stopBottomPrice,
      reason: 'STOP_BOTTOM',
      outcome: 'STOPPED',
    });
  if (p.stopLoss.pnlPct !== undefined)
    rules.push({ when: 'pnlBelow', level: p.stopLoss.pnlPct, reason: 'STOP_LOSS', outcome: 'STOPPED' });
  if (p.takeProfit.pnlPct !== undefined)
    rules.push({ when: 'pnlAbove', level: p.takeProfit.pnlPct, reason: 'TAKE_PROFIT', outcome: 'COMPLETED' });
  return rules;
}

function wakeOf(state: FuturesGridState): Wake | undefined {
  if (state.phase === 'ARMED')
    return state.armedAbove === true
      ? { above: state.params.triggerPrice! }
      : { below: state.params.triggerPrice! };
  if (!ACTIVE.includes(state.phase) || !state.lattice) return undefined;
  const p = state.params;
  return mergeWakes(
    stopWake(stopRules(state)),
    p.trailingUp.enabled ? { above: aboveTop(state.lattice) } : undefined,
    p.trailingDown.enabled ? { below: belowBottom(state.lattice) } : undefined,
  );
}

/**
 * Applies hot params and a margin change (§5.6 `investment` is H2: the wallet moves by the difference, the
 * quantity per line stays, so the liquidation price moves; Appendix B T10).
 */
function withParams(state: FuturesGridState, raw: unknown): FuturesGridState {
  const params = normalizeFuturesGridParams(raw);
  const { stopLossPrice: _a, stopTopPrice: _b, stopBottomPrice: _c, ...rest } = state;
  const margin = dec(params.investment).minus(state.params.investment);
  return {
    ...rest,
    params,
    wallet: str(dec(state.wallet).plus(margin)),
    ...(params.stopLoss.price !== undefined ? { stopLossPrice: params.stopLoss.price } : {}),
    ...(params.stopTopPrice !== undefined ? { stopTopPrice: params.stopTopPrice } : {}),
    ...(params.stopBottomPrice !== undefined ? { stopBottomPrice: params.stopBottomPrice } : {}),
  };
}
