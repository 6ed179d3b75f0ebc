/**
 * The balances part of a bot's ledger (ledger.ts): quote, base and what open orders reserve of them,
 * exact, with float shadows of quote and base for the per-bar equity sample. They change with every
 * fill and order but are read far less often, so each is a running amount that writes its text only
 * when read.
 */
import type { Dec } from '../core/decimal.ts';
import { RunningAmount } from '../core/running-amount.ts';
import type { Side } from '../model/orders.ts';

/** Quote, base and their reservations; the ledger builds on it. */
export class LedgerBalances {
  private readonly quoteAmount = new RunningAmount();
  private readonly baseAmount = new RunningAmount();
  private readonly reservedQuoteAmount = new RunningAmount();
  private readonly reservedBaseAmount = new RunningAmount();
  /** Float shadows for the equity sample. */
  quoteF = 0;
  baseF = 0;
  /** Bumped by every change, so views and free balances are recomputed only after a change. */
  changes = 0;
  /** Quote and base less their reservations, each computed once per change and only when asked for. */
  private unreservedQuoteAt = -1;
  private unreservedQuoteValue: Dec = '0';
  private unreservedBaseAt = -1;
  private unreservedBaseValue: Dec = '0';

  /** Spot: total quote; futures: free wallet (not posted as margin). */
  get quote(): Dec {
    return this.quoteAmount.value();
  }

  set quote(value: Dec) {
    this.quoteAmount.set(value);
  }

  /** Spot base held. */
  get base(): Dec {
    return this.baseAmount.value();
  }

  set base(value: Dec) {
    this.baseAmount.set(value);
  }

  /** Quote reserved by open buys (perpetuals: the larger side's open-order margin). */
  get reservedQuote(): Dec {
    return this.reservedQuoteAmount.value();
  }

  set reservedQuote(value: Dec) {
    this.reservedQuoteAmount.set(value);
  }

  /** Base reserved by open sells (spot). */
  get reservedBase(): Dec {
    return this.reservedBaseAmount.value();
  }

  set reservedBase(value: Dec) {
    this.reservedBaseAmount.set(value);
  }

  /** Quote less reserved quote (spot: free quote; the view's `quote` either way). */
  unreservedQuote(): Dec {
    if (this.unreservedQuoteAt !== this.changes) {
      this.unreservedQuoteValue = this.quoteAmount.minus(this.reservedQuoteAmount);
      this.unreservedQuoteAt = this.changes;
    }
    return this.unreservedQuoteValue;
  }

  /** Base less reserved base (free base for a new sell). */
  unreservedBase(): Dec {
    if (this.unreservedBaseAt !== this.changes) {
      this.unreservedBaseValue = this.baseAmount.minus(this.reservedBaseAmount);
      this.unreservedBaseAt = this.changes;
    }
    return this.unreservedBaseValue;
  }

  /** Whether `amount` is more than quote (or base) less its reservation, exactly, writing neither out. */
  exceedsUnreserved(asset: 'quote' | 'base', amount: Dec): boolean {
    return asset === 'quote'
      ? this.quoteAmount.differenceBelow(this.reservedQuoteAmount, amount)
      : this.baseAmount.differenceBelow(this.reservedBaseAmount, amount);
  }

  /** Spot: adds `amount` to what open orders on `side` reserve (`sign` 1) or gives it back (−1). */
  protected changeReserved(side: Side, amount: Dec, sign: 1 | -1): void {
    (side === 'buy' ? this.reservedQuoteAmount : this.reservedBaseAmount).change(amount, sign);
  }

  /**
   * Spot: books a fill of `qty` for `notional` quote on `side`, with its fee taken from the base or the
   * quote (or neither, when paid in another asset).
   */
  protected bookSpotFill(
    side: Side,
    qty: Dec,
    notional: Dec,
    fee: Dec,
    feeIn: 'base' | 'quote' | 'other',
  ): void {
    const buy = side === 'buy';
    this.quoteAmount.change(notional, buy ? -1 : 1);
    this.baseAmount.change(qty, buy ? 1 : -1);
    if (feeIn === 'base') this.baseAmount.change(fee, -1);
    else if (feeIn === 'quote') this.quoteAmount.change(fee, -1);
    // The same correctly rounded floats as Number() of the texts (see RunningAmount.toNumber).
    this.quoteF = this.quoteAmount.toNumber();
    this.baseF = this.baseAmount.toNumber();
  }
}
