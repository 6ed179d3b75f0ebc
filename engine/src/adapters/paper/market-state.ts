/**
 * The per-market state of the paper venue: its resting orders and fills, the current path price (exact
 * and as a float for comparisons) and the bar's volume participation budget.
 */
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill } from '../../model/orders.ts';
import { OrderBook } from './book.ts';
import { capToVolume } from './pricing.ts';

/** One market of a paper venue. */
export interface MarketState {
  readonly info: MarketInfo;
  readonly book: OrderBook;
  /** Every fill on the market, oldest first (`fetchMyTrades`). */
  readonly fills: Fill[];
  price?: Dec;
  priceF: number;
  /** Base volume still available to fills on the current bar (Infinity without a cap). */
  volumeLeft: number;
}

/** A market with an empty book and no price yet. */
export function newMarketState(info: MarketInfo): MarketState {
  return { info, book: new OrderBook(), fills: [], priceF: Number.NaN, volumeLeft: Infinity };
}

/** The part of an order's `remaining` the bar's volume budget lets fill now, spending the budget. */
export function cappedQty(m: MarketState, remaining: Dec): Dec {
  if (m.volumeLeft === Infinity) return remaining; // no volume cap: the whole rest, nothing to track
  const capped = capToVolume(m.volumeLeft, remaining, m.info.precision.amount);
  m.volumeLeft = capped.volumeLeft;
  return capped.qty;
}

/** The exact price of the best resting buy (`down`) or sell of a market, which a trigger reported. */
export function bestRestingPrice(m: MarketState, down: boolean): Dec {
  const best = down ? m.book.buys[0] : m.book.sells[0];
  if (!best) throw new Error(`paper: no resting ${down ? 'buy' : 'sell'} on ${m.info.symbol}`);
  return best.price;
}
