/** Market data and market metadata. */
import type { Dec } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';

/** One OHLCV candle; `ts` is the candle open time. Prices are exact decimal text. */
export interface Bar {
  readonly ts: EpochMs;
  readonly open: Dec;
  readonly high: Dec;
  readonly low: Dec;
  readonly close: Dec;
  readonly volume: Dec;
  /** Optional funding rate applied at this bar (perpetuals), as a fraction (e.g. `0.0001`). */
  readonly fundingRate?: Dec;
}

/** Market type in ccxt's vocabulary. */
export type MarketType = 'spot' | 'swap';

/**
 * The subset of a ccxt unified market structure the engine uses. Precision values are tick sizes
 * (`0.01`), as ccxt 4 reports them (FACTS.md), kept as decimal text.
 */
export interface MarketInfo {
  /** Venue id: `paper`, or a ccxt exchange id such as `binance`. */
  readonly venue: string;
  /** ccxt unified symbol: `BTC/USDT` (spot) or `BTC/USDT:USDT` (linear perpetual). */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly settle?: string;
  readonly type: MarketType;
  readonly linear?: boolean;
  /** Contract size in base per contract (1 for the linear perpetuals we support). */
  readonly contractSize?: Dec;
  readonly precision: { readonly price: Dec; readonly amount: Dec };
  readonly limits: {
    readonly amount: { readonly min?: Dec; readonly max?: Dec };
    readonly price?: { readonly min?: Dec; readonly max?: Dec };
    readonly cost: { readonly min?: Dec; readonly max?: Dec };
    readonly leverage?: { readonly min?: Dec; readonly max?: Dec };
  };
  /** Default fee rates as fractions (0.001 = 0.1 %). */
  readonly maker: Dec;
  readonly taker: Dec;
  /** Maintenance margin rate for the first tier (futures), as a fraction. */
  readonly maintenanceMarginRate?: Dec;
  /** Regular-hours calendar id for stocks (`XNYS`); absent for 24/7 crypto markets. */
  readonly calendar?: string;
}
