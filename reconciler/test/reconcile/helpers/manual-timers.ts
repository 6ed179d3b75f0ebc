/** Timers that fire only when the test advances them: backoff and resync tests need no wall clock. */
import type { Timers } from '../../../src/reconcile/work-queue.ts';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** A manual timer set with its own notion of now. */
export class ManualTimers implements Timers {
  now = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Delays of the timers still waiting, relative to now. */
  get delays(): number[] {
    return this.pending.map((p) => p.at - this.now).sort((a, b) => a - b);
  }

  /** Moves time forward and fires every timer that is due, in time order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p.id !== due.id);
      this.now = due.at;
      due.fn();
    }
    this.now = until;
  }
}
