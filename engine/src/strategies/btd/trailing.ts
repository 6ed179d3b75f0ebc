/**
 * BTD trailing: shift-down (§1.10b, on by default) moves the highest sell to the old bottom line when price
 * falls one interval below the range with no buy resting; optional shift-up (§1.10a) moves the lowest buy's
 * quote to the old top line. Pump protection (always on with trailing, [C:S5]) holds both.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { cancelOrder, onLine, placeLimit, resting } from '../shared/book.ts';
import type { Book } from '../shared/book.ts';
import { MAX_LEVELS, aboveTop, belowBottom, priceAt, shifted } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import { pumpBlocks } from '../shared/pump.ts';
import { latticeOf } from './start.ts';
import { lineKey, withFlag } from './state.ts';
import type { BtdState } from './state.ts';

/** Runs the due shifts at `price`; `paused` when pump protection held one. */
export function trail(
  state: BtdState,
  price: Dec,
  ts: EpochMs,
  ctx: StrategyContext,
): { state: BtdState; intents: Intent[]; paused: boolean } {
  let current = state;
  const intents: Intent[] = [];
  for (let step = 0; step < MAX_LEVELS; step++) {
    const lattice = latticeOf(current);
    const down =
      current.params.trailingDown.enabled &&
      dec(price).lessThanOrEqualTo(belowBottom(lattice)) &&
      resting(current.book, 'buy').length === 0;
    const up =
      current.params.trailingUp.enabled &&
      dec(price).greaterThanOrEqualTo(aboveTop(lattice)) &&
      resting(current.book, 'sell').length === 0;
    if (!down && !up) break;
    if (pumpBlocks(current.pump, current.params.pumpProtection, ts))
      return { state: current, intents, paused: true };
    const limit = current.params.trailingDown.limitPrice;
    if (down && limit !== undefined && dec(belowBottom(lattice)).lessThan(limit)) {
      return {
        state: { ...current, flags: withFlag(current.flags, 'TRAILING_DOWN_LIMIT_REACHED') },
        intents,
        paused: false,
      };
    }
    const [next, more] = down
      ? shift(current, lattice, lattice.iMax, lattice.iMin, -1, ctx)
      : shift(current, lattice, lattice.iMin, lattice.iMax, 1, ctx);
    current = next;
    intents.push(...more);
  }
  return { state: current, intents, paused: false };
}

/** Cancels the order on line `from` and re-places its size (base for a sell, quote for a buy) on line `to`. */
function shift(
  state: BtdState,
  lattice: Lattice,
  from: number,
  to: number,
  by: 1 | -1,
  ctx: StrategyContext,
): [BtdState, Intent[]] {
  let book: Book = state.book;
  const intents: Intent[] = [
    { type: 'transition', to: 'TRAILING', reason: by < 0 ? 'SHIFT_DOWN' : 'SHIFT_UP' },
  ];
  const moving = onLine(book, from);
  if (moving) {
    const [cancelled, cancel] = cancelOrder(book, moving.key);
    book = cancelled;
    intents.push(cancel);
    const price = priceAt(lattice, to);
    const qty = moving.side === 'sell' ? moving.qty! : str(dec(moving.cost).dividedBy(price));
    const placed = placeLimit(
      book,
      { key: lineKey(to), line: to, side: moving.side, price, qty, cost: moving.cost },
      ctx.market,
    );
    if (placed) {
      book = placed[0];
      intents.push(placed[1]);
    }
  }
  const stop = state.stopLossPrice;
  const trailStop = by < 0 && stop !== undefined && state.params.trailingDown.trailStopLoss;
  const stopLossPrice = trailStop ? oneIntervalDown(stop, lattice) : stop;
  return [
    {
      ...state,
      book,
      lattice: shifted(lattice, by),
      ...(stopLossPrice !== undefined ? { stopLossPrice } : {}),
    },
    intents,
  ];
}

function oneIntervalDown(price: Dec, lattice: Lattice): Dec {
  return lattice.mode === 'arithmetic'
    ? str(dec(price).minus(lattice.step))
    : str(dec(price).dividedBy(lattice.step));
}
