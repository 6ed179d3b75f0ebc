/**
 * The history store port (DESIGN §7). Implementations: memory (tests, backtests), SQLite (default),
 * Cosmos DB (production). One contract suite runs against all of them.
 */
import type { EpochMs } from '../core/clock.ts';
import type { HistoryEvent, HistoryEventOf } from '../model/events.ts';

/** A page of results with an opaque continuation token when more remain. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly continuation?: string;
}

/** A bot run as the store knows it. */
export interface RunInfo {
  readonly botKey: string;
  readonly runId: string;
  readonly startedAt: EpochMs;
  readonly stoppedAt?: EpochMs;
  readonly lastSeq: number;
  readonly revision: string;
}

/** A status condition (DESIGN §5). */
export interface Condition {
  readonly type: 'Ready' | 'Reconciling' | 'Stalled' | (string & {});
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: EpochMs;
}

/** The status document of one bot, written by the reconciler on every pass. */
export interface BotStatus {
  readonly botKey: string;
  readonly conditions: readonly Condition[];
  readonly observedRevision?: string;
  readonly lastAppliedRevision?: string;
  readonly pendingUntilNextCycle?: readonly string[];
  readonly drift?: readonly { readonly kind: string; readonly message: string }[];
  readonly appliedRevisions?: readonly { readonly revision: string; readonly at: EpochMs }[];
  readonly runId?: string;
  readonly phase?: string;
  readonly [extra: string]: unknown;
}

/** A status document with its concurrency token. */
export interface Versioned<T> {
  readonly value: T;
  /** Opaque version (ETag); pass it back to update. */
  readonly etag: string;
}

/** Thrown when an optimistic-concurrency write loses: re-read and retry. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/**
 * What an in-process store's `append` returns when the events are stored by the time it returns: a
 * caller that sees this very promise may go on at once instead of waiting a turn for it.
 */
export const APPENDED: Promise<void> = Promise.resolve();

/** Thrown when appends would leave a gap or change an already stored event. */
export class SequenceError extends Error {
  override readonly name = 'SequenceError';
}

/**
 * The checkpoint of a run (kernel/checkpoint.ts) as the store keeps it: an opaque JSON body tied to the
 * seq of the last event of the run it follows. A store keeps the newest checkpoint per run.
 */
export interface StoredCheckpoint {
  readonly botKey: string;
  readonly runId: string;
  readonly seq: number;
  readonly body: unknown;
}

/**
 * Reads and writes keyed by bot key (`namespace/name`) or namespace: no method lists data without
 * naming whose data it is. Tenant-facing code gets a `NamespaceStore` (see `TowerStore.forNamespace`).
 */
export interface HistoryStore {
  /**
   * Appends events idempotently: an event whose (botKey, runId, seq) is stored with the same payload
   * is skipped; a different payload for a stored key, or a gap in seq, throws SequenceError.
   * With `checkpoint` (whose seq must be the run's last seq once the events are in), the checkpoint is
   * stored too: in the same transaction where the store has them (memory, SQLite), after the events
   * where it does not (Cosmos: see engine/docs/adr/0003-run-checkpoints.md). An older checkpoint than
   * the stored one is ignored.
   */
  append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void>;
  /** The newest checkpoint of a run, if any. */
  loadCheckpoint(botKey: string, runId: string): Promise<StoredCheckpoint | undefined>;
  listRuns(botKey: string): Promise<readonly RunInfo[]>;
  readRun(
    botKey: string,
    runId: string,
    range?: {
      readonly fromSeq?: number;
      readonly toSeq?: number;
      readonly limit?: number;
      readonly continuation?: string;
    },
  ): Promise<Page<HistoryEvent>>;
  readRunByTime(
    botKey: string,
    runId: string,
    range: {
      readonly from: EpochMs;
      readonly to: EpochMs;
      readonly limit?: number;
      readonly continuation?: string;
    },
  ): Promise<Page<HistoryEvent>>;
  getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined>;
  /** Writes status; with `etag` the write fails with ConflictError when the stored version differs. */
  putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>>;
  listStatuses(namespace: string): Promise<readonly BotStatus[]>;
  close(): Promise<void>;
}

/** The current version of stored status documents; readers upgrade older ones (v1 kept drift as strings). */
export const STATUS_SCHEMA_VERSION = 2;

/** The newest position and metrics snapshots of one bot, across its runs. */
export interface LatestSnapshots {
  readonly position?: HistoryEventOf<'PositionSnapshot'>;
  readonly metrics?: HistoryEventOf<'MetricsSnapshot'>;
}

/** A time window with paging, for the audit trail. */
export interface TimeRange {
  readonly from: EpochMs;
  readonly to: EpochMs;
  readonly limit?: number;
  readonly continuation?: string;
}

/** Read models derived from the event stream. */
export interface HistoryQueries {
  /** The newest PositionSnapshot and MetricsSnapshot of a bot (by ts, then seq). */
  latestSnapshots(botKey: string): Promise<LatestSnapshots>;
  /** AuditEvents of a namespace with from ≤ ts ≤ to, oldest first, paged. */
  readAudit(namespace: string, range: TimeRange): Promise<Page<HistoryEventOf<'AuditEvent'>>>;
}

/**
 * A store handle confined to one namespace: every method rejects (with a TenancyError) a bot key or
 * namespace outside it, so tenant-facing code cannot read another tenant's data by accident.
 * `close()` on a scoped handle is a no-op; the owning `TowerStore` holds the connection.
 */
export interface NamespaceStore extends HistoryStore, HistoryQueries {
  readonly namespace: string;
}

/** The engine-side store: writes for any bot it runs, and hands out namespace-scoped handles. */
export interface TowerStore extends HistoryStore, HistoryQueries {
  /** A handle whose every read and write is confined to `namespace`. */
  forNamespace(namespace: string): NamespaceStore;
}

/** Thrown when a bot key or namespace is malformed or lies outside the handle's namespace. */
export class TenancyError extends Error {
  override readonly name = 'TenancyError';
}
