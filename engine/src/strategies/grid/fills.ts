/** Grid fill handling (§1.4): a buy on line i → sell one line up; a sell on line j → book the pair, buy one line down. */
import { add, div, isZero, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent } from '../../kernel/strategy.ts';
import {
  isFinal,
  netBase,
  netQuote,
  orderOf,
  placeLimit,
  putInBook,
  removeOrder,
  withFill,
} from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { continueExit } from '../shared/spot-exit.ts';
import { latticeOf, placeInitialBook } from './start.ts';
import { lineBuy, lineKey, sellPriceFor, withFlag } from './state.ts';
import type { GridState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

/** Applies an order event: accumulates fills, and when the order is done places its counter order. */
export function onOrder(state: GridState, event: OrderEvent, ctx: StrategyContext): [GridState, Intent[]] {
  const known = orderOf(state.book, event.key);
  if (!known) return [state, []];
  const order = withFill(known, event, ctx.market);
  if (!isFinal(event.status)) {
    if (order === known) return [state, []];
    return [{ ...state, book: putInBook(state.book, order) }, []];
  }
  if (order.key === 'init' || state.phase === 'STOPPING' || isZero(order.filled)) {
    return onOtherDone({ ...state, book: removeOrder(state.book, order.key) }, order, event, ctx);
  }
  // The common case, a filled line order: it stays in the book until its counter order takes its place in
  // one copy. The checks in between cannot see it: they look up other line keys (one up or one down), and a
  // trail-down order is keyed `trail-down:…`, not by its line.
  const net: Net = { base: netBase(order), quote: netQuote(order) };
  const held = holdingsAfter(state, order, net);
  if (order.key.startsWith('trail-down:')) return counterSell(state, held, net, order.line, order.key, ctx);
  return order.side === 'buy'
    ? counterSell(state, held, net, order.line + 1, order.key, ctx)
    : closePair(state, held, order, net, ctx);
}

/** The initial market buy finishing, an order finishing while stopping, or one ending with no fill. */
function onOtherDone(
  next: GridState,
  order: LiveOrder,
  event: OrderEvent,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const unfilled = isZero(order.filled);
  if (order.key === 'init') {
    if (unfilled) {
      return [
        { ...next, phase: 'ERROR', reason: 'INITIAL_BUY_FAILED' },
        [{ type: 'transition', to: 'ERROR', reason: `initial market buy ${event.status}` }],
      ];
    }
    return placeInitialBook(next, order, ctx);
  }
  const held = { ...next, ...holdingsAfter(next, order, { base: netBase(order), quote: netQuote(order) }) };
  return held.phase === 'STOPPING' ? continueExit(held, ctx.market) : [held, []];
}

/** What a done order moved: base received (buy) or given up (sell), quote spent or received. */
interface Net {
  readonly base: Dec;
  readonly quote: Dec;
}

/** The bot's holdings once a done order's net amounts are booked. */
type Holdings = Pick<GridState, 'base' | 'quote'>;

function holdingsAfter(state: GridState, order: LiveOrder, net: Net): Holdings {
  const buy = order.side === 'buy';
  return {
    base: buy ? add(state.base, net.base) : sub(state.base, net.base),
    quote: buy ? sub(state.quote, net.quote) : add(state.quote, net.quote),
  };
}

/**
 * Whether a resting order holds `line`. Every priced grid order sits under its line's key (start, fills
 * and trailing all place `lineKey(line)`), so this is `onLine` without walking the book.
 */
function lineTaken(state: GridState, line: number): boolean {
  const order = orderOf(state.book, lineKey(line));
  return order !== undefined && order.cancelling !== true && order.line === line && order.price !== undefined;
}

/**
 * Sells what a buy received on `line` with the buy's quote as the lot's cost basis, in place of the done
 * order `done`; the one new state carries the new holdings and book.
 */
function counterSell(
  state: GridState,
  held: Holdings,
  bought: Net,
  line: number,
  done: string,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const { base, quote } = held;
  if (lineTaken(state, line)) {
    const flags = withFlag(state.flags, 'LINE_OCCUPIED');
    return [{ ...state, base, quote, book: removeOrder(state.book, done), flags }, []];
  }
  const spec = {
    key: lineKey(line),
    line,
    side: 'sell' as const,
    price: sellPriceFor(state, latticeOf(state), line),
    qty: bought.base,
    cost: bought.quote,
  };
  const placed = placeLimit(state.book, spec, ctx.market, done);
  if (!placed) return [{ ...state, base, quote, book: removeOrder(state.book, done) }, []];
  return [{ ...state, base, quote, book: placed[0] }, [placed[1]]];
}

/**
 * Books the pair's realised profit (proceeds − lot cost, pro rata for a partial sell) and re-buys one line
 * down in place of the sell.
 */
function closePair(
  state: GridState,
  held: Holdings,
  sell: LiveOrder,
  net: Net,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  const profit = sub(net.quote, lotCost(sell));
  const fees = sellFees(sell);
  const roundTrip: Intent = { type: 'roundTrip', pnl: profit, fees };
  const line = sell.line - 1;
  const placed =
    line < lattice.iMin || lineTaken(state, line)
      ? undefined
      : placeLimit(state.book, lineBuy(state, lattice, line), ctx.market, sell.key);
  const realized = add(state.realized, profit);
  const booked: GridState = {
    ...state,
    base: held.base,
    quote: held.quote,
    realized,
    // The pool is the realised profit itself until compounding first folds it in: the same sum, done once.
    profitPool: state.profitPool === state.realized ? realized : add(state.profitPool, profit),
    roundTrips: state.roundTrips + 1,
    book: placed ? placed[0] : removeOrder(state.book, sell.key),
  };
  return [booked, placed ? [roundTrip, placed[1]] : [roundTrip]];
}

/**
 * The cost of the part of a sell's lot that was sold: cost × filled / qty. A sell filled in full (filled and
 * qty the same text) sold the whole lot, and `sub` reads only its operands' values, so the cost goes in as is.
 */
function lotCost(sell: LiveOrder): Dec {
  if (sell.qty === undefined || (sell.filled === sell.qty && !isZero(sell.qty))) return sell.cost;
  return mul(sell.cost, div(sell.filled, sell.qty));
}

/**
 * A sell's fees in quote: its quote fee plus its base fee at the sell price. A spot sell is charged in the
 * quote it receives, so the base fee is `'0'` and the sum would be the quote fee's own (canonical) text.
 */
function sellFees(sell: LiveOrder): Dec {
  if (sell.feeBase === '0') return sell.feeQuote;
  return add(sell.feeQuote, mul(sell.feeBase, sell.price ?? '0'));
}
