/** An in-memory history store: for tests and backtests. Same contract as SQLite and Cosmos. */
import type { EpochMs } from '../../core/clock.ts';
import type { HistoryEvent, HistoryEventOf } from '../../model/events.ts';
import {
  APPENDED,
  ConflictError,
  type BotStatus,
  type LatestSnapshots,
  type NamespaceStore,
  type Page,
  type RunInfo,
  type StoredCheckpoint,
  type TimeRange,
  type TowerStore,
  type Versioned,
} from '../../ports/store.ts';
import {
  attempt,
  auditSortKey,
  checkLimit,
  conflicting,
  copyPlain,
  decodeCursor,
  gap,
  groupByRun,
  readEvent,
  sameEvent,
  toPage,
} from './documents.ts';
import { assertNamespace, namespaceOfKey } from './keys.ts';
import { NamespaceScope } from './scoped.ts';
import { continues, newer, type RunRecord } from './memory-run.ts';
import { checkCheckpoint, checkpointKey } from './checkpoints.ts';

type SeqRange = { fromSeq?: number; toSeq?: number; limit?: number; continuation?: string };
type TsRange = { from: EpochMs; to: EpochMs; limit?: number; continuation?: string };

/** Keeps everything in maps; `append` enforces gap-free, idempotent sequences like the durable stores. */
export class MemoryHistoryStore implements TowerStore {
  private readonly runs = new Map<string, Map<string, RunRecord>>();
  private readonly statuses = new Map<string, Versioned<BotStatus>>();
  private readonly audit: HistoryEventOf<'AuditEvent'>[] = [];
  private readonly checkpoints = new Map<string, StoredCheckpoint>();
  private version = 0;
  private readonly copyOnAppend: boolean;
  /** The last bot key that passed the key check: a run appends thousands of batches under one key. */
  private checkedKey: string | undefined;
  /** The run the last batch went to: a running bot's next batch continues it. */
  private lastRun: RunRecord | undefined;

  /**
   * `adoptAppended`: keep appended events as given instead of copying them, for a producer that never
   * touches an event once emitted (the kernel's event log; engine/test/event-ownership.test.ts holds it
   * to that). Backtests use it: a year of fills is ~40,000 events. Reads always return copies.
   */
  constructor(options: { readonly adoptAppended?: boolean } = {}) {
    this.copyOnAppend = options.adoptAppended !== true;
  }

  forNamespace(namespace: string): NamespaceStore {
    return new NamespaceScope(this, namespace);
  }

  append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    const run = this.lastRun;
    if (checkpoint === undefined && run !== undefined && continues(run, events)) {
      this.store(this.copyOnAppend ? events.map(copyPlain) : events, run);
      return APPENDED; // stored already: a runner that sees it goes on without waiting a turn
    }
    return appended(() => {
      // A batch is nearly always one bot's, and so are the batches that follow: check each key once.
      for (const event of events) {
        if (event.botKey === this.checkedKey) continue;
        namespaceOfKey(event.botKey);
        this.checkedKey = event.botKey;
      }
      const runs = groupByRun(events);
      if (checkpoint) {
        // Checked against the run as it will be once the batch is in, before anything is stored.
        const batch = runs.find(
          (r) => r[0]!.botKey === checkpoint.botKey && r[0]!.runId === checkpoint.runId,
        );
        const stored = this.runs.get(checkpoint.botKey)?.get(checkpoint.runId)?.info.lastSeq ?? 0;
        checkCheckpoint(checkpoint, Math.max(stored, batch?.at(-1)?.seq ?? 0));
      }
      for (const run of runs) this.appendRun(run);
      if (checkpoint) this.keepCheckpoint(checkpoint);
    });
  }

  private keepCheckpoint(checkpoint: StoredCheckpoint): void {
    const key = checkpointKey(checkpoint.botKey, checkpoint.runId);
    const stored = this.checkpoints.get(key);
    if (!stored || stored.seq <= checkpoint.seq) this.checkpoints.set(key, structuredClone(checkpoint));
  }

  loadCheckpoint(botKey: string, runId: string): Promise<StoredCheckpoint | undefined> {
    return attempt(() => {
      namespaceOfKey(botKey);
      const stored = this.checkpoints.get(checkpointKey(botKey, runId));
      return stored && structuredClone(stored);
    });
  }

  /** Checks the whole run batch before storing any of it, so a rejected batch changes nothing. */
  private appendRun(batch: readonly HistoryEvent[]): void {
    const first = batch[0]!;
    const run = this.runs.get(first.botKey)?.get(first.runId);
    let lastSeq = run?.info.lastSeq ?? 0;
    // The usual batch continues the run: every event is new (a run's batch has consecutive seqs).
    if (first.seq === lastSeq + 1) {
      this.store(this.copyOnAppend ? batch.map(copyPlain) : batch);
      return;
    }
    const fresh: HistoryEvent[] = [];
    for (const event of batch) {
      const stored = run?.events[event.seq - 1];
      if (stored) {
        if (!sameEvent(stored, event)) throw conflicting(event);
        continue;
      }
      if (event.seq !== lastSeq + 1) throw gap(event, lastSeq);
      fresh.push(this.copyOnAppend ? copyPlain(event) : event);
      lastSeq = event.seq;
    }
    if (fresh.length > 0) this.store(fresh);
  }

  private store(fresh: readonly HistoryEvent[], run = this.runOf(fresh[0]!)): void {
    this.lastRun = run;
    let stoppedAt: number | undefined;
    for (const event of fresh) {
      run.events.push(event);
      if (event.type === 'AuditEvent') this.audit.push(event);
      if (event.type === 'BotRunStopped') stoppedAt = event.ts;
    }
    const last = fresh[fresh.length - 1]!;
    run.info.lastSeq = last.seq;
    run.info.revision = last.revision;
    if (stoppedAt !== undefined) run.info.stoppedAt = stoppedAt;
  }

  /** The record of the run an event belongs to, made at its first event. */
  private runOf(first: HistoryEvent): RunRecord {
    let byRun = this.runs.get(first.botKey);
    if (!byRun) {
      byRun = new Map<string, RunRecord>();
      this.runs.set(first.botKey, byRun);
    }
    let run = byRun.get(first.runId);
    if (!run) {
      const info = {
        botKey: first.botKey,
        runId: first.runId,
        startedAt: first.ts,
        lastSeq: 0,
        revision: first.revision,
      };
      run = { info, events: [] };
      byRun.set(first.runId, run);
    }
    return run;
  }

  listRuns(botKey: string): Promise<readonly RunInfo[]> {
    return attempt(() => {
      namespaceOfKey(botKey);
      const runs = [...(this.runs.get(botKey)?.values() ?? [])].map((r): RunInfo => ({ ...r.info }));
      return runs.sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
    });
  }

  readRun(botKey: string, runId: string, range: SeqRange = {}): Promise<Page<HistoryEvent>> {
    return attempt(() => {
      const where = `readRun ${botKey} ${runId}`;
      namespaceOfKey(botKey);
      const limit = checkLimit(range.limit, where);
      const after =
        range.continuation !== undefined
          ? decodeCursor<number>(range.continuation, 'number', where)
          : (range.fromSeq ?? 1) - 1;
      const selected = this.eventsOf(botKey, runId).filter(
        (e) => e.seq > after && (range.toSeq === undefined || e.seq <= range.toSeq),
      );
      return toPage(selected, limit, (e) => e.seq);
    });
  }

  readRunByTime(botKey: string, runId: string, range: TsRange): Promise<Page<HistoryEvent>> {
    return attempt(() => {
      const where = `readRunByTime ${botKey} ${runId}`;
      namespaceOfKey(botKey);
      const limit = checkLimit(range.limit, where);
      const after =
        range.continuation !== undefined ? decodeCursor<number>(range.continuation, 'number', where) : 0;
      const selected = this.eventsOf(botKey, runId).filter(
        (e) => e.seq > after && e.ts >= range.from && e.ts <= range.to,
      );
      return toPage(selected, limit, (e) => e.seq);
    });
  }

  private eventsOf(botKey: string, runId: string): HistoryEvent[] {
    return (this.runs.get(botKey)?.get(runId)?.events ?? []).map((e) => readEvent(structuredClone(e)));
  }

  latestSnapshots(botKey: string): Promise<LatestSnapshots> {
    return attempt(() => {
      namespaceOfKey(botKey);
      let position: HistoryEventOf<'PositionSnapshot'> | undefined;
      let metrics: HistoryEventOf<'MetricsSnapshot'> | undefined;
      for (const run of this.runs.get(botKey)?.values() ?? []) {
        for (const event of run.events) {
          if (event.type === 'PositionSnapshot' && newer(event, position)) position = event;
          if (event.type === 'MetricsSnapshot' && newer(event, metrics)) metrics = event;
        }
      }
      return structuredClone({ ...(position ? { position } : {}), ...(metrics ? { metrics } : {}) });
    });
  }

  readAudit(namespace: string, range: TimeRange): Promise<Page<HistoryEventOf<'AuditEvent'>>> {
    return attempt(() => {
      const where = `readAudit ${namespace}`;
      assertNamespace(namespace);
      const limit = checkLimit(range.limit, where);
      const after =
        range.continuation !== undefined ? decodeCursor<string>(range.continuation, 'string', where) : '';
      const selected = this.audit
        .filter((e) => namespaceOfKey(e.botKey) === namespace && e.ts >= range.from && e.ts <= range.to)
        .map((event) => ({ event, key: auditSortKey(event) }))
        .filter((x) => x.key > after)
        .sort((a, b) => (a.key < b.key ? -1 : 1));
      const page = toPage(selected, limit, (x) => x.key);
      return { ...page, items: page.items.map((x) => structuredClone(x.event)) };
    });
  }

  getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined> {
    return attempt(() => {
      namespaceOfKey(botKey);
      const stored = this.statuses.get(botKey);
      return stored && structuredClone(stored);
    });
  }

  putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> {
    return attempt(() => {
      namespaceOfKey(status.botKey);
      const current = this.statuses.get(status.botKey);
      if (etag !== undefined && current?.etag !== etag) {
        throw new ConflictError(`status of ${status.botKey} changed since version ${etag}`);
      }
      this.version += 1;
      const stored = { value: structuredClone(status), etag: `m${this.version}` };
      this.statuses.set(status.botKey, stored);
      return structuredClone(stored);
    });
  }

  listStatuses(namespace: string): Promise<readonly BotStatus[]> {
    return attempt(() => {
      const prefix = `${assertNamespace(namespace)}/`;
      const values = [...this.statuses.values()].filter((s) => s.value.botKey.startsWith(prefix));
      return structuredClone(values.map((s) => s.value)).sort((a, b) => a.botKey.localeCompare(b.botKey));
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** APPENDED once `store` ran, or its error as a rejection: the checked append answers at once too. */
function appended(store: () => void): Promise<void> {
  try {
    store();
    return APPENDED;
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
