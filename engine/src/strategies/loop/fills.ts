/**
 * Loop fill handling (§4.3): bought base goes into a sell gap above the entry (or an upward expansion, or
 * is parked); a sell's quote (plus reinvested profit) goes into a buy gap below the entry (or a downward
 * expansion, or is parked). Parked funds retry whenever a slot on their side frees up.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { netBase, netQuote, placeLimit, resting } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { inBounds, pickGap, slotPrice } from './slots.ts';
import { slotKey, withFlag } from './state.ts';
import type { LoopState } from './state.ts';

/** Handles a completed buy (slot k < 0) or sell (slot k > 0). */
export function onSlotDone(state: LoopState, order: LiveOrder, ctx: StrategyContext): [LoopState, Intent[]] {
  if (order.side === 'buy') {
    const [placed, intents] = placeSell(state, netBase(order), netQuote(order), ctx);
    const [retried, more] = retryParkedQuote(placed, ctx);
    return [retried, [...intents, ...more]];
  }
  const proceeds = netQuote(order);
  const profit = str(dec(proceeds).minus(order.cost));
  const reinvested = state.params.reinvest.enabled
    ? dec(profit).times(state.params.reinvest.pct).dividedBy(100)
    : dec(0);
  const nextQuote = str(dec(order.cost).plus(reinvested));
  const booked: LoopState = {
    ...state,
    realized: str(dec(state.realized).plus(profit)),
    realizedPool: str(dec(state.realizedPool).plus(profit).minus(reinvested)),
    roundTrips: state.roundTrips + 1,
  };
  const [placed, intents] = placeBuy(booked, nextQuote, ctx);
  const [retried, more] = retryParkedBase(placed, ctx);
  return [retried, [{ type: 'roundTrip', pnl: profit }, ...intents, ...more]];
}

/** Places a buy spending `quote` in the next buy gap or expansion; parks the quote when there is none. */
export function placeBuy(state: LoopState, quote: Dec, ctx: StrategyContext): [LoopState, Intent[]] {
  const [withSlot, slot] = claimSlot(state, 'buy');
  if (slot === undefined)
    return [
      {
        ...withSlot,
        parkedQuote: [...withSlot.parkedQuote, quote],
        flags: withFlag(withSlot.flags, 'PARKED_QUOTE'),
      },
      [],
    ];
  const price = slotPrice(state.params, state.entry!, slot);
  const placed = placeLimit(
    withSlot.book,
    {
      key: slotKey(slot),
      line: slot,
      side: 'buy',
      price,
      qty: str(dec(quote).dividedBy(price)),
      cost: quote,
    },
    ctx.market,
  );
  return placed ? [{ ...withSlot, book: placed[0] }, [placed[1]]] : [withSlot, []];
}

/** Places a sell of `qty` (lot cost `cost`) in the next sell gap or expansion; parks the base when there is none. */
export function placeSell(
  state: LoopState,
  qty: Dec,
  cost: Dec,
  ctx: StrategyContext,
): [LoopState, Intent[]] {
  const [withSlot, slot] = claimSlot(state, 'sell');
  if (slot === undefined)
    return [
      {
        ...withSlot,
        parkedBase: [...withSlot.parkedBase, { qty, cost }],
        flags: withFlag(withSlot.flags, 'PARKED_BASE'),
      },
      [],
    ];
  const price = slotPrice(state.params, state.entry!, slot);
  const placed = placeLimit(
    withSlot.book,
    { key: slotKey(slot), line: slot, side: 'sell', price, qty, cost },
    ctx.market,
  );
  return placed ? [{ ...withSlot, book: placed[0] }, [placed[1]]] : [withSlot, []];
}

/** The gap to use on `side`, expanding the window by one slot beyond its farthest live order when full. */
function claimSlot(state: LoopState, side: 'buy' | 'sell'): [LoopState, number | undefined] {
  const live = resting(state.book, side).map((o) => o.line);
  const window = side === 'buy' ? state.buyWindow : state.sellWindow;
  const gap = pickGap(window, new Set(live), state.params.gapFillOrder);
  if (gap !== undefined) return [state, gap];
  const dir = side === 'buy' ? -1 : 1;
  const farthest = [...live, ...window].reduce((m, k) => Math.max(m, Math.abs(k)), 0);
  const next = dir * (farthest + 1);
  if (!inBounds(state.params, state.entry!, next)) return [state, undefined];
  if (state.tracked.length >= state.params.maxLevels)
    return [{ ...state, flags: withFlag(state.flags, 'LEVEL_CAP_REACHED') }, undefined];
  const grown =
    side === 'buy' ? { buyWindow: [...state.buyWindow, next] } : { sellWindow: [...state.sellWindow, next] };
  return [{ ...state, ...grown, tracked: [...state.tracked, next] }, next];
}

function retryParkedBase(state: LoopState, ctx: StrategyContext): [LoopState, Intent[]] {
  const [first, ...rest] = state.parkedBase;
  if (!first) return [state, []];
  const [placed, intents] = placeSell({ ...state, parkedBase: rest }, first.qty, first.cost, ctx);
  return intents.length > 0 ? [placed, intents] : [state, []];
}

function retryParkedQuote(state: LoopState, ctx: StrategyContext): [LoopState, Intent[]] {
  const [first, ...rest] = state.parkedQuote;
  if (first === undefined) return [state, []];
  const [placed, intents] = placeBuy({ ...state, parkedQuote: rest }, first, ctx);
  return intents.length > 0 ? [placed, intents] : [state, []];
}
