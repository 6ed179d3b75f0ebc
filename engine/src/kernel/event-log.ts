/**
 * The run's event log: stamps every DESIGN §7 event with the bot key, run id, revision, clock time and
 * a gap-free sequence number, and batches them until the runner appends the batch to the store
 * (before it sends the orders the batch announces: write-ahead).
 */
import type { Clock } from '../core/clock.ts';
import {
  EVENT_SCHEMA_VERSION,
  type EventPayloads,
  type EventType,
  type HistoryEvent,
} from '../model/events.ts';

/** Sequenced events of one run. */
export class EventLog {
  readonly botKey: string;
  readonly runId: string;
  revision: string;
  private readonly clock: Clock;
  private seq: number;
  private batch: HistoryEvent[] = [];

  constructor(options: {
    readonly botKey: string;
    readonly runId: string;
    readonly revision: string;
    readonly clock: Clock;
    readonly lastSeq?: number;
  }) {
    this.botKey = options.botKey;
    this.runId = options.runId;
    this.revision = options.revision;
    this.clock = options.clock;
    this.seq = options.lastSeq ?? 0;
  }

  /** Appends an event to the pending batch and returns it. */
  emit<T extends EventType>(type: T, data: EventPayloads[T]): HistoryEvent {
    this.seq += 1;
    const event = {
      schemaVersion: EVENT_SCHEMA_VERSION,
      botKey: this.botKey,
      runId: this.runId,
      seq: this.seq,
      ts: this.clock.now(),
      revision: this.revision,
      type,
      data,
    } as HistoryEvent;
    this.batch.push(event);
    return event;
  }

  /** True when events wait to be stored. */
  get pending(): boolean {
    return this.batch.length > 0;
  }

  /** The last sequence number used. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Takes the pending batch. */
  take(): HistoryEvent[] {
    const out = this.batch;
    this.batch = [];
    return out;
  }
}
