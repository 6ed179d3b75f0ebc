/**
 * Executes a kernel's commands against an exchange port, storing the kernel's events first so every
 * order is on record before it is sent (write-ahead). The same code runs backtests, paper and live.
 * A submit whose outcome is unknown is resolved by looking the order up, never by sending it again.
 *
 * A settlement is a loop of small steps, each of which either finishes at once or returns a promise to
 * wait for; it waits only for such promises. Against a venue and a store that answer at once (the paper
 * venue's immediate calls, the memory store) a whole settlement runs without a single wait, which the
 * backtest's bar walk relies on for speed; against any other port the very same steps wait as needed.
 */
import { APPENDED, type HistoryStore } from '../ports/store.ts';
import { ExchangeRejectedError, type OrderCalls } from '../ports/exchange.ts';
import type { OrderSnapshot } from '../model/orders.ts';
import type { BotKernel, Command } from './bot-kernel.ts';
import type { OrderRecord } from './order-book.ts';

/** How a runner waits between lookups of an order in state Unknown (injected; none in backtests). */
export type Delay = (ms: number) => Promise<void>;

/** Lookup schedule for unknown submits (dca-twap-risk.md §8.3: 2 s, 5 s, 10 s, 20 s). */
const UNKNOWN_LOOKUPS_MS = [2_000, 5_000, 10_000, 20_000];

/**
 * Venue rejections in one settle (no market data arrives during it) after which the bot is halted: a
 * strategy that re-places a refused order would otherwise loop here forever, starving every other bot.
 */
export const MAX_REJECTIONS_PER_SETTLE = 20;

/** Runs commands until the kernel is idle, appending its events to the store before each batch. */
export function settle(
  kernel: BotKernel,
  exchange: OrderCalls,
  store: HistoryStore,
  delay?: Delay,
): Promise<void> {
  try {
    return settleSoon(kernel, exchange, store, delay) ?? SETTLED;
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Like `settle`, but returns a promise only when some call had to be waited for: undefined means the
 * kernel is idle already. Throws what `settle` would reject with when nothing was waited for.
 */
export function settleSoon(
  kernel: BotKernel,
  exchange: OrderCalls,
  store: HistoryStore,
  delay?: Delay,
): Promise<void> | undefined {
  return new Settlement(exchange, store, delay).begin(kernel).run();
}

/**
 * Settles kernels against fixed ports for a caller that settles often (the bar walk settles at every
 * fill): a settlement that finished at once is kept for the next one instead of made anew.
 */
export class Settler {
  private readonly exchange: OrderCalls;
  private readonly store: HistoryStore;
  private idle: Settlement | undefined;

  constructor(exchange: OrderCalls, store: HistoryStore) {
    this.exchange = exchange;
    this.store = store;
  }

  /** As `settleSoon(kernel, exchange, store)`. */
  settleSoon(kernel: BotKernel): Promise<void> | undefined {
    const settlement = this.idle ?? new Settlement(this.exchange, this.store, undefined);
    // Taken while it runs: a kernel settled meanwhile (while this one waits) gets a settlement of its own.
    this.idle = undefined;
    const wait = settlement.begin(kernel).run();
    if (wait === undefined) this.idle = settlement;
    return wait;
  }
}

const SETTLED: Promise<void> = Promise.resolve();

type CancelCommand = Extract<Command, { readonly type: 'cancel' }>;

/** What a step returns: undefined when it finished at once, else the promise of its end. */
type Wait = Promise<unknown> | undefined;

/** The step that found nothing left to do. */
const IDLE: Promise<unknown> = Promise.resolve();

const NO_COMMANDS: readonly Command[] = [];

/** One settle of one kernel: the batch of commands being executed and the rejections so far. */
class Settlement {
  private kernel!: BotKernel;
  private readonly exchange: OrderCalls;
  private readonly store: HistoryStore;
  private readonly delay: Delay | undefined;
  private batch = NO_COMMANDS;
  private next = 0;
  private rejections = 0;

  constructor(exchange: OrderCalls, store: HistoryStore, delay: Delay | undefined) {
    this.exchange = exchange;
    this.store = store;
    this.delay = delay;
  }

  /** Starts a settle of `kernel` (a settlement is reused only once it is idle). */
  begin(kernel: BotKernel): this {
    this.kernel = kernel;
    this.batch = NO_COMMANDS;
    this.next = 0;
    this.rejections = 0;
    return this;
  }

  /** Runs steps until the kernel is idle (undefined) or one has to wait (the promise of the rest). */
  run(): Promise<void> | undefined {
    for (;;) {
      const wait = this.step();
      if (wait === IDLE) return undefined;
      if (wait !== undefined) return wait.then(() => this.run());
    }
  }

  /**
   * Stores pending events, else executes the next command of the batch, else takes the next batch.
   * Storing comes first: a command may queue placements whose intents must be on record before they go.
   */
  private step(): Wait {
    const { kernel } = this;
    if (kernel.log.pending) {
      const stored = this.store.append(kernel.log.take());
      return stored === APPENDED ? undefined : stored;
    }
    const command = this.batch[this.next];
    if (command !== undefined) {
      this.next++;
      return command.type === 'place' ? this.place(command.record) : this.cancel(command);
    }
    // Every event is stored by now, so the kernel is busy only with commands still to take.
    if (!kernel.busy) return IDLE;
    this.batch = kernel.takeCommands();
    this.next = 0;
    return undefined;
  }

  private place(record: OrderRecord): Wait {
    try {
      const answer = this.exchange.createOrder(record.request);
      if (answer instanceof Promise) {
        return answer
          .then((snapshot) => this.kernel.onPlaced(record, snapshot))
          .catch((error: unknown) => this.placeFailed(record, error));
      }
      this.kernel.onPlaced(record, answer);
      return undefined;
    } catch (error) {
      return this.placeFailed(record, error);
    }
  }

  private placeFailed(record: OrderRecord, error: unknown): Wait {
    if (!(error instanceof ExchangeRejectedError)) return this.resolveUnknown(record, error);
    this.kernel.flow.onRejected(record, error.code, error.message);
    if (++this.rejections >= MAX_REJECTIONS_PER_SETTLE)
      this.kernel.haltAfterRejections(this.rejections, `${error.code}: ${error.message}`);
    return undefined;
  }

  private async resolveUnknown(record: OrderRecord, error: unknown): Promise<void> {
    const { kernel, exchange } = this;
    kernel.flow.onUnknown(record, error instanceof Error ? error.message : String(error));
    for (const wait of UNKNOWN_LOOKUPS_MS) {
      if (this.delay) await this.delay(wait);
      const found = await exchange.fetchOrder(record.clientOrderId, record.request.symbol);
      if (found) {
        kernel.onPlaced(record, found);
        return;
      }
    }
    kernel.flow.onNotPlaced(record);
  }

  /** Cancels, then places the command's follow-up order if the cancel took. */
  private cancel(command: CancelCommand): Wait {
    const { record } = command;
    let wait: Wait;
    try {
      wait = this.requestCancel(record);
    } catch (error) {
      this.kernel.flow.cancelDone(record);
      throw error;
    }
    if (wait === undefined) return this.cancelDone(command);
    return wait.then(
      () => this.cancelDone(command),
      (error: unknown) => {
        this.kernel.flow.cancelDone(record);
        throw error;
      },
    );
  }

  private cancelDone(command: CancelCommand): undefined {
    const { record } = command;
    this.kernel.flow.cancelDone(record);
    if (command.then && record.status === 'Cancelled') this.kernel.flow.place(command.then);
    return undefined;
  }

  private requestCancel(record: OrderRecord): Wait {
    const { status } = record;
    if (status !== 'Open' && status !== 'PartiallyFilled' && status !== 'PendingSubmit') return undefined;
    try {
      const answer = this.exchange.cancelOrder(record.clientOrderId, record.request.symbol);
      if (answer instanceof Promise) {
        return answer
          .then((order) => this.kernel.flow.onOrder(order))
          .catch((error: unknown) => this.lookAfterFailedCancel(record, error));
      }
      this.kernel.flow.onOrder(answer);
      return undefined;
    } catch (error) {
      return this.lookAfterFailedCancel(record, error);
    }
  }

  /** "Unknown order" on cancel means: look again, it may have filled (§8.6); never assume cancelled. */
  private lookAfterFailedCancel(record: OrderRecord, error: unknown): Wait {
    const found = this.exchange.fetchOrder(record.clientOrderId, record.request.symbol);
    if (found instanceof Promise) return found.then((order) => this.foundAfterFailedCancel(order, error));
    return this.foundAfterFailedCancel(found, error);
  }

  private foundAfterFailedCancel(found: OrderSnapshot | undefined, error: unknown): undefined {
    if (found) this.kernel.flow.onOrder(found);
    else if (!(error instanceof ExchangeRejectedError)) throw error;
    return undefined;
  }
}
