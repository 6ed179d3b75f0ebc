/** Grid start (§2.3 "Start"): lattice, side assignment, sizing, the initial market buy, the initial book. */
import { dec, str, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { lotFloor, netBase, netQuote, placeLimit, placeMarket } from '../shared/book.ts';
import type { Book, LiveOrder } from '../shared/book.ts';
import { assignSides, intervals, priceAt } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import { gridLattice } from './params.ts';
import { buyCost, buyQty, lineKey, sellPriceFor } from './state.ts';
import type { GridState } from './state.ts';

/** Sizes the grid at `referencePrice` and sends the initial market buy (or the book when no sells). */
export function initialize(
  state: GridState,
  referencePrice: Dec,
  ts: EpochMs,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const p = state.params;
  const lattice = gridLattice(p);
  const sides = assignSides(lattice, referencePrice);
  const nSell = sides.sells.length;
  const keep = dec(1).minus(state.fee);
  const size =
    p.orderSizeMode === 'quote'
      ? str(dec(p.investment).dividedBy(intervals(lattice)))
      : str(
          dec(p.investment).dividedBy(
            dec(sum(sides.buys.map((i) => priceAt(lattice, i)))).plus(
              dec(referencePrice).times(nSell).dividedBy(keep),
            ),
          ),
        );
  const compound = p.compound.enabled ? { nextCompoundTs: ts + p.compound.intervalHours * 3_600_000 } : {};
  const sized: GridState = {
    ...state,
    lattice,
    size,
    lastPrice: referencePrice,
    pendingStart: sides,
    ...compound,
  };
  if (nSell === 0) return placeInitialBook(sized, undefined, ctx);
  const spec =
    p.orderSizeMode === 'quote'
      ? { quoteAmount: str(dec(size).times(nSell)) }
      : { qty: str(dec(size).times(nSell).dividedBy(keep)) };
  const [book, intent] = placeMarket(
    sized.book,
    { key: 'init', side: 'buy', role: 'entry', ...spec },
    ctx.market,
  );
  return [
    { ...sized, book, phase: 'INITIALIZING' },
    [{ type: 'transition', to: 'INITIALIZING', reason: 'INITIAL_MARKET_BUY' }, intent],
  ];
}

/**
 * Places the initial book after the market buy filled: the received base split equally over the sell lines
 * (dust stays as reserve, §2.3) with a cost basis of `Q` each, and a buy on every buy line.
 */
export function placeInitialBook(
  state: GridState,
  init: LiveOrder | undefined,
  ctx: StrategyContext,
): [GridState, Intent[]] {
  const lattice = state.lattice!;
  const sides = state.pendingStart ?? { buys: [], sells: [] };
  const nSell = sides.sells.length;
  const received = init ? netBase(init) : '0';
  const spent = init ? netQuote(init) : '0';
  const perSell = nSell > 0 ? lotFloor(str(dec(received).dividedBy(nSell)), ctx.market) : '0';
  const sellCost =
    state.params.orderSizeMode === 'quote' || nSell === 0 ? state.size : str(dec(spent).dividedBy(nSell));
  let book: Book = state.book;
  const intents: Intent[] = [];
  const put = (placed: [Book, Intent] | undefined): void => {
    if (!placed) return;
    book = placed[0];
    intents.push(placed[1]);
  };
  // Nearest-to-price first (Appendix D.4): sells ascending, buys descending.
  for (const j of sides.sells) {
    const spec = {
      key: lineKey(j),
      line: j,
      side: 'sell' as const,
      price: sellPriceFor(state, lattice, j),
      qty: perSell,
      cost: sellCost,
    };
    put(placeLimit(book, spec, ctx.market));
  }
  for (const i of [...sides.buys].reverse()) {
    const spec = {
      key: lineKey(i),
      line: i,
      side: 'buy' as const,
      price: priceAt(lattice, i),
      qty: buyQty(state, lattice, i),
      cost: buyCost(state, lattice, i),
    };
    put(placeLimit(book, spec, ctx.market));
  }
  const { pendingStart: _done, ...rest } = state;
  const next: GridState = {
    ...rest,
    book,
    base: str(dec(state.base).plus(received)),
    quote: str(dec(state.quote).minus(spent)),
    phase: 'RUNNING',
  };
  return [next, [{ type: 'transition', to: 'RUNNING', reason: 'GRID_PLACED' }, ...intents]];
}

/** The lattice of a started grid (a bug to ask for it earlier). */
export function latticeOf(state: GridState): Lattice {
  if (!state.lattice) throw new Error(`grid: lattice used before start (phase ${state.phase})`);
  return state.lattice;
}
