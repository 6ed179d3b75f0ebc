/**
 * Grid trailing (§1.10): shift-up (a) moves the lowest buy to the old top line when price has left the
 * range upwards with no sell resting; extend-down (c) market-buys `Q` of extra quote and sells it on the
 * old bottom line when price has left the range downwards with no buy resting. Both are held by pump
 * protection (d) and record why they are blocked as flags (Appendix B T3, T5).
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { cancelOrder, hasResting, onLine, placeLimit, placeMarket } from '../shared/book.ts';
import { MAX_LEVELS, aboveTop, belowBottom, comparePrices, intervals, shifted } from '../shared/lattice.ts';
import { pumpBlocks } from '../shared/pump.ts';
import { latticeOf } from './start.ts';
import { buyQty, lineBuy, withFlag } from './state.ts';
import type { GridState } from './state.ts';

/** The outcome of one trailing evaluation; `paused` when pump protection held a due move. */
export interface TrailOutcome {
  readonly state: GridState;
  readonly intents: Intent[];
  readonly paused: boolean;
}

/** Runs shift-up and extend-down as long as their triggers hold at `price` (one interval per step). */
export function trail(state: GridState, price: Dec, ts: EpochMs, ctx: StrategyContext): TrailOutcome {
  let current = state;
  const intents: Intent[] = [];
  let paused = false;
  for (let step = 0; step < MAX_LEVELS; step++) {
    const move = shiftUpDue(current, price)
      ? shiftUp
      : extendDownDue(current, price)
        ? extendDown
        : undefined;
    if (!move) break;
    if (pumpBlocks(current.pump, current.params.pumpProtection, ts)) {
      paused = true;
      break;
    }
    const [next, more] = move(current, ctx);
    current = next;
    if (more.length === 0) break;
    intents.push(...more);
  }
  return { state: current, intents, paused };
}

function shiftUpDue(state: GridState, price: Dec): boolean {
  return (
    state.params.trailingUp.enabled &&
    comparePrices(price, aboveTop(latticeOf(state))) >= 0 &&
    !hasResting(state.book, 'sell')
  );
}

function extendDownDue(state: GridState, price: Dec): boolean {
  const down = state.params.trailingDown;
  return (
    down.enabled &&
    comparePrices(price, belowBottom(latticeOf(state))) <= 0 &&
    (down.stopPrice === undefined || comparePrices(price, down.stopPrice) > 0) &&
    !hasResting(state.book, 'buy') &&
    !state.book.orders.some((o) => o.key.startsWith('trail-down:'))
  );
}

/** §1.10(a): cancel the buy on `iMin`, buy `Q` on the old top line, shift the lattice (and the stop) up. */
function shiftUp(state: GridState, ctx: StrategyContext): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  const limit = state.params.trailingUp.limitPrice;
  if (limit !== undefined && dec(aboveTop(lattice)).greaterThan(limit)) {
    return blocked(state, 'TRAILING_UP_LIMIT_REACHED');
  }
  const minQty = ctx.market.limits.amount.min;
  if (minQty !== undefined && dec(buyQty(state, lattice, lattice.iMax)).lessThan(minQty)) {
    return blocked(state, 'TRAILING_BLOCKED_MIN_QTY');
  }
  let book = state.book;
  const intents: Intent[] = [{ type: 'transition', to: 'TRAILING', reason: 'SHIFT_UP' }];
  const lowest = onLine(book, lattice.iMin);
  if (lowest) {
    const [next, cancel] = cancelOrder(book, lowest.key);
    book = next;
    intents.push(cancel);
  }
  const line = lattice.iMax;
  const placed = placeLimit(book, lineBuy(state, lattice, line), ctx.market);
  if (placed) {
    book = placed[0];
    intents.push(placed[1]);
  }
  const moved = shifted(lattice, 1);
  const stop = state.stopLossPrice;
  const trailStop = stop !== undefined && state.params.trailingUp.trailStopLoss;
  const stopLossPrice = trailStop ? oneIntervalUp(stop, lattice) : stop;
  return [
    { ...state, book, lattice: moved, ...(stopLossPrice !== undefined ? { stopLossPrice } : {}) },
    intents,
  ];
}

/** §1.10(c): market-buy `Q` of extra quote for a sell on the old bottom line; the lattice grows downwards. */
function extendDown(state: GridState, ctx: StrategyContext): [GridState, Intent[]] {
  const lattice = latticeOf(state);
  const extra = dec(state.extraQuoteUsed).plus(state.size);
  if (extra.greaterThan(state.params.trailingDown.maxExtraQuote))
    return blocked(state, 'TRAILING_DOWN_BUDGET_EXHAUSTED');
  if (intervals(lattice) + 2 > MAX_LEVELS) return blocked(state, 'LEVEL_CAP_REACHED');
  const line = lattice.iMin;
  const [book, intent] = placeMarket(
    state.book,
    { key: `trail-down:${line}`, side: 'buy', quoteAmount: state.size, role: 'entry', line },
    ctx.market,
  );
  const next: GridState = {
    ...state,
    book,
    lattice: { ...lattice, iMin: lattice.iMin - 1 },
    extraQuoteUsed: str(extra),
    quote: str(dec(state.quote).plus(state.size)),
  };
  return [next, [{ type: 'transition', to: 'TRAILING', reason: 'EXTEND_DOWN' }, intent]];
}

/** A move that cannot happen: the bot keeps running and records why (no intents). */
function blocked(state: GridState, flag: string): [GridState, Intent[]] {
  return [{ ...state, flags: withFlag(state.flags, flag) }, []];
}

function oneIntervalUp(price: Dec, lattice: ReturnType<typeof latticeOf>): Dec {
  return lattice.mode === 'arithmetic'
    ? str(dec(price).plus(lattice.step))
    : str(dec(price).times(lattice.step));
}
