/**
 * The embedded default store: one `node:sqlite` file in WAL mode, created on first use. Every append
 * batch is one transaction, so a crash leaves either all of a batch or none of it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { EpochMs } from '../../core/clock.ts';
import type { HistoryEvent, HistoryEventOf } from '../../model/events.ts';
import {
  ConflictError,
  STATUS_SCHEMA_VERSION,
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
  decodeCursor,
  gap,
  groupByRun,
  readEvent,
  readStatus,
  sameEvent,
  toPage,
} from './documents.ts';
import { assertNamespace, namespaceOfKey } from './keys.ts';
import { NamespaceScope } from './scoped.ts';
import { migrate } from './sqlite-schema.ts';
import { checkCheckpoint } from './checkpoints.ts';

/** How an SQLite store is opened. */
export interface SqliteStoreOptions {
  /**
   * `process` (default): a committed append survives a killed process (WAL, synchronous=NORMAL).
   * `power`: it also survives power loss (synchronous=FULL: one fsync per append batch).
   */
  readonly durability?: 'process' | 'power';
}

type Row = Record<string, unknown>;
type SeqRange = { fromSeq?: number; toSeq?: number; limit?: number; continuation?: string };
type TsRange = { from: EpochMs; to: EpochMs; limit?: number; continuation?: string };

const SQL = {
  lastSeq: 'SELECT last_seq FROM runs WHERE bot_key = ? AND run_id = ?',
  event: 'SELECT doc FROM events WHERE bot_key = ? AND run_id = ? AND seq = ?',
  insert:
    'INSERT INTO events (bot_key, run_id, seq, ts, type, namespace, audit_key, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  run: `INSERT INTO runs (bot_key, run_id, started_at, stopped_at, last_seq, revision) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (bot_key, run_id) DO UPDATE SET last_seq = excluded.last_seq, revision = excluded.revision,
    stopped_at = COALESCE(excluded.stopped_at, runs.stopped_at)`,
  runs: 'SELECT * FROM runs WHERE bot_key = ? ORDER BY started_at, run_id',
  bySeq: `SELECT doc FROM events WHERE bot_key = ? AND run_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
  byTime: `SELECT doc FROM events WHERE bot_key = ? AND run_id = ? AND seq > ? AND ts >= ? AND ts <= ?
    ORDER BY seq LIMIT ?`,
  latest: 'SELECT doc FROM snapshots WHERE bot_key = ? AND type = ?',
  snapshot: `INSERT INTO snapshots (bot_key, type, ts, seq, doc) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (bot_key, type) DO UPDATE SET ts = excluded.ts, seq = excluded.seq, doc = excluded.doc
    WHERE excluded.ts > snapshots.ts OR (excluded.ts = snapshots.ts AND excluded.seq > snapshots.seq)`,
  audit: `SELECT doc, audit_key FROM events WHERE namespace = ? AND audit_key IS NOT NULL AND audit_key > ?
    AND ts >= ? AND ts <= ? ORDER BY audit_key LIMIT ?`,
  status: 'SELECT version, schema_version, doc FROM statuses WHERE bot_key = ?',
  statuses: 'SELECT schema_version, doc FROM statuses WHERE namespace = ? ORDER BY bot_key',
  replaceStatus: `UPDATE statuses SET version = version + 1, schema_version = ?, doc = ?
    WHERE bot_key = ? AND version = ? RETURNING version`,
  checkpoint: `INSERT INTO checkpoints (bot_key, run_id, seq, doc) VALUES (?, ?, ?, ?)
    ON CONFLICT (bot_key, run_id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc
    WHERE excluded.seq >= checkpoints.seq`,
  loadCheckpoint: 'SELECT seq, doc FROM checkpoints WHERE bot_key = ? AND run_id = ?',
  upsertStatus: `INSERT INTO statuses (bot_key, namespace, version, schema_version, doc) VALUES (?, ?, 1, ?, ?)
    ON CONFLICT (bot_key) DO UPDATE SET version = statuses.version + 1, schema_version = excluded.schema_version,
    doc = excluded.doc RETURNING version`,
} as const;

/** The SQLite history store; `path` is created (with its folder) on first use. */
export class SqliteHistoryStore implements TowerStore {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(path: string, options: SqliteStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`);
    // Checkpoints fsync the database file; every 10 000 pages (~40 MB of WAL) instead of 1 000 keeps
    // small, frequent append transactions cheap.
    this.db.exec('PRAGMA wal_autocheckpoint = 10000');
    migrate(this.db, path);
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  forNamespace(namespace: string): NamespaceStore {
    return new NamespaceScope(this, namespace);
  }

  append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    return attempt(() => {
      for (const event of events) namespaceOfKey(event.botKey);
      const runs = groupByRun(events);
      this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const run of runs) this.appendRun(run, namespaceOfKey(run[0]!.botKey));
        // Same transaction: a killed process never leaves a checkpoint ahead of or behind its events.
        if (checkpoint) this.writeCheckpoint(checkpoint);
        this.db.exec('COMMIT');
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  private writeCheckpoint(checkpoint: StoredCheckpoint): void {
    const row = this.sql(SQL.lastSeq).get(checkpoint.botKey, checkpoint.runId) as Row | undefined;
    checkCheckpoint(checkpoint, row === undefined ? 0 : Number(row['last_seq']));
    const { botKey, runId, seq } = checkpoint;
    this.sql(SQL.checkpoint).run(botKey, runId, seq, JSON.stringify(checkpoint));
  }

  loadCheckpoint(botKey: string, runId: string): Promise<StoredCheckpoint | undefined> {
    return attempt(() => {
      namespaceOfKey(botKey);
      const row = this.sql(SQL.loadCheckpoint).get(botKey, runId) as Row | undefined;
      return row && (JSON.parse(String(row['doc'])) as StoredCheckpoint);
    });
  }

  private appendRun(batch: readonly HistoryEvent[], namespace: string): void {
    const first = batch[0]!;
    const row = this.sql(SQL.lastSeq).get(first.botKey, first.runId) as Row | undefined;
    const before = row === undefined ? 0 : Number(row['last_seq']);
    let lastSeq = before;
    let last: HistoryEvent | undefined;
    const snapshots = new Map<string, { event: HistoryEvent; doc: string }>();
    for (const event of batch) {
      if (event.seq <= lastSeq) {
        const stored = this.sql(SQL.event).get(event.botKey, event.runId, event.seq) as Row | undefined;
        if (!stored || !sameEvent(readEvent(JSON.parse(String(stored['doc'])) as object), event)) {
          throw conflicting(event);
        }
        continue;
      }
      if (event.seq !== lastSeq + 1) throw gap(event, lastSeq);
      const auditKey = event.type === 'AuditEvent' ? auditSortKey(event) : null;
      const doc = JSON.stringify(event);
      this.sql(SQL.insert).run(
        event.botKey,
        event.runId,
        event.seq,
        event.ts,
        event.type,
        namespace,
        auditKey,
        doc,
      );
      if (event.type === 'PositionSnapshot' || event.type === 'MetricsSnapshot')
        snapshots.set(event.type, { event, doc });
      lastSeq = event.seq;
      last = event;
    }
    if (!last) return;
    const stoppedAt = batch.find((e) => e.type === 'BotRunStopped' && e.seq > before)?.ts ?? null;
    this.sql(SQL.run).run(first.botKey, first.runId, first.ts, stoppedAt, lastSeq, last.revision);
    for (const { event, doc } of snapshots.values()) {
      this.sql(SQL.snapshot).run(event.botKey, event.type, event.ts, event.seq, doc);
    }
  }

  listRuns(botKey: string): Promise<readonly RunInfo[]> {
    return attempt(() => {
      namespaceOfKey(botKey);
      return (this.sql(SQL.runs).all(botKey) as Row[]).map((r) => ({
        botKey,
        runId: String(r['run_id']),
        startedAt: Number(r['started_at']),
        ...(r['stopped_at'] === null ? {} : { stoppedAt: Number(r['stopped_at']) }),
        lastSeq: Number(r['last_seq']),
        revision: String(r['revision']),
      }));
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
      const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
      const rows = this.sql(SQL.bySeq).all(
        botKey,
        runId,
        after,
        to,
        limit === undefined ? -1 : limit + 1,
      ) as Row[];
      return toPage(rows.map(eventOf), limit, (e) => e.seq);
    });
  }

  readRunByTime(botKey: string, runId: string, range: TsRange): Promise<Page<HistoryEvent>> {
    return attempt(() => {
      const where = `readRunByTime ${botKey} ${runId}`;
      namespaceOfKey(botKey);
      const limit = checkLimit(range.limit, where);
      const after =
        range.continuation !== undefined ? decodeCursor<number>(range.continuation, 'number', where) : 0;
      const rows = this.sql(SQL.byTime).all(
        botKey,
        runId,
        after,
        range.from,
        range.to,
        limit === undefined ? -1 : limit + 1,
      ) as Row[];
      return toPage(rows.map(eventOf), limit, (e) => e.seq);
    });
  }

  latestSnapshots(botKey: string): Promise<LatestSnapshots> {
    return attempt(() => {
      namespaceOfKey(botKey);
      const position = this.sql(SQL.latest).get(botKey, 'PositionSnapshot') as Row | undefined;
      const metrics = this.sql(SQL.latest).get(botKey, 'MetricsSnapshot') as Row | undefined;
      return {
        ...(position ? { position: eventOf(position) as HistoryEventOf<'PositionSnapshot'> } : {}),
        ...(metrics ? { metrics: eventOf(metrics) as HistoryEventOf<'MetricsSnapshot'> } : {}),
      };
    });
  }

  readAudit(namespace: string, range: TimeRange): Promise<Page<HistoryEventOf<'AuditEvent'>>> {
    return attempt(() => {
      const where = `readAudit ${namespace}`;
      assertNamespace(namespace);
      const limit = checkLimit(range.limit, where);
      const after =
        range.continuation !== undefined ? decodeCursor<string>(range.continuation, 'string', where) : '';
      const rows = this.sql(SQL.audit).all(
        namespace,
        after,
        range.from,
        range.to,
        limit === undefined ? -1 : limit + 1,
      ) as Row[];
      const page = toPage(rows, limit, (r) => String(r['audit_key']));
      return { ...page, items: page.items.map((r) => eventOf(r) as HistoryEventOf<'AuditEvent'>) };
    });
  }

  getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined> {
    return attempt(() => {
      namespaceOfKey(botKey);
      const row = this.sql(SQL.status).get(botKey) as Row | undefined;
      return row && { value: statusOf(row), etag: String(row['version']) };
    });
  }

  putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> {
    return attempt(() => {
      const namespace = namespaceOfKey(status.botKey);
      const doc = JSON.stringify(status);
      const row =
        etag === undefined
          ? (this.sql(SQL.upsertStatus).get(status.botKey, namespace, STATUS_SCHEMA_VERSION, doc) as Row)
          : (this.sql(SQL.replaceStatus).get(STATUS_SCHEMA_VERSION, doc, status.botKey, Number(etag)) as
              Row | undefined);
      if (!row) throw new ConflictError(`status of ${status.botKey} changed since version ${etag}`);
      return { value: JSON.parse(doc) as BotStatus, etag: String(row['version']) };
    });
  }

  listStatuses(namespace: string): Promise<readonly BotStatus[]> {
    return attempt(() => (this.sql(SQL.statuses).all(assertNamespace(namespace)) as Row[]).map(statusOf));
  }

  close(): Promise<void> {
    return attempt(() => {
      if (this.db.isOpen) this.db.close();
    });
  }
}

function eventOf(row: Row): HistoryEvent {
  return readEvent(JSON.parse(String(row['doc'])) as object);
}

function statusOf(row: Row): BotStatus {
  return readStatus(JSON.parse(String(row['doc'])) as Record<string, unknown>, Number(row['schema_version']));
}
