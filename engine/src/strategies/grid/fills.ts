/** Grid fill handling (§1.4): a buy on line i → sell one line up; a sell on line j → book the pair, buy one line down. */
import { dec, str } from '../../core/decimal.ts';
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
  if (!update) return [state, []];
  let next: GridState = { ...state, book: update.book };
  if (!update.done) return [next, []];
  const order = update.order;
  if (order.key === 'init') {
    if (dec(order.filled).isZero()) {
      return [
        { ...next, phase: 'ERROR', reason: 'INITIAL_BUY_FAILED' },
        [{ type: 'transition', to: 'ERROR', reason: `initial market buy ${event.status}` }],
      ];
    }
    return placeInitialBook(next, order, ctx);
  }
  next = withHoldings(next, order);
  if (next.phase === 'STOPPING') return continueExit(next, ctx.market);
  if (dec(order.filled).isZero()) return [next, []];
  if (order.key.startsWith('trail-down:')) return counterSell(next, order, order.line, ctx);
  return order.side === 'buy' ? counterSell(next, order, order.line + 1, ctx) : closePair(next, order, ctx);
}

function withHoldings(state: GridState, order: LiveOrder): GridState {
  const sign = order.side === 'buy' ? 1 : -1;
  return {
    ...state,
    base: str(dec(state.base).plus(dec(netBase(order)).times(sign))),
    quote: str(dec(state.quote).minus(dec(netQuote(order)).times(sign))),
  };
}

/** Sells what a buy received on `line` with the buy's quote as the lot's cost basis. */
function counterSell(
  state: GridState,
  buy: LiveOrder,
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
    qty: netBase(buy),
    cost: netQuote(buy),
  };
  const placed = placeLimit(state.book, spec, ctx.market);
  if (!placed) return [state, []];
  return [{ ...state, book: placed[0] }, [placed[1]]];
}

/** Books the pair's realised profit (proceeds − lot cost, pro rata for a partial sell) and re-buys one line down. */
function closePair(state: GridState, sell: LiveOrder, ctx: StrategyContext): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  const share = sell.qty !== undefined ? dec(sell.filled).dividedBy(sell.qty) : dec(1);
  const profit = str(dec(netQuote(sell)).minus(dec(sell.cost).times(share)));
  const booked: GridState = {
    ...state,
    realized: str(dec(state.realized).plus(profit)),
    profitPool: str(dec(state.profitPool).plus(profit)),
    roundTrips: state.roundTrips + 1,
  };
  const intents: Intent[] = [
    {
      type: 'roundTrip',
      pnl: profit,
      fees: str(dec(sell.feeQuote).plus(dec(sell.feeBase).times(sell.price ?? '0'))),
    },
  ];
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
