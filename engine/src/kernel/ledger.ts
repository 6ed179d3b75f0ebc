/**
 * A bot's own ledger (DESIGN §6): what it may spend and what it holds, folded from its fills. Several
 * bots on one account each have one; a bot's orders are checked against its ledger only, so one bot
 * can never spend another's balance. Spot keeps quote and base; perpetuals keep an isolated-margin
 * position (linear, one-way: long, short, or either side over time for a neutral grid — grid-family §5.3
 * runs NEUTRAL as one net position); ledger-perpetual.ts has its maths. The liquidation price uses the
 * balance the strategy's own document names (its margin model): posted margin of filled legs, or the
 * bot's whole isolated wallet. Money is exact; float shadows serve the per-bar equity sample only.
 */
import type { EquityLineF } from '../metrics/metrics.ts';
import { add, dec, div, gt, isZero, max, mul, neg, str, sub, type Dec } from '../core/decimal.ts';
import type { MarketInfo } from '../model/market.ts';
import type { Fill, Side } from '../model/orders.ts';
import type { LedgerView } from './strategy.ts';
import { FLAT, unrealizedPnl, type LinearPosition } from '../strategies/shared/futures.ts';
import type { FillEffect, LedgerState, MarginDeclaration, MarginModel } from './ledger-state.ts';
import {
  fundingPayment,
  liquidationLoss,
  liquidationOf,
  perpetualFill,
  walletBalance,
} from './ledger-perpetual.ts';
import { LedgerBalances } from './ledger-balances.ts';
import { LedgerViews } from './ledger-view.ts';
import { canonicalFractionDigits } from './step-text.ts';

export type { FillEffect, LedgerState, MarginDeclaration, MarginModel } from './ledger-state.ts';

/** The bot's ledger. */
export class BotLedger extends LedgerBalances {
  readonly futures: boolean;
  private readonly baseAsset: string;
  private readonly quoteAsset: string;
  /**
   * Perpetuals, one-way: margin reserved by opening buys and by opening sells. Only one side can open at
   * a time (a NEUTRAL grid is one net position, grid-family §5.3, sized by the larger side), so the
   * wallet holds back the larger of the two (`reservedQuote`), as one-way venues do.
   */
  reservedBuy: Dec = '0';
  reservedSell: Dec = '0';
  position: LinearPosition = FLAT;
  /** Isolated margin posted to the position (perpetuals). */
  margin: Dec = '0';
  leverage: Dec = '1';
  marginModel: MarginModel = 'postedLegs';
  /** Added to quote + margin to give the declared isolated wallet (0: the whole bot ledger is the wallet). */
  walletOffset: Dec = '0';
  /** The last wallet a strategy declared; re-declaring it (a new Combo deal) keeps the running balance. */
  declaredWallet: Dec | undefined;
  readonly mmr: Dec;
  /** Float shadows of the perpetual state, for the equity sample. */
  marginF = 0;
  qtyF = 0;
  entryF = 0;
  /** Liquidation price as a float (NaN when flat or unreachable). */
  liquidationF = Number.NaN;
  liquidation: Dec | undefined;
  private readonly views = new LedgerViews(this);

  constructor(options: {
    futures: boolean;
    quote: Dec;
    base?: Dec;
    baseAsset: string;
    quoteAsset: string;
    mmr?: Dec;
  }) {
    super();
    this.futures = options.futures;
    this.quote = str(options.quote);
    this.base = str(options.base ?? '0');
    this.baseAsset = options.baseAsset;
    this.quoteAsset = options.quoteAsset;
    this.mmr = options.mmr ?? '0.004';
    this.quoteF = Number(this.quote);
    this.baseF = Number(this.base);
  }

  /** The ledger of a bot on `market` starting with `budget`. */
  static forMarket(
    futures: boolean,
    budget: { readonly quote: Dec; readonly base?: Dec },
    market: MarketInfo,
  ): BotLedger {
    return new BotLedger({
      futures,
      quote: budget.quote,
      ...(budget.base === undefined ? {} : { base: budget.base }),
      baseAsset: market.base,
      quoteAsset: market.settle ?? market.quote,
      ...(market.maintenanceMarginRate === undefined ? {} : { mmr: market.maintenanceMarginRate }),
    });
  }

  /** Equity at `price` (exact): spot quote + base·price; futures wallet + margin + unrealised PnL. */
  equity(price: Dec): Dec {
    if (!this.futures) return str(dec(this.quote).plus(dec(this.base).times(price)));
    return str(dec(this.quote).plus(this.margin).plus(unrealizedPnl(this.position, price)));
  }

  /** Equity at `price` from the float shadows (metrics sampling only). */
  equityF(price: number): number {
    if (!this.futures) return this.quoteF + this.baseF * price;
    return this.quoteF + this.marginF + this.qtyF * (price - this.entryF);
  }

  /**
   * `equityF` as a line in the price, bit for bit: equity = offset + slope·(price − entry), and the
   * exposure is |slope·price|; for sampling a run of bars in which the position does not change.
   */
  equityLineF(): EquityLineF {
    return this.futures
      ? { offset: this.quoteF + this.marginF, slope: this.qtyF, entry: this.entryF }
      : { offset: this.quoteF, slope: this.baseF, entry: 0 };
  }

  /** |position value| at `price` from the float shadows (exposure). */
  exposureF(price: number): number {
    return Math.abs((this.futures ? this.qtyF : this.baseF) * price);
  }

  /**
   * Reserves what a new order may spend, given its `notional` (amount × the price it is valued at); the
   * risk gate has checked it fits.
   */
  reserveNotional(side: Side, amount: Dec, notional: Dec, increases: boolean): Dec {
    this.changes++;
    if (this.futures) {
      if (!increases) return '0';
      const margin = div(notional, this.leverage);
      this.reserveSide(side, margin);
      return margin;
    }
    // A request's amount is canonical already (toStep writes it): writing it again would copy it.
    const needed = side === 'buy' ? notional : canonicalFractionDigits(amount) >= 0 ? amount : str(amount);
    this.changeReserved(side, needed, 1);
    return needed;
  }

  /** Returns part of a reservation (fill or cancel). */
  release(side: Side, amount: Dec): void {
    if (amount === '0' || isZero(amount)) return;
    this.changes++;
    if (this.futures) this.reserveSide(side, neg(amount));
    else this.changeReserved(side, amount, -1);
  }

  /** Quote free for a new order on `side` (perpetuals: the wallet less that side's open-order margin). */
  freeQuote(side: Side): Dec {
    if (!this.futures) return this.unreservedQuote();
    return sub(this.quote, side === 'buy' ? this.reservedBuy : this.reservedSell);
  }

  /** Whether `amount` is more than the free quote for `side` (or the free base): the budget check. */
  exceedsFree(side: Side, asset: 'quote' | 'base', amount: Dec): boolean {
    if (this.futures && asset === 'quote') return gt(amount, this.freeQuote(side));
    return this.exceedsUnreserved(asset, amount);
  }

  /** Base free for a new sell (spot): held less what open sells reserve. */
  freeBase(): Dec {
    return this.unreservedBase();
  }

  private reserveSide(side: Side, change: Dec): void {
    const next = (current: Dec): Dec => max('0', add(current, change));
    if (side === 'buy') this.reservedBuy = next(this.reservedBuy);
    else this.reservedSell = next(this.reservedSell);
    this.reservedQuote = max(this.reservedBuy, this.reservedSell);
  }

  /** Books a fill; `notional` is fill.qty × fill.price when the caller has that product already. */
  applyFill(fill: Fill, knownNotional?: Dec): FillEffect {
    this.changes++;
    // A fee charged in base (spot) is worth `fee·price` in quote; perpetual fees settle in quote.
    const feeQuote = fill.feeAsset === this.baseAsset ? mul(fill.fee, fill.price) : fill.fee;
    if (this.futures) {
      const after = perpetualFill(this, this.leverage, fill, feeQuote);
      this.position = after.position;
      this.margin = after.margin;
      this.quote = after.quote;
      this.refreshFutures();
      return { feeQuote, realizedPnl: after.realizedPnl };
    }
    const feeIn =
      fill.feeAsset === this.baseAsset ? 'base' : fill.feeAsset === this.quoteAsset ? 'quote' : 'other';
    this.bookSpotFill(fill.side, fill.qty, knownNotional ?? mul(fill.qty, fill.price), fill.fee, feeIn);
    return { feeQuote, realizedPnl: '0' };
  }

  /**
   * Applies a funding payment `qty·mark·rate` (longs pay a positive rate) to the isolated margin, which
   * is part of WB in both models (grid-family Appendix D.9), and recomputes the liquidation price.
   */
  applyFunding(mark: Dec, rate: Dec): Dec {
    this.changes++;
    const payment = fundingPayment(this.position, mark, rate);
    if (dec(payment).isZero()) return '0';
    this.margin = str(dec(this.margin).plus(payment));
    this.refreshFutures();
    return payment;
  }

  /** The balance the liquidation formula uses (see ledger-perpetual.ts `walletBalance`). */
  walletBalance(): Dec {
    return walletBalance(this, this);
  }

  /**
   * Closes the position by liquidation: the balance that backed it (WB of the margin model) is lost.
   * Returns the loss (never more than the ledger holds).
   */
  liquidate(): Dec {
    this.changes++;
    const { loss, wallet } = liquidationLoss(this, this);
    this.quote = wallet;
    this.position = FLAT;
    this.margin = '0';
    this.refreshFutures();
    return loss;
  }

  /** Sets leverage for future position increases and, when declared, the margin model and its wallet. */
  setLeverage(leverage: Dec, declaration: MarginDeclaration = {}): void {
    this.changes++;
    this.leverage = str(leverage);
    if (declaration.margin !== undefined) this.marginModel = declaration.margin;
    const wallet = declaration.wallet;
    if (
      wallet !== undefined &&
      (this.declaredWallet === undefined || !dec(wallet).equals(this.declaredWallet))
    ) {
      this.declaredWallet = str(wallet);
      this.walletOffset = str(dec(wallet).minus(this.quote).minus(this.margin));
    }
    this.refreshFutures();
  }

  /** The exact state (checkpoints); float shadows are derived from it. */
  state(): LedgerState {
    const { quote, base, reservedQuote, reservedBase, position, margin, leverage } = this;
    const { marginModel, walletOffset, declaredWallet, reservedBuy, reservedSell } = this;
    return {
      ...{ quote, base, reservedQuote, reservedBase, position, margin, leverage, marginModel, walletOffset },
      ...(this.futures ? { reservedBuy, reservedSell } : {}),
      ...(declaredWallet === undefined ? {} : { declaredWallet }),
    };
  }

  /** Restores a checkpointed state and recomputes the float shadows. */
  restore(state: LedgerState): void {
    this.changes++;
    Object.assign(this, state);
    this.marginModel = state.marginModel ?? 'postedLegs';
    this.walletOffset = state.walletOffset ?? '0';
    this.declaredWallet = state.declaredWallet;
    // Checkpoints without per-side reservations hold back the whole reservation on both sides.
    this.reservedBuy = state.reservedBuy ?? state.reservedQuote;
    this.reservedSell = state.reservedSell ?? state.reservedQuote;
    this.baseF = Number(this.base);
    this.refreshFutures();
  }

  /**
   * The strategy's view of this ledger, reused while nothing it shows changed (strategies run per bar):
   * the balances change only with the ledger; a perpetual's position view also with the mark.
   */
  view(mark: Dec | undefined): LedgerView {
    return this.views.view(mark);
  }

  private refreshFutures(): void {
    this.quoteF = Number(this.quote);
    this.marginF = Number(this.margin);
    this.qtyF = Number(this.position.qty);
    this.entryF = Number(this.position.entryPrice);
    const liquidation = liquidationOf(this, this, this.mmr);
    this.liquidation = liquidation.price;
    this.liquidationF = liquidation.priceF;
  }
}
