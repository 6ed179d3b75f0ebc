/**
 * Idempotent, gap-checked appends to Cosmos without transactions. Order of writes per run batch:
 * run document (created once, before any event, so a run is never invisible), then each event by
 * create (409 → read and compare), its audit copy, and finally the run's `lastSeq` hint via If-Match.
 * An acknowledged append has all of these; a crash part-way leaves a prefix the next append resumes.
 */
import type { Container } from '@azure/cosmos';
import type { HistoryEvent } from '../../model/events.ts';
import type { RunInfo } from '../../ports/store.ts';
import { docId, eventFromDoc, eventId, queryAll, runDocId, statusOf, type RunDoc } from './cosmos-docs.ts';
import { auditSortKey, conflicting, gap, groupByRun, sameEvent } from './documents.ts';
import { namespaceOfKey } from './keys.ts';

interface RunState {
  doc: RunDoc;
  etag: string;
}

/** Writes event batches for the Cosmos store and repairs run hints on read. */
export class CosmosAppender {
  private readonly events: Container;
  private readonly bots: Container;
  private readonly audit: Container;
  private readonly metricsTtlSec: number | undefined;
  /** Run documents this process wrote last; a stale entry is caught by If-Match and the 409 checks. */
  private readonly runs = new Map<string, RunState>();

  constructor(events: Container, bots: Container, audit: Container, metricsTtlSec: number | undefined) {
    this.events = events;
    this.bots = bots;
    this.audit = audit;
    this.metricsTtlSec = metricsTtlSec;
  }

  async append(events: readonly HistoryEvent[]): Promise<void> {
    for (const event of events) namespaceOfKey(event.botKey);
    for (const run of groupByRun(events)) await this.appendRun(run);
  }

  private async appendRun(batch: readonly HistoryEvent[]): Promise<void> {
    const first = batch[0]!;
    const state = await this.runState(first);
    let lastSeq = state.doc.lastSeq;
    if (first.seq > lastSeq + 1)
      lastSeq = Math.max(lastSeq, await this.maxSeqPresent(first.botKey, first.runId));
    for (const event of batch) {
      if (event.seq > lastSeq) break;
      const stored = await this.readEvent(event);
      if (stored && !sameEvent(stored, event)) throw conflicting(event);
    }
    const fresh = batch.filter((e) => e.seq > lastSeq);
    if (fresh.length > 0 && fresh[0]!.seq !== lastSeq + 1) throw gap(fresh[0]!, lastSeq);
    for (const event of batch) {
      if (event.seq > lastSeq) await this.createEvent(event);
      if (event.type === 'AuditEvent') await this.createAudit(event);
    }
    if (fresh.length > 0) await this.advance(state, fresh);
  }

  private async readEvent(event: HistoryEvent): Promise<HistoryEvent | undefined> {
    try {
      const { resource } = await this.events
        .item(eventId(event), event.botKey)
        .read<Record<string, unknown>>();
      return resource && eventFromDoc(resource);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async createEvent(event: HistoryEvent): Promise<void> {
    const ttl =
      event.type === 'MetricsSnapshot' && this.metricsTtlSec !== undefined ? { ttl: this.metricsTtlSec } : {};
    try {
      await this.events.items.create({ ...event, id: eventId(event), pk: event.botKey, ...ttl });
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      // Written before: by us before a crash (fine if equal) or by someone else (a conflict).
      const stored = await this.readEvent(event);
      if (!stored || !sameEvent(stored, event)) throw conflicting(event);
    }
  }

  private async createAudit(event: HistoryEvent): Promise<void> {
    const doc = {
      ...event,
      id: eventId(event),
      pk: namespaceOfKey(event.botKey),
      sortKey: auditSortKey(event),
    };
    try {
      await this.audit.items.create(doc);
    } catch (error) {
      // The events container already holds this event with this payload, so the copy is the same.
      if (statusOf(error) !== 409) throw error;
    }
  }

  /** The run document, created (before any of its events) when missing. */
  private async runState(first: HistoryEvent): Promise<RunState> {
    const key = docId(first.botKey, first.runId);
    const cached = this.runs.get(key);
    if (cached) return cached;
    const id = runDocId(first.botKey, first.runId);
    let doc = await this.readRunDoc(first.botKey, id);
    if (!doc) {
      const fresh: RunDoc = {
        ...{ id, pk: first.botKey, ns: namespaceOfKey(first.botKey), docType: 'run', schemaVersion: 1 },
        ...{ runId: first.runId, startedAt: first.ts, lastSeq: 0, revision: first.revision },
      };
      try {
        doc = (await this.bots.items.create<RunDoc>(fresh)).resource;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        doc = await this.readRunDoc(first.botKey, id);
      }
    }
    if (!doc?._etag) throw new Error(`cosmos: run document ${id} could not be read back`);
    const state = { doc, etag: doc._etag };
    this.runs.set(key, state);
    return state;
  }

  private async readRunDoc(botKey: string, id: string): Promise<RunDoc | undefined> {
    try {
      return (await this.bots.item(id, botKey).read<RunDoc>()).resource;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Moves the run hint forward with If-Match; on 412 re-reads and stops once someone is at or past us. */
  private async advance(state: RunState, fresh: readonly HistoryEvent[]): Promise<void> {
    const last = fresh[fresh.length - 1]!;
    const stopped = fresh.find((e) => e.type === 'BotRunStopped');
    for (let attempt = 0; attempt < 5; attempt++) {
      if (state.doc.lastSeq >= last.seq) return;
      const next: RunDoc = {
        ...state.doc,
        lastSeq: last.seq,
        revision: last.revision,
        ...(stopped ? { stoppedAt: stopped.ts } : {}),
      };
      try {
        const { resource } = await this.bots
          .item(next.id, next.pk)
          .replace<RunDoc>(next, { accessCondition: { type: 'IfMatch', condition: state.etag } });
        state.doc = resource ?? next;
        state.etag = resource?._etag ?? state.etag;
        return;
      } catch (error) {
        if (statusOf(error) !== 412) throw error;
        const fresher = await this.readRunDoc(next.pk, next.id);
        if (!fresher?._etag) throw error;
        state.doc = fresher;
        state.etag = fresher._etag;
      }
    }
    // Losing five races in a row leaves a stale hint, which readers and appenders repair.
  }

  /** The highest seq stored for a run (the truth the run hint may lag behind). */
  lastSeqPresent(botKey: string, runId: string): Promise<number> {
    return this.maxSeqPresent(botKey, runId);
  }

  private async maxSeqPresent(botKey: string, runId: string): Promise<number> {
    const rows = await queryAll<number>(
      this.events,
      'SELECT TOP 1 VALUE c.seq FROM c WHERE c.pk = @pk AND c.runId = @runId ORDER BY c.seq DESC',
      { '@pk': botKey, '@runId': runId },
    );
    return rows[0] ?? 0;
  }

  /** A run as readers see it: the hint, moved forward by any events written after it. */
  async repairedRun(doc: RunDoc): Promise<RunInfo> {
    const later = await queryAll<Record<string, unknown>>(
      this.events,
      'SELECT * FROM c WHERE c.pk = @pk AND c.runId = @runId AND c.seq > @after ORDER BY c.seq',
      { '@pk': doc.pk, '@runId': doc.runId, '@after': doc.lastSeq },
    );
    let info: RunInfo = {
      botKey: doc.pk,
      runId: doc.runId,
      startedAt: doc.startedAt,
      ...(doc.stoppedAt === undefined ? {} : { stoppedAt: doc.stoppedAt }),
      lastSeq: doc.lastSeq,
      revision: doc.revision,
    };
    for (const event of later.map(eventFromDoc)) {
      if (event.seq !== info.lastSeq + 1) break;
      info = { ...info, lastSeq: event.seq, revision: event.revision };
      if (event.type === 'BotRunStopped') info = { ...info, stoppedAt: event.ts };
    }
    return info;
  }
}
