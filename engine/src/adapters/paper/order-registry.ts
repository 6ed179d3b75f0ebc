/**
 * The orders a paper venue remembers: every open one, and the ended ones — all of them by default, as a
 * venue's order history keeps them (a resumed run looks up every order it knew; one it cannot find counts
 * as never placed, so forgetting a filled order would lose its fills). A backtest's venue, which no run
 * resumes against, keeps only the most recent ended orders: a year's backtest ends thousands, and keeping
 * each (and its last snapshot) alive made the garbage collector copy them again and again, while only
 * the runner looks an order up after it ended (right after an unknown submit or a failed cancel).
 */
import type { PaperOrder } from './paper-order.ts';

/** Ended orders a backtest's venue keeps for lookups (the bot kernel keeps its own on a similar scale). */
export const RECENT_TERMINAL_ORDERS = 1024;

/** Open orders in placement order, and a bounded window of recently ended ones. */
export class PaperOrderRegistry {
  /** The open (or partially filled) orders, oldest first: lookups of open orders never scan the history. */
  private readonly openById = new Map<string, PaperOrder>();
  /**
   * The most recently ended orders in the order they ended, as a ring: the slot a new one takes holds
   * the one to forget. Looking an ended order up scans it, which only the rare lookups after a failed
   * submit or cancel do; the fill path touches nothing but the open orders.
   */
  private readonly ended: (PaperOrder | undefined)[];
  private next = 0;
  /** Every ended order by client id, when the registry keeps them all (no `limit`). */
  private readonly history: Map<string, PaperOrder> | undefined;

  /** `limit`: how many ended orders to keep; all when absent. */
  constructor(limit?: number) {
    this.history = limit === undefined ? new Map() : undefined;
    this.ended = new Array<PaperOrder | undefined>(limit ?? 0).fill(undefined);
  }

  /** The open order with this client id. */
  openOrder(clientOrderId: string): PaperOrder | undefined {
    return this.openById.get(clientOrderId);
  }

  /** The order with this client id: the open one, else the one that ended last (a reused id names the newest). */
  get(clientOrderId: string): PaperOrder | undefined {
    return this.openById.get(clientOrderId) ?? this.endedOrder(clientOrderId);
  }

  /** The open orders, oldest first. */
  openOrders(): IterableIterator<PaperOrder> {
    return this.openById.values();
  }

  /** Files a just-accepted open order, whose client id the venue found free (no second lookup). */
  trackNew(order: PaperOrder): void {
    this.openById.set(order.snapshot.clientOrderId, order);
  }

  /** Files an order under its current status: open ones stay listed, ended ones move to the window. */
  track(order: PaperOrder): void {
    const { status, clientOrderId } = order.snapshot;
    const listed = this.openById.get(clientOrderId) === order;
    if (status === 'Open' || status === 'PartiallyFilled') {
      if (!listed) this.openById.set(clientOrderId, order);
    } else if (listed) {
      // Only an open order can end, so each order takes one slot of the ring.
      this.openById.delete(clientOrderId);
      if (this.history) this.history.set(clientOrderId, order);
      else if (this.ended.length > 0) {
        this.ended[this.next] = order;
        this.next = (this.next + 1) % this.ended.length;
      }
    }
  }

  private endedOrder(clientOrderId: string): PaperOrder | undefined {
    if (this.history) return this.history.get(clientOrderId);
    const n = this.ended.length;
    for (let back = 1; back <= n; back++) {
      const order = this.ended[(this.next - back + n) % n];
      if (order?.snapshot.clientOrderId === clientOrderId) return order;
    }
    return undefined;
  }
}
