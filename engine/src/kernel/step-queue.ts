/**
 * Runs strategy events one at a time, in arrival order: an event raised while the strategy is being
 * stepped (a denial, an instant fill) waits for the current step to finish. A strategy that answers
 * its own events without end (re-placing a denied order, say) is stopped after `maxSteps`.
 */
import type { StrategyEvent } from './strategy.ts';

/** A re-entrancy-safe event queue for one strategy. */
export class StepQueue {
  private readonly inbox: StrategyEvent[] = [];
  private draining = false;
  private readonly step: (event: StrategyEvent) => void;
  private readonly runaway: (event: StrategyEvent, steps: number) => void;
  private readonly maxSteps: number;

  constructor(
    step: (event: StrategyEvent) => void,
    runaway: (event: StrategyEvent, steps: number) => void,
    maxSteps = 1_000,
  ) {
    this.step = step;
    this.runaway = runaway;
    this.maxSteps = maxSteps;
  }

  /** Queues an event and, unless a step is running, steps until the queue is empty. */
  push(event: StrategyEvent): void {
    if (this.draining) {
      this.inbox.push(event);
      return;
    }
    this.draining = true;
    try {
      // Usually the inbox is empty and this event is stepped at once; events left behind by a step
      // that threw arrived first and go first.
      let next: StrategyEvent | undefined = event;
      if (this.inbox.length > 0) {
        this.inbox.push(event);
        next = this.inbox.shift();
      }
      let steps = 0;
      for (; next !== undefined; next = this.inbox.shift()) {
        if (++steps > this.maxSteps) {
          this.inbox.length = 0;
          this.runaway(next, this.maxSteps);
          break;
        }
        this.step(next);
      }
    } finally {
      this.draining = false;
    }
  }
}
