/** Profit per grid and fill accounting (grid-family.md §0.2 fee models, §1.5). */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Side } from '../../model/orders.ts';

/** Where a fill's fee is charged: from the received asset (spot default) or in quote (futures). */
export type FeeModel = 'FEE_IN_RECEIVED_ASSET' | 'FEE_IN_QUOTE';

/**
 * Net profit fraction of one matched pair bought at `buyPrice` and sold at `sellPrice` with fee
 * fraction `fee` per side: `(Ps/Pb)(1−f)² − 1` or `(Ps/Pb)(1−f) − 1 − f` (§1.5). Multiply by the
 * quote spent for the profit in quote.
 */
export function pairProfitFraction(buyPrice: Dec, sellPrice: Dec, fee: Dec, model: FeeModel): Dec {
  const ratio = dec(sellPrice).dividedBy(dec(buyPrice));
  const keep = dec(1).minus(dec(fee));
  return str(
    model === 'FEE_IN_RECEIVED_ASSET'
      ? ratio.times(keep.pow(2)).minus(1)
      : ratio.times(keep).minus(1).minus(dec(fee)),
  );
}

/** Signed change to a spot bot's base and quote holdings caused by one fill. */
export interface HoldingsDelta {
  readonly base: Dec;
  readonly quote: Dec;
  /** The fee valued in quote (a base fee is converted at the fill price). */
  readonly feeQuote: Dec;
}

/** A fill as the strategy hears it. */
export interface FillLike {
  readonly price: Dec;
  readonly qty: Dec;
  readonly fee: Dec;
  readonly feeAsset: string;
}

/**
 * What a spot fill does to the bot's holdings. A fee in base or quote is taken from that asset; a fee in a
 * third asset (a discount token) does not touch base or quote (Appendix D.1).
 */
export function spotFillDelta(side: Side, fill: FillLike, market: MarketInfo): HoldingsDelta {
  const notional = dec(fill.qty).times(dec(fill.price));
  const feeBase = fill.feeAsset === market.base ? dec(fill.fee) : dec(0);
  const feeQuote = fill.feeAsset === market.quote ? dec(fill.fee) : dec(0);
  const sign = side === 'buy' ? 1 : -1;
  return {
    base: str(dec(fill.qty).times(sign).minus(feeBase)),
    quote: str(notional.times(-sign).minus(feeQuote)),
    feeQuote: str(feeQuote.plus(feeBase.times(dec(fill.price)))),
  };
}
