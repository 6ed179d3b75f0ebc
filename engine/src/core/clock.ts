/** Time and identity sources are injected so the core is deterministic (STYLE.md). */

/** Milliseconds since the Unix epoch, UTC. */
export type EpochMs = number;

/** A source of the current time. Backtests use a simulated clock; live code a wall clock adapter. */
export interface Clock {
  now(): EpochMs;
}

/** A clock whose time only moves when told to (backtests and tests). */
export class ManualClock implements Clock {
  private current: EpochMs;
  constructor(start: EpochMs) {
    this.current = start;
  }
  now(): EpochMs {
    return this.current;
  }
  /** Moves the clock to `ts`; time never goes backwards. */
  set(ts: EpochMs): void {
    if (ts < this.current) throw new RangeError(`clock cannot go back from ${this.current} to ${ts}`);
    this.current = ts;
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
}
