/**
 * Account balances of the paper venue: totals and amounts reserved by open orders per asset, and the
 * account's net position per perpetual (average cost, realised PnL and fees settled in the quote).
 */
import { D, dec, div, isZero, mul, str, sub, type Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill, Side } from '../../model/orders.ts';
import { ExchangeRejectedError, type Balances } from '../../ports/exchange.ts';
import { applyFill, FLAT, type LinearPosition } from '../../strategies/shared/futures.ts';
import { RunningAmount } from '../../core/running-amount.ts';

/** One asset of the account: its total and the part reserved by open orders. */
interface Holding {
  readonly total: RunningAmount;
  readonly used: RunningAmount;
}

/** Balances of one paper account. */
export class PaperBalances {
  private readonly holdings = new Map<string, Holding>();
  private readonly positions = new Map<string, LinearPosition>();

  constructor(initial: Readonly<Record<string, Dec>>) {
    for (const [asset, amount] of Object.entries(initial))
      this.holdings.set(asset, { total: new RunningAmount(str(amount)), used: new RunningAmount() });
  }

  /** Free and used amounts per asset. */
  snapshot(): Balances {
    const out: Record<string, { free: Dec; used: Dec }> = {};
    for (const [asset, h] of [...this.holdings].sort(([a], [b]) => a.localeCompare(b))) {
      out[asset] = { free: sub(h.total.value(), h.used.value()), used: h.used.value() };
    }
    return out;
  }

  /** The account's net position in a perpetual. */
  position(symbol: string): LinearPosition {
    return this.positions.get(symbol) ?? FLAT;
  }

  /**
   * Reserves what an order may spend (spot: quote for buys at `price`, base for sells); perpetual
   * margin is kept per bot by the engine, so the account reserves nothing. Throws when free is short.
   */
  reserve(info: MarketInfo, side: Side, amount: Dec, price: Dec, reduceOnly: boolean): Dec {
    if (info.type === 'swap' || reduceOnly) return '0';
    const asset = side === 'buy' ? info.quote : info.base;
    const needed = side === 'buy' ? mul(amount, price) : str(amount);
    const h = this.holding(asset);
    // free < needed ⟺ total < used + needed (exact): reserve, and give it back when that is too much.
    h.used.change(needed, 1);
    if (h.total.lessThan(h.used)) {
      h.used.change(needed, -1);
      const free = sub(h.total.value(), h.used.value());
      throw new ExchangeRejectedError(
        'insufficient-balance',
        `paper: ${side} ${amount} ${info.symbol} needs ${needed} ${asset}, ${free} free`,
      );
    }
    return needed;
  }

  /** Reserves a restored open order's remaining reservation again (restart; no free-balance check). */
  reserveRestored(info: MarketInfo, side: Side, reserved: Dec): void {
    if (info.type === 'swap' || dec(reserved).isZero()) return;
    const h = this.holding(side === 'buy' ? info.quote : info.base);
    h.used.change(reserved, 1);
  }

  /**
   * Adds one bot's share of the account back after a restart: its net balance changes per asset and,
   * for a perpetual, its position (merged into the account's net position like a fill at its entry).
   */
  restoreShare(deltas: Readonly<Record<string, Dec>>, symbol?: string, position?: LinearPosition): void {
    for (const [asset, delta] of Object.entries(deltas)) {
      const h = this.holding(asset);
      h.total.change(delta, 1);
    }
    if (symbol === undefined || position === undefined || dec(position.qty).isZero()) return;
    const qty = dec(position.qty);
    const side = qty.isNegative() ? 'sell' : 'buy';
    const merged = applyFill(this.position(symbol), side, position.entryPrice, str(qty.abs()));
    this.positions.set(symbol, merged.position);
  }

  /** Gives back an order's remaining reservation (cancel). */
  release(info: MarketInfo, side: Side, reserved: Dec): void {
    if (info.type === 'swap' || isZero(reserved)) return;
    const h = this.holding(side === 'buy' ? info.quote : info.base);
    h.used.change(reserved, -1);
  }

  /**
   * Books a fill; returns the order's reservation left after it (`remainingBefore` = unfilled before).
   * `notional` (qty × price) may be passed when the caller computed it already (for the fee).
   */
  settle(info: MarketInfo, fill: Fill, reserved: Dec, remainingBefore: Dec, notional?: Dec): Dec {
    if (info.type === 'swap') {
      this.settlePerpetual(info, fill);
      return '0';
    }
    // A fill of the whole rest releases the whole reservation: r·q/q is r exactly when r·q is exact,
    // which it is while the two texts hold at most 40 digits (the engine's precision) between them.
    const whole = fill.qty === remainingBefore && fill.qty.length + reserved.length <= 40;
    const released = whole ? reserved : div(mul(reserved, fill.qty), remainingBefore);
    const value = notional ?? mul(fill.qty, fill.price);
    const base = this.holding(info.base);
    const quote = this.holding(info.quote);
    if (fill.side === 'buy') {
      quote.total.change(value, -1);
      quote.used.change(released, -1);
      base.total.change(fill.qty, 1);
    } else {
      base.total.change(fill.qty, -1);
      base.used.change(released, -1);
      quote.total.change(value, 1);
    }
    // The fee is a change of its own (a zero fee changes nothing): a running total adds it exactly, for
    // less than writing out the text of value ± fee would cost first.
    if (fill.fee !== '0') this.holding(fill.feeAsset).total.change(fill.fee, -1);
    return whole ? '0' : sub(reserved, released);
  }

  private settlePerpetual(info: MarketInfo, fill: Fill): void {
    const change = applyFill(this.position(info.symbol), fill.side, fill.price, fill.qty);
    this.positions.set(info.symbol, change.position);
    const wallet = this.holding(info.settle ?? info.quote);
    wallet.total.set(str(new D(wallet.total.value()).plus(change.realizedPnl).minus(fill.fee)));
  }

  private holding(asset: string): Holding {
    let h = this.holdings.get(asset);
    if (!h) {
      h = { total: new RunningAmount(), used: new RunningAmount() };
      this.holdings.set(asset, h);
    }
    return h;
  }
}
