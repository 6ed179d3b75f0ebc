/** Grid fill handling (§1.4): a buy on line i → sell one line up; a sell on line j → book the pair, buy one line down. */
import { add, div, isZero, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent } from '../../kernel/strategy.ts';
import {
  isFinal,
  lotFloor,
  orderOf,
  placeRounded,
  putInBook,
  removeOrder,
  withFill,
} from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { singleFillTotals, totalsOf, unfilled } from './fill-totals.ts';
import type { FillTotals } from './fill-totals.ts';
import { continueExit } from '../shared/spot-exit.ts';
import { latticeOf, placeInitialBook } from './start.ts';
import { plannedLineBuy, plannedSellPrice } from './line-plan.ts';
import { lineKey, withFlag } from './state.ts';
import type { GridState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

/** Applies an order event: accumulates fills, and when the order is done places its counter order. */
export function onOrder(state: GridState, event: OrderEvent, ctx: StrategyContext): [GridState, Intent[]] {
  const known = orderOf(state.book, event.key);
  if (!known) return [state, []];
  const fill = event.fill;
  // The common case, a line order filled in one go: its totals are those of this one fill, so the order
  // with the fill accumulated is never needed (nothing reads it once its counter order replaces it).
  if (event.status === 'filled' && fill !== undefined && unfilled(known)) {
    if (known.key !== 'init' && state.phase !== 'STOPPING') {
      const totals = singleFillTotals(known.side, event, fill, ctx.market);
      if (!isZero(totals.filled)) return onLineDone(state, known, totals, ctx);
    }
  }
  const order = withFill(known, event, ctx.market);
  if (!isFinal(event.status)) {
    if (order === known) return [state, []];
    return [{ ...state, book: putInBook(state.book, order) }, []];
  }
  if (order.key === 'init' || state.phase === 'STOPPING' || isZero(order.filled)) {
    return onOtherDone({ ...state, book: removeOrder(state.book, order.key) }, order, event, ctx);
  }
  return onLineDone(state, order, totalsOf(order), ctx);
}

/**
 * A filled line order (or trail-down buy) with its fill `totals`: it stays in the book until its counter
 * order takes its place in one copy. The checks in between cannot see it: they look up other line keys (one
 * up or one down), and a trail-down order is keyed `trail-down:…`, not by its line.
 */
function onLineDone(
  state: GridState,
  order: LiveOrder,
  totals: FillTotals,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const held = holdingsAfter(state, order.side, totals);
  if (order.key.startsWith('trail-down:'))
    return counterSell(state, held, totals, order.line, order.key, ctx);
  return order.side === 'buy'
    ? counterSell(state, held, totals, order.line + 1, order.key, ctx)
    : closePair(state, held, order, totals, ctx);
}

/** The initial market buy finishing, an order finishing while stopping, or one ending with no fill. */
function onOtherDone(
  next: GridState,
  order: LiveOrder,
  event: OrderEvent,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const unfilledOrder = isZero(order.filled);
  if (order.key === 'init') {
    if (unfilledOrder) {
      return [
        { ...next, phase: 'ERROR', reason: 'INITIAL_BUY_FAILED' },
        [{ type: 'transition', to: 'ERROR', reason: `initial market buy ${event.status}` }],
      ];
    }
    return placeInitialBook(next, order, ctx);
  }
  const held = { ...next, ...holdingsAfter(next, order.side, totalsOf(order)) };
  return held.phase === 'STOPPING' ? continueExit(held, ctx.market) : [held, []];
}

/** The bot's holdings once a done order's net amounts are booked. */
type Holdings = Pick<GridState, 'base' | 'quote'>;

function holdingsAfter(state: GridState, side: LiveOrder['side'], totals: FillTotals): Holdings {
  return side === 'buy'
    ? { base: add(state.base, totals.netBase), quote: sub(state.quote, totals.netQuote) }
    : { base: sub(state.base, totals.netBase), quote: add(state.quote, totals.netQuote) };
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
  bought: FillTotals,
  line: number,
  done: string,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const { base, quote } = held;
  if (lineTaken(state, line)) {
    const flags = withFlag(state.flags, 'LINE_OCCUPIED');
    return [{ ...state, base, quote, book: removeOrder(state.book, done), flags }, []];
  }
  // As `placeLimit` does: the price rounded (here from the line plan), the quantity floored, none if zero.
  const price = plannedSellPrice(state, latticeOf(state), line, ctx.market);
  const qty = lotFloor(bought.netBase, ctx.market);
  if (isZero(qty)) return [{ ...state, base, quote, book: removeOrder(state.book, done) }, []];
  const spec = { key: lineKey(line), line, side: 'sell' as const, price, qty, cost: bought.netQuote };
  const placed = placeRounded(state.book, spec, done);
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
  totals: FillTotals,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  const profit = sub(totals.netQuote, lotCost(sell, totals.filled));
  const fees = sellFees(sell, totals);
  const roundTrip: Intent = { type: 'roundTrip', pnl: profit, fees };
  const line = sell.line - 1;
  const buy =
    line < lattice.iMin || lineTaken(state, line)
      ? undefined
      : plannedLineBuy(state, lattice, line, ctx.market);
  const placed = buy ? placeRounded(state.book, buy, sell.key) : undefined;
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
function lotCost(sell: LiveOrder, filled: Dec): Dec {
  if (sell.qty === undefined || (filled === sell.qty && !isZero(sell.qty))) return sell.cost;
  return mul(sell.cost, div(filled, sell.qty));
}

/**
 * A sell's fees in quote: its quote fee plus its base fee at the sell price. A spot sell is charged in the
 * quote it receives, so the base fee is `'0'` and the sum would be the quote fee's own (canonical) text.
 */
function sellFees(sell: LiveOrder, totals: FillTotals): Dec {
  if (totals.feeBase === '0') return totals.feeQuote;
  return add(totals.feeQuote, mul(totals.feeBase, sell.price ?? '0'));
}
