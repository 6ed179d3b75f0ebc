/**
 * A bot's own ledger (DESIGN §6): what it may spend and what it holds, folded from its fills. Several
 * bots on one account each have one; a bot's orders are checked against its ledger only, so one bot
 * can never spend another's balance. Spot keeps quote and base; perpetuals keep an isolated-margin
 * position (linear, one-way: long, short, or either side over time for a neutral grid).
 * Money is exact; float shadows serve the per-bar equity sample only.
 */
import { D, dec, str, type Dec } from '../core/decimal.ts';
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
  position: LinearPosition = FLAT;
  /** Isolated margin posted to the position (perpetuals). */
  margin: Dec = '0';
  leverage: Dec = '1';
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

  /** |position value| at `price` from the float shadows (exposure). */
  exposureF(price: number): number {
    return Math.abs((this.futures ? this.qtyF : this.baseF) * price);
  }

  /** Reserves what a new order may spend; the risk gate has checked it fits. */
  reserve(side: Side, amount: Dec, price: Dec, increases: boolean): Dec {
    this.version++;
    if (this.futures) {
      if (!increases) return '0';
      const margin = str(dec(amount).times(price).dividedBy(this.leverage));
      this.reservedQuote = str(dec(this.reservedQuote).plus(margin));
      return margin;
    }
    const needed = side === 'buy' ? str(dec(amount).times(price)) : str(amount);
    if (side === 'buy') this.reservedQuote = str(dec(this.reservedQuote).plus(needed));
    else this.reservedBase = str(dec(this.reservedBase).plus(needed));
    return needed;
  }

  /** Returns part of a reservation (fill or cancel). */
  release(side: Side, amount: Dec): void {
    this.version++;
    if (dec(amount).isZero()) return;
    if (this.futures || side === 'buy') this.reservedQuote = str(dec(this.reservedQuote).minus(amount));
    else this.reservedBase = str(dec(this.reservedBase).minus(amount));
  }

  /** Books a fill. */
  applyFill(fill: Fill): FillEffect {
    this.version++;
    const feeQuote = fill.feeAsset === this.baseAsset ? str(dec(fill.fee).times(fill.price)) : fill.fee;
    if (this.futures) return { feeQuote, realizedPnl: this.applyPerpetualFill(fill) };
    const notional = dec(fill.qty).times(fill.price);
    let quote = dec(this.quote);
    let base = dec(this.base);
    if (fill.side === 'buy') {
      quote = quote.minus(notional);
      base = base.plus(fill.qty);
    } else {
      quote = quote.plus(notional);
      base = base.minus(fill.qty);
    }
    if (fill.feeAsset === this.baseAsset) base = base.minus(fill.fee);
    else if (fill.feeAsset === this.quoteAsset) quote = quote.minus(fill.fee);
    this.quote = str(quote);
    this.base = str(base);
    this.quoteF = quote.toNumber();
    this.baseF = base.toNumber();
    return { feeQuote, realizedPnl: '0' };
  }

  private applyPerpetualFill(fill: Fill): Dec {
    const old = this.position;
    const change = applyFill(old, fill.side, fill.price, fill.qty);
    let margin = dec(this.margin);
    let wallet = dec(this.quote).minus(fill.fee).plus(change.realizedPnl);
    if (!dec(change.closedQty).isZero()) {
      // The closed share of the posted margin returns to the wallet with the realised PnL.
      const released = margin.times(change.closedQty).dividedBy(dec(old.qty).abs());
      margin = margin.minus(released);
      wallet = wallet.plus(released);
    }
    const opened = dec(fill.qty).minus(change.closedQty);
    if (opened.greaterThan(0)) {
      const posted = opened.times(fill.price).dividedBy(this.leverage);
      margin = margin.plus(posted);
      wallet = wallet.minus(posted);
    }
    this.position = change.position;
    this.margin = str(margin);
    this.quote = str(wallet);
    this.refreshFutures();
    return change.realizedPnl;
  }

  /** Applies a funding payment `qty·mark·rate` (longs pay a positive rate) to the isolated margin. */
  applyFunding(mark: Dec, rate: Dec): Dec {
    this.version++;
    const payment = str(dec(this.position.qty).times(mark).times(rate).negated());
    if (dec(payment).isZero()) return '0';
    this.margin = str(dec(this.margin).plus(payment));
    this.refreshFutures();
    return payment;
  }

  /** Closes the position at `price` by liquidation: the whole isolated margin is lost. Returns the loss. */
  liquidate(): Dec {
    this.version++;
    const loss = this.margin;
    this.position = FLAT;
    this.margin = '0';
    this.refreshFutures();
    return loss;
  }

  /** Sets leverage for future position increases. */
  setLeverage(leverage: Dec): void {
    this.version++;
    this.leverage = str(leverage);
  }

  /** The exact state (checkpoints); float shadows are derived from it. */
  state(): LedgerState {
    const { quote, base, reservedQuote, reservedBase, position, margin, leverage } = this;
    return { quote, base, reservedQuote, reservedBase, position, margin, leverage };
  }

  /** Restores a checkpointed state and recomputes the float shadows. */
  restore(state: LedgerState): void {
    this.version++;
    Object.assign(this, state);
    this.baseF = Number(this.base);
    this.refreshFutures();
  }

  /** Bumped by every change, so the strategy's view is rebuilt only when something it shows changed. */
  private version = 0;
  private viewVersion = -1;
  private viewMark: Dec | undefined;
  private lastView: LedgerView | undefined;

  /** The strategy's view of this ledger (reused while nothing it shows changed: strategies run per bar). */
  view(mark: Dec | undefined): LedgerView {
    const stale = this.viewVersion !== this.version || (this.futures && mark !== this.viewMark);
    if (stale || this.lastView === undefined) {
      this.lastView = this.buildView(mark);
      this.viewVersion = this.version;
      this.viewMark = mark;
    }
    return this.lastView;
  }

  private buildView(mark: Dec | undefined): LedgerView {
    const base = {
      quote: str(new D(this.quote).minus(this.reservedQuote)),
      base: str(new D(this.base).minus(this.reservedBase)),
      reservedQuote: this.reservedQuote,
      reservedBase: this.reservedBase,
    };
    if (!this.futures) return base;
    return { ...base, position: this.positionView(mark) };
  }

  private positionView(mark: Dec | undefined): PositionView {
    return {
      qty: this.position.qty,
      entryPrice: this.position.entryPrice,
      leverage: this.leverage,
      margin: this.margin,
      ...(this.liquidation === undefined ? {} : { liquidationPrice: this.liquidation }),
      unrealizedPnl: mark === undefined ? '0' : unrealizedPnl(this.position, mark),
    };
  }

  private refreshFutures(): void {
    this.quoteF = Number(this.quote);
    this.marginF = Number(this.margin);
    this.qtyF = Number(this.position.qty);
    this.entryF = Number(this.position.entryPrice);
    this.liquidation = liquidationPrice(this.margin, this.position, { mmr: this.mmr });
    this.liquidationF =
      this.liquidation === undefined || dec(this.liquidation).isZero()
        ? Number.NaN
        : Number(this.liquidation);
  }
}
