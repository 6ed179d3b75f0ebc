/**
 * Account balances of the paper venue: totals and amounts reserved by open orders per asset, and the
 * account's net position per perpetual (average cost, realised PnL and fees settled in the quote).
 */
import { add, D, dec, div, isZero, lt, mul, str, sub, type Dec } from '../../core/decimal.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill, Side } from '../../model/orders.ts';
import { ExchangeRejectedError, type Balances } from '../../ports/exchange.ts';
import { applyFill, FLAT, type LinearPosition } from '../../strategies/shared/futures.ts';

interface Holding {
  total: Dec;
  used: Dec;
}

/** Balances of one paper account. */
export class PaperBalances {
  private readonly holdings = new Map<string, Holding>();
  private readonly positions = new Map<string, LinearPosition>();

  constructor(initial: Readonly<Record<string, Dec>>) {
    for (const [asset, amount] of Object.entries(initial))
      this.holdings.set(asset, { total: str(amount), used: '0' });
  }

  /** Free and used amounts per asset. */
  snapshot(): Balances {
    const out: Record<string, { free: Dec; used: Dec }> = {};
    for (const [asset, h] of [...this.holdings].sort(([a], [b]) => a.localeCompare(b))) {
      out[asset] = { free: str(dec(h.total).minus(h.used)), used: h.used };
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
    const free = sub(h.total, h.used);
    if (lt(free, needed)) {
      throw new ExchangeRejectedError(
        'insufficient-balance',
        `paper: ${side} ${amount} ${info.symbol} needs ${needed} ${asset}, ${free} free`,
      );
    }
    h.used = add(h.used, needed);
    return needed;
  }

  /** Reserves a restored open order's remaining reservation again (restart; no free-balance check). */
  reserveRestored(info: MarketInfo, side: Side, reserved: Dec): void {
    if (info.type === 'swap' || dec(reserved).isZero()) return;
    const h = this.holding(side === 'buy' ? info.quote : info.base);
    h.used = str(dec(h.used).plus(reserved));
  }

  /**
   * Adds one bot's share of the account back after a restart: its net balance changes per asset and,
   * for a perpetual, its position (merged into the account's net position like a fill at its entry).
   */
  restoreShare(deltas: Readonly<Record<string, Dec>>, symbol?: string, position?: LinearPosition): void {
    for (const [asset, delta] of Object.entries(deltas)) {
      const h = this.holding(asset);
      h.total = str(dec(h.total).plus(delta));
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
    h.used = sub(h.used, reserved);
  }

  /** Books a fill; returns the order's reservation left after it (`remainingBefore` = unfilled before). */
  settle(info: MarketInfo, fill: Fill, reserved: Dec, remainingBefore: Dec): Dec {
    if (info.type === 'swap') {
      this.settlePerpetual(info, fill);
      return '0';
    }
    // A fill of the whole rest releases the whole reservation: r·q/q is r exactly when r·q is exact,
    // which it is while the two texts hold at most 40 digits (the engine's precision) between them.
    const whole = fill.qty === remainingBefore && fill.qty.length + reserved.length <= 40;
    const released = whole ? reserved : div(mul(reserved, fill.qty), remainingBefore);
    const notional = mul(fill.qty, fill.price);
    const base = this.holding(info.base);
    const quote = this.holding(info.quote);
    if (fill.side === 'buy') {
      quote.total = sub(quote.total, notional);
      quote.used = sub(quote.used, released);
      base.total = add(base.total, fill.qty);
    } else {
      base.total = sub(base.total, fill.qty);
      base.used = sub(base.used, released);
      quote.total = add(quote.total, notional);
    }
    const feeHolding = this.holding(fill.feeAsset);
    feeHolding.total = sub(feeHolding.total, fill.fee);
    return whole ? '0' : sub(reserved, released);
  }

  private settlePerpetual(info: MarketInfo, fill: Fill): void {
    const change = applyFill(this.position(info.symbol), fill.side, fill.price, fill.qty);
    this.positions.set(info.symbol, change.position);
    const wallet = this.holding(info.settle ?? info.quote);
    wallet.total = str(new D(wallet.total).plus(change.realizedPnl).minus(fill.fee));
  }

  private holding(asset: string): Holding {
    let h = this.holdings.get(asset);
    if (!h) {
      h = { total: '0', used: '0' };
      this.holdings.set(asset, h);
    }
    return h;
  }
}
