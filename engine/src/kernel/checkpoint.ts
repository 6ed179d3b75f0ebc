/**
 * A kernel checkpoint: everything needed to continue a bot's run after a restart (strategy state and
 * wake request, order book with attempts, ledger, metrics accumulators, run id and next seq), as
 * deterministic, versioned JSON. The runner writes one with every event batch it appends, so the stored
 * checkpoint always describes the run exactly as of its last stored event (dca-twap-risk.md §8.4).
 */
import type { Dec } from '../core/decimal.ts';
import type { OrderRole } from '../core/ids.ts';
import type { OrderRequest, OrderStatus } from '../model/orders.ts';
import type { BotKernel } from './bot-kernel.ts';
import type { SavedStrategy } from './run-events.ts';
import type { LedgerState } from './ledger.ts';
import { TradeIds, type OrderRecord } from './order-book.ts';
import type { PlaceIntent } from './strategy.ts';
import { compactCurve, restoreMetrics, saveMetrics, type MetricsState } from './checkpoint-metrics.ts';

export type { MetricsState } from './checkpoint-metrics.ts';

/** The checkpoint format version; readers refuse newer ones. */
export const CHECKPOINT_SCHEMA_VERSION = 1;

/** One live order as a checkpoint keeps it. */
export interface OrderRecordState {
  readonly key: string;
  readonly clientOrderId: string;
  readonly role: OrderRole;
  readonly idx: number;
  readonly request: OrderRequest;
  readonly status: OrderStatus;
  readonly filled: Dec;
  readonly reserved: Dec;
  readonly tradeIds: readonly string[];
}

/** A cancel the venue has not confirmed yet, with the order to place once it is (amend). */
export interface PendingCancelState {
  readonly key: string;
  readonly clientOrderId: string;
  readonly then?: PlaceIntent;
}

/** Everything needed to continue one run. `venue` and `cursor` belong to the runner (paper: its slice). */
export interface KernelCheckpoint {
  readonly schemaVersion: typeof CHECKPOINT_SCHEMA_VERSION;
  readonly botKey: string;
  readonly runId: string;
  readonly runNumber: number;
  /** The seq of the last event this checkpoint follows; the resumed log continues at seq + 1. */
  readonly seq: number;
  readonly revision: string;
  /** Clock time the checkpoint was taken. */
  readonly ts: number;
  readonly strategy: string;
  readonly account: string;
  readonly market: string;
  readonly params: unknown;
  readonly budget: { readonly quote: Dec; readonly base?: Dec };
  readonly saved: SavedStrategy;
  readonly orders: readonly OrderRecordState[];
  readonly attempts: readonly (readonly [string, number])[];
  readonly pendingCancels: readonly PendingCancelState[];
  readonly ledger: LedgerState;
  readonly metrics: MetricsState;
  /** Market time of the last bar the run processed (paced replays continue after it). */
  readonly cursor?: number;
  /** The runner's venue state the bot depends on (paper: its open orders and balance share). */
  readonly venue?: unknown;
}

/** What the runner adds to a kernel's checkpoint. */
export interface CheckpointExtras {
  readonly params: unknown;
  readonly cursor?: number;
  readonly venue?: unknown;
}

/** Takes a checkpoint of `kernel` as it stands now (call it when its pending events are being stored). */
export function checkpointOf(kernel: BotKernel, extras: CheckpointExtras): KernelCheckpoint {
  const { options, log } = kernel;
  const checkpoint: KernelCheckpoint = {
    schemaVersion: CHECKPOINT_SCHEMA_VERSION,
    botKey: options.botKey,
    runId: log.runId,
    runNumber: options.runNumber,
    seq: log.lastSeq,
    revision: log.revision,
    ts: options.clock.now(),
    strategy: options.strategy.kind,
    account: options.account,
    market: options.market.symbol,
    params: extras.params,
    budget: options.budget,
    saved: kernel.saved(),
    orders: kernel.book.liveOrders().map(orderState),
    attempts: kernel.book.attemptSlots(),
    pendingCancels: kernel.flow.pendingCancels(),
    ledger: kernel.ledger.state(),
    metrics: saveMetrics(kernel.metrics, compactCurve(kernel.metrics)),
    ...(extras.cursor === undefined ? {} : { cursor: extras.cursor }),
    ...(extras.venue === undefined ? {} : { venue: extras.venue }),
  };
  // A JSON round trip drops `undefined` members, so what is stored equals what was taken.
  return JSON.parse(JSON.stringify(checkpoint)) as KernelCheckpoint;
}

function orderState(record: OrderRecord): OrderRecordState {
  const { key, clientOrderId, role, idx, request, status, filled, reserved } = record;
  return {
    key,
    clientOrderId,
    role,
    idx,
    request,
    status,
    filled,
    reserved,
    tradeIds: [...record.tradeIds].sort(),
  };
}

/**
 * Puts a checkpointed run back into a kernel built with the checkpoint's options (same run number,
 * `lastSeq` = checkpoint seq) in place of `start`. Pending cancels are returned for the runner to send
 * again once it has reconciled the venue.
 */
export function restoreKernel(
  kernel: BotKernel,
  checkpoint: KernelCheckpoint,
): readonly PendingCancelState[] {
  kernel.ledger.restore(checkpoint.ledger);
  kernel.book.restore(
    checkpoint.orders.map((o) => ({
      ...o,
      request: { ...o.request },
      tradeIds: TradeIds.of(o.tradeIds),
      notional: undefined,
    })),
    checkpoint.attempts,
  );
  (kernel as { metrics: BotKernel['metrics'] }).metrics = restoreMetrics(checkpoint.metrics);
  kernel.restoreSaved(checkpoint.saved);
  return checkpoint.pendingCancels;
}

/** Reads a stored checkpoint document, refusing a newer format than this code knows. */
export function readCheckpoint(doc: unknown, where: string): KernelCheckpoint {
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== CHECKPOINT_SCHEMA_VERSION) {
    throw new Error(`${where}: checkpoint schema version ${String(version)} is not readable by this engine`);
  }
  return doc as KernelCheckpoint;
}
