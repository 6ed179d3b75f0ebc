/**
 * BTD fill handling (§3.3 "Running"): a sell of `U` on line j → a buy on j−1 spending all its proceeds; a buy
 * on line i → a sell of `min(U, received)` on i+1, the surplus base kept as profit.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent } from '../../kernel/strategy.ts';
import { applyOrderEvent, lotFloor, netBase, netQuote, onLine, placeLimit } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { priceAt } from '../shared/lattice.ts';
import { continueExit } from '../shared/spot-exit.ts';
import { latticeOf, placeInitialBook } from './start.ts';
import { lineKey, withFlag } from './state.ts';
import type { BtdState } from './state.ts';

/** Applies an order event; when the order is done, updates holdings and places its counter order. */
export function onOrder(
  state: BtdState,
  event: Extract<StrategyEvent, { type: 'order' }>,
  ctx: StrategyContext,
): [BtdState, Intent[]] {
  const update = applyOrderEvent(state.book, event, ctx.market);
  if (!update) return [state, []];
  const next: BtdState = { ...state, book: update.book };
  if (!update.done) return [next, []];
  const order = update.order;
  if (order.key === 'init') {
    if (dec(order.filled).isZero())
      return [
        { ...next, phase: 'ERROR', reason: 'INITIAL_SELL_FAILED' },
        [{ type: 'transition', to: 'ERROR', reason: `initial market sell ${event.status}` }],
      ];
    return placeInitialBook(next, order, ctx);
  }
  const sign = order.side === 'buy' ? 1 : -1;
  const held: BtdState = {
    ...next,
    base: str(dec(next.base).plus(dec(netBase(order)).times(sign))),
    quote: str(dec(next.quote).minus(dec(netQuote(order)).times(sign))),
  };
  if (held.phase === 'STOPPING') return continueExit(held, ctx.market);
  if (dec(order.filled).isZero()) return [held, []];
  return order.side === 'sell' ? rebuyBelow(held, order, ctx) : resellAbove(held, order, ctx);
}

function rebuyBelow(state: BtdState, sell: LiveOrder, ctx: StrategyContext): [BtdState, Intent[]] {
  const lattice = latticeOf(state);
  const line = sell.line - 1;
  if (onLine(state.book, line)) return [{ ...state, flags: withFlag(state.flags, 'LINE_OCCUPIED') }, []];
  const proceeds = netQuote(sell);
  const placed = placeLimit(
    state.book,
    {
      key: lineKey(line),
      line,
      side: 'buy',
      price: priceAt(lattice, line),
      qty: str(dec(proceeds).dividedBy(priceAt(lattice, line))),
      cost: proceeds,
    },
    ctx.market,
  );
  return placed ? [{ ...state, book: placed[0] }, [placed[1]]] : [state, []];
}

function resellAbove(state: BtdState, buy: LiveOrder, ctx: StrategyContext): [BtdState, Intent[]] {
  const lattice = latticeOf(state);
  const line = buy.line + 1;
  const received = netBase(buy);
  const sellQty = dec(received).lessThan(state.unit) ? lotFloor(received, ctx.market) : state.unit;
  const surplus = str(dec(received).minus(sellQty));
  const booked: BtdState = {
    ...state,
    realizedBase: str(dec(state.realizedBase).plus(surplus)),
    roundTrips: state.roundTrips + 1,
  };
  // Round trips are reported in quote for the shared metrics: the surplus base valued at the buy price.
  const intents: Intent[] = [{ type: 'roundTrip', pnl: str(dec(surplus).times(buy.price ?? '0')) }];
  if (onLine(booked.book, line))
    return [{ ...booked, flags: withFlag(booked.flags, 'LINE_OCCUPIED') }, intents];
  const placed = placeLimit(
    booked.book,
    { key: lineKey(line), line, side: 'sell', price: priceAt(lattice, line), qty: sellQty, cost: '0' },
    ctx.market,
  );
  return placed ? [{ ...booked, book: placed[0] }, [...intents, placed[1]]] : [booked, intents];
}
