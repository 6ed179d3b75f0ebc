/**
 * Linear perpetual (USDⓈ-margined), isolated margin, one-way mode maths (grid-family.md §5.3).
 * Shared by Futures Grid, DCA Futures and Combo, and by the kernel's position ledger: keep exports stable.
 *
 * Liquidation (Binance form, [C:S18]): `LP = (WB + cum − side·Q·EP) / (Q·MMR − side·Q)` with WB the
 * isolated wallet balance, Q the absolute size, EP the average entry, side +1 long / −1 short.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Side } from '../../model/orders.ts';

/** A net position: `qty` signed (> 0 long, < 0 short), `entryPrice` the average cost (0 when flat). */
export interface LinearPosition {
  readonly qty: Dec;
  readonly entryPrice: Dec;
}

/** Maintenance margin rate and amount (`cum`) of the notional bracket. */
export interface MaintenanceBracket {
  readonly mmr: Dec;
  readonly cum?: Dec;
}

/** A flat position. */
export const FLAT: LinearPosition = { qty: '0', entryPrice: '0' };

/** Position notional `|qty|·price`. */
export const notional = (qty: Dec, price: Dec): Dec => str(dec(qty).abs().times(dec(price)));

/** Maintenance margin `notional·MMR − cum`, never below 0. */
export function maintenanceMargin(notionalValue: Dec, bracket: MaintenanceBracket): Dec {
  const mm = dec(notionalValue)
    .times(dec(bracket.mmr))
    .minus(dec(bracket.cum ?? '0'));
  return str(mm.isNegative() ? 0 : mm);
}

/** Initial margin `notional / leverage`. */
export const initialMargin = (notionalValue: Dec, leverage: Dec | number): Dec =>
  str(dec(notionalValue).dividedBy(dec(leverage)));

/** Unrealised PnL `qty·(mark − entry)` (signed qty makes it right for shorts). */
export const unrealizedPnl = (position: LinearPosition, markPrice: Dec): Dec =>
  str(dec(position.qty).times(dec(markPrice).minus(dec(position.entryPrice))));

/** The outcome of applying a fill to a position with average-cost accounting. */
export interface PositionChange {
  readonly position: LinearPosition;
  /** Realised PnL of the reduced part, before fees (exchange view, §5.3 `positionRealizedPnL`). */
  readonly realizedPnl: Dec;
  /** Quantity that reduced the old position (≥ 0). */
  readonly closedQty: Dec;
}

/**
 * Applies a fill: an increase averages the entry price, a reduction realises `closed·(price − entry)·side`
 * at the old entry, and a fill larger than the position flips it with the remainder entered at `price`.
 */
export function applyFill(position: LinearPosition, side: Side, price: Dec, qty: Dec): PositionChange {
  const signed = side === 'buy' ? dec(qty) : dec(qty).negated();
  const old = dec(position.qty);
  if (old.isZero() || old.isPositive() === signed.isPositive()) {
    const total = old.plus(signed);
    const cost = old
      .abs()
      .times(dec(position.entryPrice))
      .plus(signed.abs().times(dec(price)));
    return {
      position: { qty: str(total), entryPrice: str(cost.dividedBy(total.abs())) },
      realizedPnl: '0',
      closedQty: '0',
    };
  }
  const closed = signed.abs().lessThan(old.abs()) ? signed.abs() : old.abs();
  const direction = old.isPositive() ? 1 : -1;
  const realized = closed.times(dec(price).minus(dec(position.entryPrice))).times(direction);
  const total = old.plus(signed);
  const next: LinearPosition = total.isZero()
    ? FLAT
    : old.isPositive() === total.isPositive()
      ? { qty: str(total), entryPrice: position.entryPrice }
      : { qty: str(total), entryPrice: str(price) };
  return { position: next, realizedPnl: str(realized), closedQty: str(closed) };
}

/**
 * Isolated-margin liquidation price of `position` with wallet balance `walletBalance`, or undefined when
 * flat. A long that cannot be liquidated (wallet covers the notional) reports `0`.
 */
export function liquidationPrice(
  walletBalance: Dec,
  position: LinearPosition,
  bracket: MaintenanceBracket,
): Dec | undefined {
  const q = dec(position.qty);
  if (q.isZero()) return undefined;
  const side = q.isPositive() ? 1 : -1;
  const size = q.abs();
  const numerator = dec(walletBalance)
    .plus(dec(bracket.cum ?? '0'))
    .minus(size.times(dec(position.entryPrice)).times(side));
  const denominator = size.times(dec(bracket.mmr)).minus(size.times(side));
  const lp = numerator.dividedBy(denominator);
  return str(lp.isNegative() ? 0 : lp);
}

/** A resting order that may change the position. */
export interface PendingOrder {
  readonly side: Side;
  readonly price: Dec;
  readonly qty: Dec;
  /** Reduce-only orders never increase the position and are ignored by the worst case. */
  readonly reduceOnly?: boolean;
}

/** The position and wallet after the worst case, and its liquidation price. */
export interface WorstCase {
  readonly position: LinearPosition;
  readonly walletBalance: Dec;
  readonly liquidationPrice: Dec | undefined;
}

/**
 * The liquidation price after every resting order that grows the position in `direction` has filled at
 * its price, each paying `feeRate` of its notional from the wallet (OKX "estimated liquidation price",
 * §5.3 `LP_worst`). For a neutral grid call it once per direction.
 */
export function worstCaseLiquidation(
  walletBalance: Dec,
  position: LinearPosition,
  pending: readonly PendingOrder[],
  direction: 'long' | 'short',
  feeRate: Dec,
  bracket: MaintenanceBracket,
): WorstCase {
  const opening: Side = direction === 'long' ? 'buy' : 'sell';
  let pos = position;
  let wallet = dec(walletBalance);
  const ordered = pending
    .filter((o) => o.side === opening && o.reduceOnly !== true)
    .sort((a, b) =>
      direction === 'long' ? dec(b.price).comparedTo(a.price) : dec(a.price).comparedTo(b.price),
    );
  for (const order of ordered) {
    const change = applyFill(pos, order.side, order.price, order.qty);
    pos = change.position;
    wallet = wallet.plus(change.realizedPnl).minus(dec(notional(order.qty, order.price)).times(dec(feeRate)));
  }
  return {
    position: pos,
    walletBalance: str(wallet),
    liquidationPrice: liquidationPrice(str(wallet), pos, bracket),
  };
}
