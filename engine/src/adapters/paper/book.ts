/**
 * The resting orders of one paper market, kept sorted the way a falling or rising price meets them:
 * buys by price descending, sells ascending, ties by arrival. Prices are compared as floats, which is
 * exact for prices of ≤ 15 significant digits (every tick-rounded price the engine sends).
 */
import type { Dec } from '../../core/decimal.ts';
import type { OrderSnapshot, Side } from '../../model/orders.ts';

/** A resting paper order. `remaining` is exact; `priceF` is the float image of `price`. */
export interface RestingOrder {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly price: Dec;
  readonly priceF: number;
  readonly arrival: number;
}

/** Sorted resting buys and sells of one market. */
export class OrderBook {
  /** Best (highest) buy first. */
  readonly buys: RestingOrder[] = [];
  /** Best (lowest) sell first. */
  readonly sells: RestingOrder[] = [];

  add(order: RestingOrder): void {
    const buy = order.side === 'buy';
    const list = buy ? this.buys : this.sells;
    const p = order.priceF;
    // From the back: an order goes behind every order at least as good (ties keep arrival order).
    let i = list.length;
    while (i > 0 && (buy ? p > list[i - 1]!.priceF : p < list[i - 1]!.priceF)) i--;
    // The ends without `splice`, which makes an array of the (no) removed orders at every call: a grid's
    // counter order is usually the new best one, and a fresh book fills from the back.
    if (i === 0) list.unshift(order);
    else if (i === list.length) list.push(order);
    else list.splice(i, 0, order);
  }

  remove(clientOrderId: string, side: Side): void {
    const list = side === 'buy' ? this.buys : this.sells;
    // A filled order is usually the best one: the price reaches the front of the list first.
    if (list[0]?.clientOrderId === clientOrderId) {
      list.shift();
      return;
    }
    const i = list.findIndex((o) => o.clientOrderId === clientOrderId);
    if (i >= 0) list.splice(i, 1);
  }

  /**
   * The first resting price a move from `from` to `to` meets (inclusive of `to`), or NaN. Orders at or
   * beyond `from` filled already when the price got there, so only the best order on the side the
   * move travels towards can be next.
   */
  nextTrigger(from: number, to: number): number {
    if (to < from) {
      const best = this.buys[0];
      return best !== undefined && best.priceF >= to ? best.priceF : Number.NaN;
    }
    if (to > from) {
      const best = this.sells[0];
      return best !== undefined && best.priceF <= to ? best.priceF : Number.NaN;
    }
    return Number.NaN;
  }

  /** True when a price of `p` reaches a resting order (the best orders are first, so only they count). */
  reachedBy(p: number): boolean {
    const buy = this.buys[0];
    const sell = this.sells[0];
    return (buy !== undefined && buy.priceF >= p) || (sell !== undefined && sell.priceF <= p);
  }

  /**
   * Writes the resting orders a price of `p` reaches to `out` from index 0, in the order the price meets
   * them, and returns how many there are (`out` may be longer: a reused array).
   */
  crossedBy(p: number, out: (RestingOrder | undefined)[]): number {
    // Indexed loops: no iterator objects on the fill path.
    const { buys, sells } = this;
    let n = 0;
    for (let i = 0; i < buys.length && buys[i]!.priceF >= p; i++) out[n++] = buys[i];
    for (let i = 0; i < sells.length && sells[i]!.priceF <= p; i++) out[n++] = sells[i];
    return n;
  }

  /**
   * True when no resting order lies within [lowF, highF], so a path inside that range fills nothing
   * (strict float comparisons decide it exactly: float images keep the decimals' order).
   */
  quietWithin(lowF: number, highF: number): boolean {
    const buy = this.buys[0];
    const sell = this.sells[0];
    return (buy === undefined || buy.priceF < lowF) && (sell === undefined || sell.priceF > highF);
  }

  /** The open price band (best resting buy, best resting sell; ∓Infinity for none): a path strictly inside it fills nothing. */
  quietBand(): { below: number; above: number } {
    return {
      below: this.buys[0]?.priceF ?? Number.NEGATIVE_INFINITY,
      above: this.sells[0]?.priceF ?? Number.POSITIVE_INFINITY,
    };
  }

  get size(): number {
    return this.buys.length + this.sells.length;
  }
}

/** The book entry of a resting limit order (`priceF` is the float image of `price`). */
export function restingOf(order: OrderSnapshot, price: Dec, priceF: number, arrival: number): RestingOrder {
  return { clientOrderId: order.clientOrderId, side: order.side, price, priceF, arrival };
}
