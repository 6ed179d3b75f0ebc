/** Grid fill handling (§1.4): a buy on line i → sell one line up; a sell on line j → book the pair, buy one line down. */
import { add, div, isZero, mul } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent } from '../../kernel/strategy.ts';
import {
  isFinal,
  lotFloor,
  orderOf,
  placeRoundedInStead,
  putInBook,
  removeOrder,
  withFill,
} from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { pairProfit, singleFillTotals, totalsOf, unfilled } from './fill-totals.ts';
import type { FillTotals } from './fill-totals.ts';
import { continueExit } from '../shared/spot-exit.ts';
import { latticeOf, placeInitialBook } from './start.ts';
import { plannedLineBuy, plannedSellPrice } from './line-plan.ts';
import { carry, runningSum } from './running-sums.ts';
import { keyedLine, lineKey, withFlag } from './state.ts';
import type { GridState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

/** Applies an order event: accumulates fills, and when the order is done places its counter order. */
export function onOrder(state: GridState, event: OrderEvent, ctx: StrategyContext): [GridState, Intent[]] {
  const known = orderUnder(state, event.key);
  if (!known) return [state, []];
  const fill = event.fill;
  // The common case, a line order filled in one go: its totals are those of this one fill, so the order
  // with the fill accumulated is never needed (nothing reads it once its counter order replaces it).
  if (event.status === 'filled' && fill !== undefined && unfilled(known)) {
    if (known.key !== 'init' && state.phase !== 'STOPPING') {
      const totals = singleFillTotals(known.side, event, fill, ctx.market);
      if (totals !== undefined) return onLineDone(state, known, totals, ctx);
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
  // A line order sits under its line's key (one shared text per line), which spares the prefix test.
  if (order.key !== lineKey(order.line) && order.key.startsWith('trail-down:'))
    return counterSell(state, held, totals, order.line, order, ctx);
  return order.side === 'buy'
    ? counterSell(state, held, totals, order.line + 1, order, ctx)
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

// The holdings and the realised profit change on every fill: carried from fill to fill (see running-sums.ts).
const baseHeld = runningSum();
const quoteHeld = runningSum();
const realizedSum = runningSum();

function holdingsAfter(state: GridState, side: LiveOrder['side'], totals: FillTotals): Holdings {
  const sign = side === 'buy' ? 1 : -1;
  return {
    base: carry(baseHeld, state.base, totals.netBase, sign),
    quote: carry(quoteHeld, state.quote, totals.netQuote, sign === 1 ? -1 : 1),
  };
}

/**
 * The order under `line`'s key, if any. Every grid order under a line's key is on that line (start, fills and
 * trailing all place `lineKey(line)` on `line`), so the line number sorts out the candidates before any key
 * text is compared; keys are unique in a book, so this is `orderOf(book, lineKey(line))`.
 */
function holderOf(state: GridState, line: number): LiveOrder | undefined {
  const orders = state.book.orders;
  const key = lineKey(line);
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i]!;
    if (o.line === line && o.key === key) return o;
  }
  return undefined;
}

/** The order under `key` (`orderOf`), found by line number when `key` is a line's key. */
function orderUnder(state: GridState, key: string): LiveOrder | undefined {
  const line = keyedLine(key);
  return (line === undefined ? undefined : holderOf(state, line)) ?? orderOf(state.book, key);
}

/** Whether the order under a line's key rests there (`onLine` without walking the book). */
const rests = (holder: LiveOrder | undefined): holder is LiveOrder =>
  holder !== undefined && holder.cancelling !== true && holder.price !== undefined;

/**
 * Sells what a buy received on `line` with the buy's quote as the lot's cost basis, in place of the done
 * order `done`; the one new state carries the new holdings and book.
 */
function counterSell(
  state: GridState,
  held: Holdings,
  bought: FillTotals,
  line: number,
  done: LiveOrder,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const { base, quote } = held;
  const holder = holderOf(state, line);
  if (rests(holder)) {
    const flags = withFlag(state.flags, 'LINE_OCCUPIED');
    return [{ ...state, base, quote, book: removeOrder(state.book, done.key), flags }, []];
  }
  // As `placeLimit` does: the price rounded (here from the line plan), the quantity floored, none if zero.
  const price = plannedSellPrice(state, latticeOf(state), line, ctx.market);
  const qty = lotFloor(bought.netBase, ctx.market);
  if (isZero(qty)) return [{ ...state, base, quote, book: removeOrder(state.book, done.key) }, []];
  const spec = { key: lineKey(line), line, side: 'sell' as const, price, qty, cost: bought.netQuote };
  const placed = placeRoundedInStead(state.book, spec, done, holder);
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
  const profit = pairProfit(totals.netQuote, lotCost(sell, totals.filled));
  const fees = sellFees(sell, totals);
  const roundTrip: Intent = { type: 'roundTrip', pnl: profit, fees };
  const line = sell.line - 1;
  const holder = line < lattice.iMin ? undefined : holderOf(state, line);
  const buy =
    line < lattice.iMin || rests(holder) ? undefined : plannedLineBuy(state, lattice, line, ctx.market);
  const placed = buy ? placeRoundedInStead(state.book, buy, sell, holder) : undefined;
  const realized = carry(realizedSum, state.realized, profit, 1);
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
 * qty the same text) sold the whole lot, and `pairProfit` reads only its operands' values, so the cost goes in
 * as is. `filled` is never zero here (only orders that filled something close a pair), nor then is `qty`.
 */
function lotCost(sell: LiveOrder, filled: Dec): Dec {
  if (sell.qty === undefined || filled === sell.qty) return sell.cost;
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
