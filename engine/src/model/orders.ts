/** Orders: the data every layer shares, and the one order lifecycle transition table. */
import type { Dec } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';
import type { OrderRole } from '../core/ids.ts';

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type Liquidity = 'maker' | 'taker';

/**
 * Order states (strategies/dca-twap-risk.md §8.3). `Unknown`: the submit outcome is not known and is
 * resolved by looking the order up, never by sending it again. `Lost`: not found after repeated lookups.
 */
export type OrderStatus =
  | 'Intent'
  | 'PendingSubmit'
  | 'Open'
  | 'PartiallyFilled'
  | 'Filled'
  | 'Cancelled'
  | 'Expired'
  | 'Rejected'
  | 'Unknown'
  | 'Lost'
  | 'NotPlaced';

/** A request to place an order, as sent to an exchange port (already rounded to tick and lot). */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Limit price; absent for market orders. */
  readonly price?: Dec;
  /** Quantity in base units (contracts × contractSize for futures). */
  readonly amount: Dec;
  readonly reduceOnly?: boolean;
  readonly postOnly?: boolean;
  /** The price the decision was made at, to measure slippage of market orders. */
  readonly referencePrice?: Dec;
}

/** One execution. Positions and averages are derived from fills, deduplicated by trade id. */
export interface Fill {
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly ts: EpochMs;
  readonly side: Side;
  readonly price: Dec;
  readonly qty: Dec;
  readonly fee: Dec;
  readonly feeAsset: string;
  readonly liquidity: Liquidity;
}

/** What an exchange says about one order. */
export interface OrderSnapshot {
  readonly clientOrderId: string;
  readonly exchangeOrderId?: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly price?: Dec;
  readonly amount: Dec;
  readonly filled: Dec;
  readonly status: OrderStatus;
  readonly ts: EpochMs;
  readonly reason?: string;
}

/** The role an order plays in its bot, with the level/slice index used in its client id. */
export interface OrderTag {
  readonly role: OrderRole;
  readonly idx: number;
}
