/**
 * The shared STOPPING flow of spot grid-family bots (§1.8, §2.3): cancel every bot order, wait until each
 * is acknowledged (fills that race the cancel still count), then apply the close action with one market
 * order for the bot's own inventory, then end in the terminal state.
 */
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Intent } from '../../kernel/strategy.ts';
import { cancelOrder, lotFloor, placeMarket } from './book.ts';
import type { Book } from './book.ts';

/** How a spot bot leaves: convert base to quote, quote to base, or keep both. */
export type SpotCloseAction = 'sellBase' | 'buyBase' | 'keep';

/** A stop in progress. */
export interface PendingExit {
  readonly reason: string;
  readonly outcome: 'STOPPED' | 'COMPLETED';
  readonly closeAction: SpotCloseAction;
  /** The close market order was sent. */
  readonly closing: boolean;
}

/** The part of a spot bot's state the exit flow reads and writes. */
export interface SpotHoldings {
  readonly book: Book;
  readonly base: Dec;
  readonly quote: Dec;
  readonly phase: string;
  readonly reason?: string;
  readonly exit?: PendingExit;
}

/** Maps the reconciler's stop close action onto a spot close action. */
export function spotCloseAction(action: string): SpotCloseAction {
  if (action === 'sellBase' || action === 'closePosition') return 'sellBase';
  return action === 'buyBase' ? 'buyBase' : 'keep';
}

/** Enters STOPPING: cancels every live order and, when nothing is live, closes at once. */
export function beginExit<S extends SpotHoldings>(
  state: S,
  exit: Omit<PendingExit, 'closing'>,
  market: MarketInfo,
): [S, Intent[]] {
  let book = state.book;
  const intents: Intent[] = [{ type: 'transition', to: 'STOPPING', reason: exit.reason }];
  for (const order of book.orders) {
    if (order.cancelling === true) continue;
    const [next, cancel] = cancelOrder(book, order.key);
    book = next;
    intents.push(cancel);
  }
  const stopping = {
    ...state,
    book,
    phase: 'STOPPING',
    reason: exit.reason,
    exit: { ...exit, closing: false },
  };
  const [done, more] = continueExit(stopping, market);
  return [done, [...intents, ...more]];
}

/** Advances STOPPING: once the book is empty, sends the close order; once that is done, ends the run. */
export function continueExit<S extends SpotHoldings>(state: S, market: MarketInfo): [S, Intent[]] {
  const exit = state.exit;
  if (!exit || state.book.orders.length > 0) return [state, []];
  if (!exit.closing) {
    const close = closeOrder(state, exit.closeAction, market);
    if (close) {
      const [book, intent] = close;
      return [{ ...state, book, exit: { ...exit, closing: true } }, [intent]];
    }
  }
  const terminal: Intent = { type: 'transition', to: exit.outcome, reason: exit.reason, terminal: true };
  return [{ ...state, phase: exit.outcome, reason: exit.reason }, [terminal]];
}

function closeOrder(
  state: SpotHoldings,
  action: SpotCloseAction,
  market: MarketInfo,
): ReturnType<typeof placeMarket> | undefined {
  if (action === 'sellBase') {
    const qty = lotFloor(state.base, market);
    if (dec(qty).isZero()) return undefined;
    return placeMarket(state.book, { key: 'close', side: 'sell', qty, role: 'close' }, market);
  }
  if (action === 'buyBase' && dec(state.quote).greaterThan(0)) {
    return placeMarket(
      state.book,
      { key: 'close', side: 'buy', quoteAmount: state.quote, role: 'close' },
      market,
    );
  }
  return undefined;
}
