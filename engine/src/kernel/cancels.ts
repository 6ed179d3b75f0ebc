/**
 * The cancels of one bot's order flow (order-flow.ts) not yet confirmed by the venue, and the places
 * waiting for them: balance held by an order being cancelled is not free until the cancel is confirmed
 * (it may still fill; dca-twap-risk §8.6), so a place refused for budget on that side waits instead.
 */
import type { OrderRecord } from './order-book.ts';
import type { PlaceIntent } from './strategy.ts';

/** An exchange cancel for the runner to make; with `then`, the replacement placed once it is cancelled. */
export interface CancelCommand {
  readonly type: 'cancel';
  readonly record: OrderRecord;
  then?: PlaceIntent;
}

/** Unconfirmed cancels by order key, and the places deferred behind them. */
export class PendingCancels {
  private readonly byKey = new Map<string, CancelCommand>();
  private deferred: PlaceIntent[] = [];

  /** The unconfirmed cancel of the order with `key`, if any. */
  get(key: string): CancelCommand | undefined {
    return this.byKey.get(key);
  }

  /** Tracks a cancel sent for its record's key. */
  track(command: CancelCommand): void {
    this.byKey.set(command.record.key, command);
  }

  /** Cancels not yet confirmed (checkpoints keep them: a resumed run sends them again). */
  list(): { readonly key: string; readonly clientOrderId: string; readonly then?: PlaceIntent }[] {
    return [...this.byKey.values()].map((c) => ({
      key: c.record.key,
      clientOrderId: c.record.clientOrderId,
      ...(c.then === undefined ? {} : { then: c.then }),
    }));
  }

  /** Defers a place until no cancel on its side is in flight. */
  defer(intent: PlaceIntent): void {
    this.deferred.push(intent);
  }

  /** Forgets the cancel of `record`; returns the deferred places whose side has no cancel left in flight. */
  done(record: OrderRecord): PlaceIntent[] {
    if (this.byKey.get(record.key)?.record === record) this.byKey.delete(record.key);
    if (this.deferred.length === 0) return [];
    const ready = this.deferred.filter((intent) => !this.onSide(intent.side));
    this.deferred = this.deferred.filter((intent) => this.onSide(intent.side));
    return ready;
  }

  /** Whether an order on `side` is being cancelled. */
  onSide(side: PlaceIntent['side']): boolean {
    for (const pending of this.byKey.values()) if (pending.record.request.side === side) return true;
    return false;
  }
}
