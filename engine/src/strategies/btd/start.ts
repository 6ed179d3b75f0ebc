/** BTD start (§3.3 "Start"): lattice, unit `U`, the initial market sell of `X` base, the initial book. */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { netBase, netQuote, placeLimit, placeMarket } from '../shared/book.ts';
import type { Book, LiveOrder } from '../shared/book.ts';
import { assignSides, priceAt } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import { btdLattice } from './params.ts';
import { buyFundingRatio, initialBuyQuote, lineKey, unitOf } from './state.ts';
import type { BtdState } from './state.ts';

/** Sizes the bot at `referencePrice` and sells `X = U·Σ P_{k+1}/P_ref` base at market to fund the buys. */
export function initialize(state: BtdState, referencePrice: Dec, ctx: StrategyContext): [BtdState, Intent[]] {
  const lattice = btdLattice(state.params, referencePrice);
  const sides = assignSides(lattice, referencePrice);
  const unit = unitOf(state.params.investment, lattice, sides, referencePrice);
  const sized: BtdState = { ...state, lattice, unit, lastPrice: referencePrice, pendingStart: sides };
  if (sides.buys.length === 0) return placeInitialBook(sized, undefined, ctx);
  const x = str(dec(unit).times(buyFundingRatio(lattice, sides.buys, referencePrice)));
  const [book, intent] = placeMarket(
    sized.book,
    { key: 'init', side: 'sell', qty: x, role: 'entry' },
    ctx.market,
  );
  return [
    { ...sized, book, phase: 'INITIALIZING' },
    [{ type: 'transition', to: 'INITIALIZING', reason: 'INITIAL_MARKET_SELL' }, intent],
  ];
}

/** Places `U` on every sell line and `q_k` of quote on every buy line, nearest to price first. */
export function placeInitialBook(
  state: BtdState,
  init: LiveOrder | undefined,
  ctx: StrategyContext,
): [BtdState, Intent[]] {
  const lattice = latticeOf(state);
  const sides = state.pendingStart ?? { empty: 0, buys: [], sells: [] };
  let book: Book = state.book;
  const intents: Intent[] = [];
  const put = (placed: [Book, Intent] | undefined): void => {
    if (!placed) return;
    book = placed[0];
    intents.push(placed[1]);
  };
  for (const j of sides.sells) {
    put(
      placeLimit(
        book,
        { key: lineKey(j), line: j, side: 'sell', price: priceAt(lattice, j), qty: state.unit, cost: '0' },
        ctx.market,
      ),
    );
  }
  for (const k of [...sides.buys].reverse()) {
    const quote = initialBuyQuote(state.unit, lattice, k, state.fee);
    put(
      placeLimit(
        book,
        {
          key: lineKey(k),
          line: k,
          side: 'buy',
          price: priceAt(lattice, k),
          qty: str(dec(quote).dividedBy(priceAt(lattice, k))),
          cost: quote,
        },
        ctx.market,
      ),
    );
  }
  const { pendingStart: _done, ...rest } = state;
  const next: BtdState = {
    ...rest,
    book,
    base: init ? str(dec(state.base).minus(netBase(init))) : state.base,
    quote: init ? str(dec(state.quote).plus(netQuote(init))) : state.quote,
    phase: 'RUNNING',
  };
  return [next, [{ type: 'transition', to: 'RUNNING', reason: 'GRID_PLACED' }, ...intents]];
}

/** The lattice of a started bot (a bug to ask for it earlier). */
export function latticeOf(state: BtdState): Lattice {
  if (!state.lattice) throw new Error(`btd: lattice used before start (phase ${state.phase})`);
  return state.lattice;
}
