/**
 * The strategy's view of a bot's ledger (ledger.ts), rebuilt only when something it shows changed:
 * strategies run per bar, and the balances change only with the ledger (a perpetual's position view also
 * with the mark).
 */
import type { Dec } from '../core/decimal.ts';
import { unrealizedPnl, type LinearPosition } from '../strategies/shared/futures.ts';
import type { LedgerView, PositionView } from './strategy.ts';

/** What a view shows, read from the ledger. */
export interface ViewSource {
  readonly futures: boolean;
  /** Bumped by every change of the ledger. */
  readonly changes: number;
  readonly reservedQuote: Dec;
  readonly reservedBase: Dec;
  readonly position: LinearPosition;
  readonly leverage: Dec;
  readonly margin: Dec;
  readonly liquidation: Dec | undefined;
  /** Quote less reserved quote (spot: free quote; the view's `quote` either way). */
  unreservedQuote(): Dec;
  /** Base less reserved base. */
  unreservedBase(): Dec;
}

/** The views of one ledger, cached per change (and per mark for a perpetual position). */
export class LedgerViews {
  private readonly source: ViewSource;
  private balancesAt = -1;
  private balances: LedgerView | undefined;
  private viewMark: Dec | undefined;
  private lastView: LedgerView | undefined;

  constructor(source: ViewSource) {
    this.source = source;
  }

  /** The strategy's view at `mark`. */
  view(mark: Dec | undefined): LedgerView {
    const balances = this.freeBalances();
    if (!this.source.futures) return balances;
    // A flat position's PnL is 0 at every mark, so its view outlives mark changes.
    const markMoved = mark !== this.viewMark && this.source.position.qty !== '0';
    if (this.lastView === undefined || markMoved) {
      this.lastView = { ...balances, position: this.positionView(mark) };
      this.viewMark = mark;
    }
    return this.lastView;
  }

  /**
   * Free and reserved balances as of the last change, computed once per change: the risk gate asks for
   * them per order and the strategy's view per step, mostly with nothing changed in between.
   */
  private freeBalances(): LedgerView {
    const source = this.source;
    if (this.balancesAt !== source.changes || this.balances === undefined) {
      this.balances = {
        quote: source.unreservedQuote(),
        base: source.unreservedBase(),
        reservedQuote: source.reservedQuote,
        reservedBase: source.reservedBase,
      };
      this.balancesAt = source.changes;
      this.lastView = undefined;
    }
    return this.balances;
  }

  private positionView(mark: Dec | undefined): PositionView {
    const { position, leverage, margin, liquidation } = this.source;
    let pnl: Dec | undefined;
    return {
      qty: position.qty,
      entryPrice: position.entryPrice,
      leverage,
      margin,
      ...(liquidation === undefined ? {} : { liquidationPrice: liquidation }),
      // Due at every mark but rarely read: computed on first read, from this view's own position and
      // mark (positions are replaced, never mutated), so a later read gives the same value.
      get unrealizedPnl(): Dec {
        pnl ??= mark === undefined ? '0' : unrealizedPnl(position, mark);
        return pnl;
      },
    };
  }
}
