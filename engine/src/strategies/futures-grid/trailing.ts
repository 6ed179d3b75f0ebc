/**
 * Futures grid trailing (§5.3, [C:S15]): shift-up moves the order on the lowest line to the old top when price
 * leaves the range upwards with no sell resting; shift-down mirrors it. With only trailing up, the LONG stop
 * loss and the NEUTRAL stop-bottom trail up; with only trailing down, the SHORT stop loss and the NEUTRAL
 * stop-top trail down; with both, stops stay.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { cancelOrder, onLine, resting } from '../shared/book.ts';
import { MAX_LEVELS, aboveTop, belowBottom, shifted } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import { placeLine } from './fills.ts';
import type { FuturesGridState } from './state.ts';

/** Runs the due shifts at `price`, one interval per step. */
export function trail(
  state: FuturesGridState,
  price: Dec,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  let current = state;
  const intents: Intent[] = [];
  for (let step = 0; step < MAX_LEVELS; step++) {
    const lattice = current.lattice!;
    const { trailingUp: up, trailingDown: down } = current.params;
    const goUp =
      up.enabled &&
      dec(price).greaterThanOrEqualTo(aboveTop(lattice)) &&
      resting(current.book, 'sell').length === 0 &&
      (up.limitPrice === undefined || dec(aboveTop(lattice)).lessThanOrEqualTo(up.limitPrice));
    const goDown =
      down.enabled &&
      dec(price).lessThanOrEqualTo(belowBottom(lattice)) &&
      resting(current.book, 'buy').length === 0 &&
      (down.limitPrice === undefined || dec(belowBottom(lattice)).greaterThanOrEqualTo(down.limitPrice));
    if (!goUp && !goDown) break;
    const [next, more] = goUp
      ? shift(current, lattice, lattice.iMin, lattice.iMax, 1, ctx)
      : shift(current, lattice, lattice.iMax, lattice.iMin, -1, ctx);
    current = next;
    intents.push(...more);
  }
  return [current, intents];
}

function shift(
  state: FuturesGridState,
  lattice: Lattice,
  from: number,
  to: number,
  by: 1 | -1,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  const intents: Intent[] = [
    { type: 'transition', to: 'TRAILING', reason: by > 0 ? 'SHIFT_UP' : 'SHIFT_DOWN' },
  ];
  let current: FuturesGridState = {
    ...state,
    lattice: { ...lattice, iMin: Math.min(lattice.iMin, to), iMax: Math.max(lattice.iMax, to) },
  };
  const moving = onLine(current.book, from);
  if (moving) {
    const [book, cancel] = cancelOrder(current.book, moving.key);
    const cash = current.pairCash[moving.key];
    const { [moving.key]: _moved, ...pairCash } = current.pairCash;
    current = { ...current, book, pairCash };
    intents.push(cancel);
    const [placed, more] = placeLine(current, to, moving.side, moving.qty ?? current.q, cash, ctx);
    current = placed;
    intents.push(...more);
  }
  const p = state.params;
  const only = by > 0 ? !p.trailingDown.enabled : !p.trailingUp.enabled;
  const move = (v: Dec | undefined): Dec | undefined =>
    v === undefined || !only ? v : oneInterval(v, lattice, by);
  const sl =
    p.direction === (by > 0 ? 'LONG' : 'SHORT') ? move(current.stopLossPrice) : current.stopLossPrice;
  const top = by < 0 ? move(current.stopTopPrice) : current.stopTopPrice;
  const bottom = by > 0 ? move(current.stopBottomPrice) : current.stopBottomPrice;
  const stops = {
    ...(sl !== undefined ? { stopLossPrice: sl } : {}),
    ...(top !== undefined ? { stopTopPrice: top } : {}),
    ...(bottom !== undefined ? { stopBottomPrice: bottom } : {}),
  };
  return [
    { ...current, ...stops, lattice: shifted(lattice, by) },
    [...intents, { type: 'transition', to: state.phase, reason: 'TRAILED' }],
  ];
}

function oneInterval(price: Dec, lattice: Lattice, by: 1 | -1): Dec {
  if (lattice.mode === 'arithmetic') return str(dec(price).plus(dec(lattice.step).times(by)));
  return by > 0 ? str(dec(price).times(lattice.step)) : str(dec(price).dividedBy(lattice.step));
}
