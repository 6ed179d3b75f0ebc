/**
 * The history store port (DESIGN §7). Implementations: memory (tests, backtests), SQLite (default),
 * Cosmos DB (production). One contract suite runs against all of them.
 */
import type { EpochMs } from '../core/clock.ts';
import type { HistoryEvent } from '../model/events.ts';

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

/** Thrown when appends would leave a gap or change an already stored event. */
export class SequenceError extends Error {
  override readonly name = 'SequenceError';
}

/** Reads and writes of one tenant; every method is scoped by the namespace the store was opened for. */
export interface HistoryStore {
  /**
   * Appends events idempotently: an event whose (botKey, runId, seq) is stored with the same payload
   * is skipped; a different payload for a stored key, or a gap in seq, throws SequenceError.
   */
  append(events: readonly HistoryEvent[]): Promise<void>;
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
