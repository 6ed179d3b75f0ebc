/**
 * A de-duplicating work queue with per-key backoff (controller-runtime's workqueue, in small). A key
 * added while queued is queued once; a key added while being processed is processed once more after
 * the current pass (it may have changed meanwhile). One batch is processed at a time, so passes never
 * race each other on the engine. A failed key waits a capped exponential delay with jitter; a new
 * `add` (a new revision, a webhook) still wakes it at once, so backoff never hides a fix.
 */
import { backoffDelay, type BackoffPolicy } from './backoff.ts';

/** What a pass decided for one key: done, retry with backoff, or look again after a delay. */
export type KeyOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly error: unknown }
  | { readonly kind: 'requeueAfter'; readonly ms: number };

/** Processes a batch of keys and returns one outcome per key (missing keys count as done). */
export type BatchWorker = (keys: readonly string[]) => Promise<ReadonlyMap<string, KeyOutcome>>;

/** Timer functions, injectable so tests need no wall clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers; delayed retries must not keep the process alive on shutdown. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Options of a work queue. */
export interface WorkQueueOptions {
  readonly worker: BatchWorker;
  readonly backoff: BackoffPolicy;
  readonly timers?: Timers;
  /** Most keys per batch. */
  readonly batchSize?: number;
  /** Called when the worker itself throws (every key of the batch is then retried). */
  readonly onError?: (error: unknown) => void;
}

/** The de-duplicating, backoff-aware queue that drives reconcile passes. */
export class WorkQueue {
  private readonly options: WorkQueueOptions;
  private readonly timers: Timers;
  private readonly queued = new Set<string>();
  private readonly delayed = new Map<string, unknown>();
  private readonly failures = new Map<string, number>();
  private processing: ReadonlySet<string> = new Set();
  private dirty = new Set<string>();
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(options: WorkQueueOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
  }

  /** Queues a key for the next pass (now). */
  add(key: string): void {
    if (this.stopped) return;
    this.cancelDelay(key);
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.queued.add(key);
    this.kick();
  }

  /** Queues a key after `ms` unless it is added sooner. */
  addAfter(key: string, ms: number): void {
    if (this.stopped || this.queued.has(key) || this.delayed.has(key)) return;
    const handle = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, handle);
  }

  /** Consecutive failures of a key (0 after a success). */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys waiting for a delayed retry or requeue. */
  get waiting(): number {
    return this.delayed.size;
  }

  /** Resolves when nothing is queued or being processed (delayed keys do not count). */
  idle(): Promise<void> {
    if (!this.running && this.queued.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops intake and delayed retries, then waits for the pass in flight to finish. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const handle of this.delayed.values()) this.timers.clearTimeout(handle);
    this.delayed.clear();
    this.queued.clear();
    this.dirty.clear();
    await this.running;
    this.notifyIdle();
  }

  private cancelDelay(key: string): void {
    const handle = this.delayed.get(key);
    if (handle === undefined) return;
    this.timers.clearTimeout(handle);
    this.delayed.delete(key);
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      // A key may have been added between the loop's last check and here.
      if (this.queued.size > 0 && !this.stopped) this.kick();
      else this.notifyIdle();
    });
  }

  private async loop(): Promise<void> {
    // Let the caller finish adding keys, so a burst of adds becomes one batch.
    await Promise.resolve();
    while (this.queued.size > 0 && !this.stopped) {
      const batch = [...this.queued].slice(0, this.options.batchSize ?? 10_000);
      for (const key of batch) this.queued.delete(key);
      this.processing = new Set(batch);
      let outcomes: ReadonlyMap<string, KeyOutcome>;
      try {
        outcomes = await this.options.worker(batch);
      } catch (error) {
        this.options.onError?.(error);
        outcomes = new Map(batch.map((key) => [key, { kind: 'retry', error }] as const));
      }
      this.processing = new Set();
      for (const key of batch) this.settle(key, outcomes.get(key) ?? { kind: 'done' });
      const dirty = this.dirty;
      this.dirty = new Set();
      for (const key of dirty) this.add(key);
    }
  }

  private settle(key: string, outcome: KeyOutcome): void {
    switch (outcome.kind) {
      case 'done':
        this.failures.delete(key);
        return;
      case 'requeueAfter':
        this.failures.delete(key);
        this.addAfter(key, outcome.ms);
        return;
      case 'retry': {
        const failures = this.failuresOf(key) + 1;
        this.failures.set(key, failures);
        if (!this.dirty.has(key)) this.addAfter(key, backoffDelay(failures, this.options.backoff));
        return;
      }
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
