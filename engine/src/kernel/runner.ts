/**
 * Executes a kernel's commands against an exchange port, storing the kernel's events first so every
 * order is on record before it is sent (write-ahead). The same code runs backtests, paper and live.
 * A submit whose outcome is unknown is resolved by looking the order up, never by sending it again.
 */
import type { HistoryStore } from '../ports/store.ts';
import { ExchangeRejectedError, type ExchangePort } from '../ports/exchange.ts';
import type { OrderStatus } from '../model/orders.ts';
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
export async function settle(
  kernel: BotKernel,
  exchange: ExchangePort,
  store: HistoryStore,
  delay?: Delay,
): Promise<void> {
  let rejections = 0;
  for (;;) {
    if (kernel.log.pending) await store.append(kernel.log.take());
    const commands = kernel.takeCommands();
    if (commands.length === 0) {
      if (!kernel.log.pending) return;
      continue;
    }
    for (const command of commands) {
      const rejected = await execute(kernel, exchange, command, delay);
      if (rejected !== undefined && ++rejections >= MAX_REJECTIONS_PER_SETTLE) {
        kernel.haltAfterRejections(rejections, rejected);
      }
      // Later commands may be placements made while this one ran; their intents must be stored first.
      if (kernel.log.pending) await store.append(kernel.log.take());
    }
  }
}

async function execute(
  kernel: BotKernel,
  exchange: ExchangePort,
  command: Command,
  delay?: Delay,
): Promise<string | undefined> {
  const { record } = command;
  if (command.type === 'place') {
    try {
      kernel.onPlaced(record, await exchange.createOrder(record.request));
    } catch (error) {
      if (!(error instanceof ExchangeRejectedError)) {
        await resolveUnknown(kernel, exchange, command, error, delay);
        return undefined;
      }
      kernel.flow.onRejected(record, error.code, error.message);
      return `${error.code}: ${error.message}`;
    }
    return undefined;
  }
  try {
    await cancel(kernel, exchange, record);
  } finally {
    kernel.flow.cancelDone(record);
  }
  if (command.then && statusOf(record) === 'Cancelled') kernel.flow.place(command.then);
  return undefined;
}

async function cancel(kernel: BotKernel, exchange: ExchangePort, record: OrderRecord): Promise<void> {
  if (record.status !== 'Open' && record.status !== 'PartiallyFilled' && record.status !== 'PendingSubmit')
    return;
  try {
    kernel.flow.onOrder(await exchange.cancelOrder(record.clientOrderId, record.request.symbol));
  } catch (error) {
    // "Unknown order" on cancel means: look again, it may have filled (§8.6); never assume cancelled.
    const found = await exchange.fetchOrder(record.clientOrderId, record.request.symbol);
    if (found) kernel.flow.onOrder(found);
    else if (!(error instanceof ExchangeRejectedError)) throw error;
  }
}

/** Reads the status afresh: the awaited call above changed it. */
const statusOf = (record: OrderRecord): OrderStatus => record.status;

async function resolveUnknown(
  kernel: BotKernel,
  exchange: ExchangePort,
  command: Command,
  error: unknown,
  delay?: Delay,
): Promise<void> {
  const { record } = command;
  kernel.flow.onUnknown(record, error instanceof Error ? error.message : String(error));
  for (const wait of UNKNOWN_LOOKUPS_MS) {
    if (delay) await delay(wait);
    const found = await exchange.fetchOrder(record.clientOrderId, record.request.symbol);
    if (found) {
      kernel.onPlaced(record, found);
      return;
    }
  }
  kernel.flow.onNotPlaced(record);
}
