/** The settings of a paper venue (from the Account manifest; defaults from market metadata). */
import type { Clock } from '../../core/clock.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { FeeSettings } from './pricing.ts';

/** Paper venue settings (from the Account manifest; defaults from market metadata). */
export interface PaperOptions extends FeeSettings {
  readonly markets: readonly MarketInfo[];
  readonly clock: Clock;
  /** Starting balances by asset, decimal text. */
  readonly balances?: Readonly<Record<string, Dec>>;
  /** Market orders fill this many basis points worse than the path price (default 0). */
  readonly slippageBps?: number;
  /** A fill may use at most this percentage of the bar's volume (off by default). */
  readonly volumeCapPct?: number;
  readonly venue?: string;
  /**
   * How many ended orders stay queryable (`fetchOrder`, `cancelOrder`): all by default, as a venue's
   * order history does — a run resumed against this venue looks up every order it knew, and an order it
   * cannot find counts as never placed. A backtest's venue, which no run resumes against, keeps only the
   * recent ones that the runner may still look up (after an unknown submit or a failed cancel).
   */
  readonly endedOrdersKept?: number;
}
