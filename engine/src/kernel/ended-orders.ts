/**
 * The ended orders a bot's book still answers for by client id. A venue may report a fill after the
 * order's end (dca-twap-risk.md §8.4 step 7, §8.5), so an ended record is kept while it ended less than
 * the fill lookback ago on the run's clock, or while it is among the last ENDED_KEEP_COUNT ended,
 * whichever keeps it longer; after that a fill naming it is ignored like one for an unknown id.
 * Forgetting promptly matters in long runs: every record kept alive is copied by each young-generation
 * collection.
 */
import type { OrderRecord } from './order-book.ts';

/** How long an ended order stays known: the same 10 minutes live recovery looks back for missed fills. */
export const ENDED_LOOKBACK_MS = 10 * 60_000;
/** How many of the latest ended orders stay known however long ago they ended. */
export const ENDED_KEEP_COUNT = 64;
/** First ring size: a power of two above the count kept, so a run that keeps only that never grows it. */
const FIRST_CAPACITY = 128;

/** Ended order records in the order they ended, with their end times, in a ring that grows when full. */
export class EndedOrders {
  private records: (OrderRecord | undefined)[] = new Array<OrderRecord | undefined>(FIRST_CAPACITY).fill(
    undefined,
  );
  private endedAt = new Float64Array(FIRST_CAPACITY);
  /** Ring index of the oldest record kept, and how many are kept. */
  private head = 0;
  private count = 0;

  /** How many ended records are kept. */
  get size(): number {
    return this.count;
  }

  /** Notes that `record` ended at `ts`. */
  push(record: OrderRecord, ts: number): void {
    if (this.count === this.records.length) this.grow();
    const at = (this.head + this.count) & (this.records.length - 1);
    this.records[at] = record;
    this.endedAt[at] = ts;
    this.count++;
  }

  /** Hands `forget` each record that may be forgotten at `now`, oldest first, and drops it. */
  expire(now: number, forget: (record: OrderRecord) => void): void {
    const mask = this.records.length - 1;
    while (this.count > ENDED_KEEP_COUNT && now - this.endedAt[this.head]! >= ENDED_LOOKBACK_MS) {
      forget(this.records[this.head]!);
      this.records[this.head] = undefined; // no longer reachable from here
      this.head = (this.head + 1) & mask;
      this.count--;
    }
  }

  /** Doubles the ring (records ending faster than the lookback forgets them), oldest first again. */
  private grow(): void {
    const capacity = this.records.length;
    const records = new Array<OrderRecord | undefined>(capacity * 2).fill(undefined);
    const endedAt = new Float64Array(capacity * 2);
    for (let i = 0; i < capacity; i++) {
      const from = (this.head + i) & (capacity - 1);
      records[i] = this.records[from];
      endedAt[i] = this.endedAt[from]!;
    }
    this.records = records;
    this.endedAt = endedAt;
    this.head = 0;
  }
}
