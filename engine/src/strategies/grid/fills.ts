/** Grid fill handling (§1.4): a buy on line i → sell one line up; a sell on line j → book the pair, buy one line down. */
import { add, div, isZero, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext, StrategyEvent } from '../../kernel/strategy.ts';
import { applyOrderEvent, netBase, netQuote, onLine, placeLimit } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { priceAt } from '../shared/lattice.ts';
import { continueExit } from '../shared/spot-exit.ts';
import { latticeOf, placeInitialBook } from './start.ts';
import { buyCost, buyQty, lineKey, sellPriceFor, withFlag } from './state.ts';
import type { GridState } from './state.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;

/** Applies an order event: accumulates fills, and when the order is done places its counter order. */
export function onOrder(state: GridState, event: OrderEvent, ctx: StrategyContext): [GridState, Intent[]] {
  const update = applyOrderEvent(state.book, event, ctx.market);
  if (!update || update.book === state.book) return [state, []];
  let next: GridState = { ...state, book: update.book };
  if (!update.done) return [next, []];
  const order = update.order;
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
  const net: Net = { base: netBase(order), quote: netQuote(order) };
  next = withHoldings(next, order, net);
  if (next.phase === 'STOPPING') return continueExit(next, ctx.market);
  if (unfilled) return [next, []];
  if (order.key.startsWith('trail-down:')) return counterSell(next, net, order.line, ctx);
  return order.side === 'buy'
    ? counterSell(next, net, order.line + 1, ctx)
    : closePair(next, order, net, ctx);
}

/** What a done order moved: base received (buy) or given up (sell), quote spent or received. */
interface Net {
  readonly base: Dec;
  readonly quote: Dec;
}

function withHoldings(state: GridState, order: LiveOrder, net: Net): GridState {
  const buy = order.side === 'buy';
  return {
    ...state,
    base: buy ? add(state.base, net.base) : sub(state.base, net.base),
    quote: buy ? sub(state.quote, net.quote) : add(state.quote, net.quote),
  };
}

/** Sells what a buy received on `line` with the buy's quote as the lot's cost basis. */
function counterSell(
  state: GridState,
  bought: Net,
  line: number,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  if (onLine(state.book, line)) return [{ ...state, flags: withFlag(state.flags, 'LINE_OCCUPIED') }, []];
  const spec = {
    key: lineKey(line),
    line,
    side: 'sell' as const,
    price: sellPriceFor(state, lattice, line),
    qty: bought.base,
    cost: bought.quote,
  };
  const placed = placeLimit(state.book, spec, ctx.market);
  if (!placed) return [state, []];
  return [{ ...state, book: placed[0] }, [placed[1]]];
}

/** Books the pair's realised profit (proceeds − lot cost, pro rata for a partial sell) and re-buys one line down. */
function closePair(state: GridState, sell: LiveOrder, net: Net, ctx: StrategyContext): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  const share = soldShare(sell);
  const profit = sub(net.quote, mul(sell.cost, share));
  const booked: GridState = {
    ...state,
    realized: add(state.realized, profit),
    profitPool: add(state.profitPool, profit),
    roundTrips: state.roundTrips + 1,
  };
  const fees = add(sell.feeQuote, mul(sell.feeBase, sell.price ?? '0'));
  const intents: Intent[] = [{ type: 'roundTrip', pnl: profit, fees }];
  const line = sell.line - 1;
  if (line < lattice.iMin || onLine(booked.book, line)) return [booked, intents];
  const spec = {
    key: lineKey(line),
    line,
    side: 'buy' as const,
    price: priceAt(lattice, line),
    qty: buyQty(booked, lattice, line),
    cost: buyCost(booked, lattice, line),
  };
  const placed = placeLimit(booked.book, spec, ctx.market);
  if (!placed) return [booked, intents];
  return [{ ...booked, book: placed[0] }, [...intents, placed[1]]];
}

/** The part of a sell's lot that was sold: filled / qty, which is exactly 1 when both are the same text. */
function soldShare(sell: LiveOrder): Dec {
  if (sell.qty === undefined || (sell.filled === sell.qty && !isZero(sell.qty))) return '1';
  return div(sell.filled, sell.qty);
}
