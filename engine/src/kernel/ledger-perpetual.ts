/**
 * The perpetual side of a bot's ledger (ledger.ts) as pure functions of its exact state: a fill moves
 * the isolated-margin position, posted margin and free wallet; funding moves the margin; a liquidation
 * takes the balance its margin model says backed the position (DESIGN §6, grid-family §5.3).
 */
import { abs, add, dec, div, gt, isZero, mul, str, sub, type Dec } from '../core/decimal.ts';
import type { Fill } from '../model/orders.ts';
import { applyFill, liquidationPrice, type LinearPosition } from '../strategies/shared/futures.ts';
import type { MarginModel } from './ledger-state.ts';

/** The exact perpetual state a fill, funding or liquidation changes. */
export interface PerpetualBalances {
  readonly position: LinearPosition;
  /** Isolated margin posted to the position. */
  readonly margin: Dec;
  /** Free wallet (not posted as margin). */
  readonly quote: Dec;
}

/** What backs the liquidation formula: the margin model, its wallet offset and the leverage. */
export interface PerpetualTerms {
  readonly leverage: Dec;
  readonly marginModel: MarginModel;
  readonly walletOffset: Dec;
}

/** The balances after `fill` (whose fee is `feeQuote` in quote) and the PnL it realised. */
export function perpetualFill(
  before: PerpetualBalances,
  leverage: Dec,
  fill: Fill,
  feeQuote: Dec,
): PerpetualBalances & { readonly realizedPnl: Dec } {
  const old = before.position;
  const change = applyFill(old, fill.side, fill.price, fill.qty);
  let margin = before.margin;
  let wallet = add(sub(before.quote, feeQuote), change.realizedPnl);
  if (!isZero(change.closedQty)) {
    // The closed share of the posted margin returns to the wallet with the realised PnL.
    const released = div(mul(margin, change.closedQty), abs(old.qty));
    margin = sub(margin, released);
    wallet = add(wallet, released);
  }
  const opened = sub(fill.qty, change.closedQty);
  if (gt(opened, '0')) {
    const posted = div(mul(opened, fill.price), leverage);
    margin = add(margin, posted);
    wallet = sub(wallet, posted);
  }
  return { position: change.position, margin, quote: wallet, realizedPnl: change.realizedPnl };
}

/** A funding payment `qty·mark·rate` on `position` (longs pay a positive rate), signed for the margin. */
export function fundingPayment(position: LinearPosition, mark: Dec, rate: Dec): Dec {
  return str(dec(position.qty).times(mark).times(rate).negated());
}

/**
 * The balance the liquidation formula uses: posted margin (`postedLegs`) or the isolated wallet
 * quote + margin + offset (`isolatedWallet`).
 */
export function walletBalance(balances: PerpetualBalances, terms: PerpetualTerms): Dec {
  if (terms.marginModel === 'postedLegs') return balances.margin;
  return str(dec(balances.quote).plus(balances.margin).plus(terms.walletOffset));
}

/**
 * The loss of a liquidation: the balance that backed the position (WB of the margin model) — at the
 * liquidation price the equity left equals the maintenance margin, which the venue keeps — never more
 * than the ledger holds, and the wallet left after it.
 */
export function liquidationLoss(
  balances: PerpetualBalances,
  terms: PerpetualTerms,
): { readonly loss: Dec; readonly wallet: Dec } {
  const held = dec(balances.quote).plus(balances.margin);
  const backing = dec(walletBalance(balances, terms));
  const loss = backing.greaterThan(held) ? held : backing.isNegative() ? dec(0) : backing;
  return { loss: str(loss), wallet: str(held.minus(loss)) };
}

/** The liquidation price and its float (NaN when flat or unreachable). */
export function liquidationOf(
  balances: PerpetualBalances,
  terms: PerpetualTerms,
  mmr: Dec,
): { readonly price: Dec | undefined; readonly priceF: number } {
  const price = liquidationPrice(walletBalance(balances, terms), balances.position, { mmr });
  const priceF = price === undefined || dec(price).isZero() ? Number.NaN : Number(price);
  return { price, priceF };
}
