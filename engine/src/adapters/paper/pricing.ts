/**
 * Prices and fees of the paper fill model (DESIGN §6.1): a taker fills at the path price moved against
 * it by the slippage and put on the tick (never past its limit); fees are the maker or taker rate, in
 * the received asset for spot unless the account says quote, and in quote for perpetuals.
 */
import { dec, mul, str, toStep, type Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Liquidity, Side } from '../../model/orders.ts';

/** Fee settings of a paper account. */
export interface FeeSettings {
  readonly makerFeeRate?: Dec;
  readonly takerFeeRate?: Dec;
  readonly spotFeeAsset?: 'received' | 'quote';
}

/** The price a taker gets at path price `price`. */
export function takerPrice(info: MarketInfo, price: Dec, side: Side, slippageBps: number, limit?: Dec): Dec {
  const moved = dec(price)
    .times(10000 + (side === 'buy' ? slippageBps : -slippageBps))
    .dividedBy(10000);
  const onTick = toStep(moved, info.precision.price, side === 'buy' ? 'ceil' : 'floor');
  if (limit === undefined) return onTick;
  const worse = side === 'buy' ? dec(onTick).greaterThan(limit) : dec(onTick).lessThan(limit);
  return worse ? limit : onTick;
}

/**
 * The fee of a fill and the asset it is paid in. `notional` (qty × price) may be passed when the caller
 * has it already; a zero rate costs nothing (the product would be `0`).
 */
export function feeOf(
  info: MarketInfo,
  settings: FeeSettings,
  fill: {
    readonly side: Side;
    readonly qty: Dec;
    readonly price: Dec;
    readonly liquidity: Liquidity;
    readonly notional?: Dec | undefined;
  },
): { readonly amount: Dec; readonly asset: string } {
  const rate =
    fill.liquidity === 'maker'
      ? (settings.makerFeeRate ?? info.maker)
      : (settings.takerFeeRate ?? info.taker);
  const inQuote = info.type === 'swap' || fill.side === 'sell' || settings.spotFeeAsset === 'quote';
  const asset = inQuote ? (info.settle ?? info.quote) : info.base;
  if (rate === '0') return { amount: '0', asset };
  const amount = inQuote ? mul(fill.notional ?? mul(fill.qty, fill.price), rate) : mul(fill.qty, rate);
  return { amount, asset };
}

/**
 * The part of `remaining` a bar's volume budget allows (floored to the lot), and the budget left after
 * it; a fill cut short by the cap exhausts the budget for the rest of the bar.
 */
export function capToVolume(
  volumeLeft: number,
  remaining: Dec,
  lot: Dec,
): { readonly qty: Dec; readonly volumeLeft: number } {
  if (volumeLeft === Infinity) return { qty: remaining, volumeLeft };
  const cap = toStep(str(volumeLeft.toFixed(12)), lot, 'floor');
  if (dec(cap).lessThan(remaining)) return { qty: cap, volumeLeft: 0 };
  return { qty: remaining, volumeLeft: volumeLeft - Number(remaining) };
}
