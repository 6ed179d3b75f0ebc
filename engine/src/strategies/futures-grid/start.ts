/** Futures grid start (§5.3 "Start"): leverage, the initial position, the initial book. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { placeMarket } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { legCash, placeLine, settleFill } from './fills.ts';
import { planFuturesGrid } from './plan.ts';
import type { FuturesGridState } from './state.ts';

/** Sizes the grid at `referencePrice`, sets leverage, and opens the initial position (LONG/SHORT) at market. */
export function initialize(
  state: FuturesGridState,
  referencePrice: Dec,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  const p = state.params;
  const plan = planFuturesGrid(p, ctx.market, referencePrice);
  const sized: FuturesGridState = {
    ...state,
    lattice: plan.lattice,
    q: plan.q,
    lastPrice: referencePrice,
    pendingStart: plan.sides,
  };
  // §5.3: the liquidation price uses the bot's isolated wallet (investment − fees ± realised ± funding).
  const leverage: Intent = {
    type: 'setLeverage',
    leverage: String(p.leverage),
    marginMode: p.marginMode,
    margin: 'isolatedWallet',
    wallet: p.investment,
  };
  const initial = dec(plan.initialQty);
  if (initial.isZero()) {
    const [placed, intents] = placeInitialBook(sized, undefined, ctx);
    return [placed, [leverage, ...intents]];
  }
  const side = initial.isPositive() ? 'buy' : 'sell';
  const [book, intent] = placeMarket(
    sized.book,
    { key: 'init', side, qty: str(initial.abs()), role: 'entry' },
    ctx.market,
  );
  return [
    { ...sized, book, phase: 'INITIALIZING' },
    [leverage, { type: 'transition', to: 'INITIALIZING', reason: 'INITIAL_POSITION' }, intent],
  ];
}

/**
 * Places the book. With an initial position, each closing order (LONG sells / SHORT buys) carries an equal
 * share of the initial fill's cash as the opening leg of its pair.
 */
export function placeInitialBook(
  state: FuturesGridState,
  init: LiveOrder | undefined,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  const p = state.params;
  const sides = state.pendingStart ?? { empty: 0, buys: [], sells: [] };
  let current = init ? settleFill(state, init) : state;
  const intents: Intent[] = [];
  const closingSide = p.direction === 'LONG' ? 'sell' : p.direction === 'SHORT' ? 'buy' : undefined;
  const closers = closingSide === 'sell' ? sides.sells.length : closingSide === 'buy' ? sides.buys.length : 0;
  const share = init && closers > 0 ? str(dec(legCash(init)).dividedBy(closers)) : undefined;
  const put = (line: number, side: 'buy' | 'sell'): void => {
    const cash = side === closingSide ? share : undefined;
    if (side === closingSide && cash === undefined) return;
    const [next, more] = placeLine(current, line, side, state.q, cash, ctx);
    current = next;
    intents.push(...more);
  };
  // Without an initial position there is nothing for LONG sells / SHORT buys to close yet: they follow fills.
  for (const j of sides.sells) put(j, 'sell');
  for (const i of [...sides.buys].reverse()) put(i, 'buy');
  const { pendingStart: _done, ...rest } = current;
  return [
    { ...rest, phase: 'RUNNING' },
    [{ type: 'transition', to: 'RUNNING', reason: 'GRID_PLACED' }, ...intents],
  ];
}
