/**
 * A bot's own ledger (DESIGN §6): what it may spend and what it holds, folded from its fills. Several
 * bots on one account each have one; a bot's orders are checked against its ledger only, so one bot
 * can never spend another's balance. Spot keeps quote and base; perpetuals keep an isolated-margin
 * position (linear, one-way: long, short, or either side over time for a neutral grid — grid-family §5.3
 * runs NEUTRAL as one net position). The liquidation price uses the balance the strategy's own document
 * names (its margin model): posted margin of filled legs, or the bot's whole isolated wallet.
 * Money is exact; float shadows serve the per-bar equity sample only.
 */
import type { EquityLineF } from '../metrics/metrics.ts';
import { abs, add, dec, div, gt, isZero, max, mul, neg, str, sub, type Dec } from '../core/decimal.ts';
import type { MarketInfo } from '../model/market.ts';
import type { Fill, Side } from '../model/orders.ts';
import type { LedgerView, PositionView } from './strategy.ts';
import {
  applyFill,
  FLAT,
  liquidationPrice,
  unrealizedPnl,
  type LinearPosition,
} from '../strategies/shared/futures.ts';

/**
 * Which balance backs the position: `postedLegs` — the sum of margins posted by filled legs
 * (dca-twap-risk §3.3.4); `isolatedWallet` — the bot's isolated wallet WB = investment − fees ± realised
 * ± funding (grid-family §5.3).
 */
export type MarginModel = 'postedLegs' | 'isolatedWallet';

/** What one fill did to the ledger, in quote. */
export interface FillEffect {
  /** Fee converted to quote at the fill price. */
  readonly feeQuote: Dec;
  /** Position PnL realised by a reducing perpetual fill (before fees); 0 for spot. */
  readonly realizedPnl: Dec;
}

/** The exact, JSON-safe state of a ledger (what a checkpoint keeps). */
export interface LedgerState {
  readonly quote: Dec;
  readonly base: Dec;
  readonly reservedQuote: Dec;
  readonly reservedBase: Dec;
  readonly position: LinearPosition;
  readonly margin: Dec;
  readonly leverage: Dec;
  /** Absent in checkpoints written before margin models existed: `postedLegs`. */
  readonly marginModel?: MarginModel;
  /** Declared wallet minus the ledger's own quote + margin at the declaration (isolatedWallet). */
  readonly walletOffset?: Dec;
  readonly declaredWallet?: Dec;
  readonly reservedBuy?: Dec;
  readonly reservedSell?: Dec;
}

/** What `setLeverage` may declare besides the leverage. */
export interface MarginDeclaration {
  readonly margin?: MarginModel;
  readonly wallet?: Dec;
}

/** The bot's ledger. */
export class BotLedger {
  readonly futures: boolean;
  private readonly baseAsset: string;
  private readonly quoteAsset: string;
  /** Spot: total quote; futures: free wallet (not posted as margin). */
  quote: Dec;
  /** Spot base held. */
  base: Dec;
  reservedQuote: Dec = '0';
  reservedBase: Dec = '0';
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
  /** Float shadows for the equity sample. */
  quoteF: number;
  baseF: number;
  marginF = 0;
  qtyF = 0;
  entryF = 0;
  /** Liquidation price as a float (NaN when flat or unreachable). */
  liquidationF = Number.NaN;
  liquidation: Dec | undefined;

  constructor(options: {
    futures: boolean;
    quote: Dec;
    base?: Dec;
    baseAsset: string;
    quoteAsset: string;
    mmr?: Dec;
  }) {
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
    this.version++;
    if (this.futures) {
      if (!increases) return '0';
      const margin = div(notional, this.leverage);
      this.reserveSide(side, margin);
      return margin;
    }
    const needed = side === 'buy' ? notional : str(amount);
    if (side === 'buy') this.reservedQuote = add(this.reservedQuote, needed);
    else this.reservedBase = add(this.reservedBase, needed);
    return needed;
  }

  /** Returns part of a reservation (fill or cancel). */
  release(side: Side, amount: Dec): void {
    if (isZero(amount)) return;
    this.version++;
    if (this.futures) this.reserveSide(side, neg(amount));
    else if (side === 'buy') this.reservedQuote = sub(this.reservedQuote, amount);
    else this.reservedBase = sub(this.reservedBase, amount);
  }

  /** Quote free for a new order on `side` (perpetuals: the wallet less that side's open-order margin). */
  freeQuote(side: Side): Dec {
    if (!this.futures) return this.unreservedQuote();
    return sub(this.quote, side === 'buy' ? this.reservedBuy : this.reservedSell);
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
    this.version++;
    const feeQuote = this.feeInQuote(fill);
    if (this.futures) return { feeQuote, realizedPnl: this.applyPerpetualFill(fill) };
    const notional = knownNotional ?? mul(fill.qty, fill.price);
    const buy = fill.side === 'buy';
    let quote = buy ? sub(this.quote, notional) : add(this.quote, notional);
    let base = buy ? add(this.base, fill.qty) : sub(this.base, fill.qty);
    if (fill.feeAsset === this.baseAsset) base = sub(base, fill.fee);
    else if (fill.feeAsset === this.quoteAsset) quote = sub(quote, fill.fee);
    this.quote = quote;
    this.base = base;
    // Number() of the text is the correctly rounded float, the same as toNumber gives (and refreshFutures uses).
    this.quoteF = Number(quote);
    this.baseF = Number(base);
    return { feeQuote, realizedPnl: '0' };
  }

  /** A fee charged in base (spot) is worth `fee·price` in quote; perpetual fees settle in quote. */
  private feeInQuote(fill: Fill): Dec {
    return fill.feeAsset === this.baseAsset ? mul(fill.fee, fill.price) : fill.fee;
  }

  private applyPerpetualFill(fill: Fill): Dec {
    const old = this.position;
    const change = applyFill(old, fill.side, fill.price, fill.qty);
    let margin = this.margin;
    let wallet = add(sub(this.quote, this.feeInQuote(fill)), change.realizedPnl);
    if (!isZero(change.closedQty)) {
      // The closed share of the posted margin returns to the wallet with the realised PnL.
      const released = div(mul(margin, change.closedQty), abs(old.qty));
      margin = sub(margin, released);
      wallet = add(wallet, released);
    }
    const opened = sub(fill.qty, change.closedQty);
    if (gt(opened, '0')) {
      const posted = div(mul(opened, fill.price), this.leverage);
      margin = add(margin, posted);
      wallet = sub(wallet, posted);
    }
    this.position = change.position;
    this.margin = margin;
    this.quote = wallet;
    this.refreshFutures();
    return change.realizedPnl;
  }

  /**
   * Applies a funding payment `qty·mark·rate` (longs pay a positive rate) to the isolated margin, which
   * is part of WB in both models (grid-family Appendix D.9), and recomputes the liquidation price.
   */
  applyFunding(mark: Dec, rate: Dec): Dec {
    this.version++;
    const payment = str(dec(this.position.qty).times(mark).times(rate).negated());
    if (dec(payment).isZero()) return '0';
    this.margin = str(dec(this.margin).plus(payment));
    this.refreshFutures();
    return payment;
  }

  /**
   * The balance the liquidation formula uses: posted margin (`postedLegs`) or the isolated wallet
   * quote + margin + offset (`isolatedWallet`).
   */
  walletBalance(): Dec {
    if (this.marginModel === 'postedLegs') return this.margin;
    return str(dec(this.quote).plus(this.margin).plus(this.walletOffset));
  }

  /**
   * Closes the position by liquidation: the balance that backed it (WB of the margin model) is lost — at
   * the liquidation price the equity left equals the maintenance margin, which the venue keeps. Returns
   * the loss (never more than the ledger holds).
   */
  liquidate(): Dec {
    this.version++;
    const held = dec(this.quote).plus(this.margin);
    const backing = dec(this.walletBalance());
    const loss = backing.greaterThan(held) ? held : backing.isNegative() ? dec(0) : backing;
    this.quote = str(held.minus(loss));
    this.position = FLAT;
    this.margin = '0';
    this.refreshFutures();
    return str(loss);
  }

  /** Sets leverage for future position increases and, when declared, the margin model and its wallet. */
  setLeverage(leverage: Dec, declaration: MarginDeclaration = {}): void {
    this.version++;
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
    this.version++;
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

  /** Bumped by every change, so the strategy's view is rebuilt only when something it shows changed. */
  private version = 0;
  /** Quote and base less their reservations, each computed once per change and only when asked for. */
  private unreservedQuoteAt = -1;
  private unreservedQuoteValue: Dec = '0';
  private unreservedBaseAt = -1;
  private unreservedBaseValue: Dec = '0';
  private balancesVersion = -1;
  private balances: LedgerView | undefined;
  private viewMark: Dec | undefined;
  private lastView: LedgerView | undefined;

  /**
   * The strategy's view of this ledger, reused while nothing it shows changed (strategies run per bar):
   * the balances change only with the ledger; a perpetual's position view also with the mark.
   */
  view(mark: Dec | undefined): LedgerView {
    const balances = this.freeBalances();
    if (!this.futures) return balances;
    // A flat position's PnL is 0 at every mark, so its view outlives mark changes.
    const markMoved = mark !== this.viewMark && this.position.qty !== '0';
    if (this.lastView === undefined || markMoved) {
      this.lastView = { ...balances, position: this.positionView(mark) };
      this.viewMark = mark;
    }
    return this.lastView;
  }

  /**
   * Free and reserved balances as of the last change, computed once per change: the risk gate asks for
   * them per order and the strategy's view per step, mostly with nothing changed in between.
   */
  private freeBalances(): LedgerView {
    if (this.balancesVersion !== this.version || this.balances === undefined) {
      this.balances = {
        quote: this.unreservedQuote(),
        base: this.unreservedBase(),
        reservedQuote: this.reservedQuote,
        reservedBase: this.reservedBase,
      };
      this.balancesVersion = this.version;
      this.lastView = undefined;
    }
    return this.balances;
  }

  /** Quote less reserved quote (spot: free quote; the view's `quote` either way). */
  private unreservedQuote(): Dec {
    if (this.unreservedQuoteAt !== this.version) {
      this.unreservedQuoteValue = sub(this.quote, this.reservedQuote);
      this.unreservedQuoteAt = this.version;
    }
    return this.unreservedQuoteValue;
  }

  /** Base less reserved base (free base for a new sell). */
  private unreservedBase(): Dec {
    if (this.unreservedBaseAt !== this.version) {
      this.unreservedBaseValue = sub(this.base, this.reservedBase);
      this.unreservedBaseAt = this.version;
    }
    return this.unreservedBaseValue;
  }

  private positionView(mark: Dec | undefined): PositionView {
    const position = this.position;
    let pnl: Dec | undefined;
    return {
      qty: position.qty,
      entryPrice: position.entryPrice,
      leverage: this.leverage,
      margin: this.margin,
      ...(this.liquidation === undefined ? {} : { liquidationPrice: this.liquidation }),
      // Due at every mark but rarely read: computed on first read, from this view's own position and
      // mark (positions are replaced, never mutated), so a later read gives the same value.
      get unrealizedPnl(): Dec {
        pnl ??= mark === undefined ? '0' : unrealizedPnl(position, mark);
        return pnl;
      },
    };
  }

  private refreshFutures(): void {
    this.quoteF = Number(this.quote);
    this.marginF = Number(this.margin);
    this.qtyF = Number(this.position.qty);
    this.entryF = Number(this.position.entryPrice);
    this.liquidation = liquidationPrice(this.walletBalance(), this.position, { mmr: this.mmr });
    this.liquidationF =
      this.liquidation === undefined || dec(this.liquidation).isZero()
        ? Number.NaN
        : Number(this.liquidation);
  }
}
