/**
 * The production store: Azure Cosmos DB (NoSQL API). Partition key `/pk` = bot key (audit: namespace),
 * deterministic ids make every write idempotent, and every single-bot query filters `c.pk` in WHERE.
 * There is no transactional batch, so an append writes events one by one in seq order and then moves
 * the run document's `lastSeq` hint with If-Match; a crash in between is repaired by readers and the
 * next append, which trust the highest seq present over the hint.
 */
import type { Container, CosmosClient, Database } from '@azure/cosmos';
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
import { COSMOS_CONTAINERS } from './cosmos-containers.ts';
import { connectCosmos, type CosmosConnectOptions } from './cosmos-connect.ts';
import { docId, eventFromDoc, queryAll, statusDocId, statusOf, top, type RunDoc } from './cosmos-docs.ts';
import { CosmosAppender } from './cosmos-append.ts';
import { checkLimit, decodeCursor, readStatus, toPage } from './documents.ts';
import { assertNamespace, namespaceOfKey } from './keys.ts';
import { NamespaceScope } from './scoped.ts';
import { checkCheckpoint } from './checkpoints.ts';

/** How the Cosmos store is opened. */
export interface CosmosStoreOptions extends CosmosConnectOptions {
  /** Retention of MetricsSnapshot documents in seconds (Cosmos TTL); absent = kept forever. */
  readonly metricsTtlSec?: number;
}

type SeqRange = { fromSeq?: number; toSeq?: number; limit?: number; continuation?: string };
type TsRange = { from: EpochMs; to: EpochMs; limit?: number; continuation?: string };
type Doc = Record<string, unknown>;

/** Connects (creating containers only for a local server) and returns the store. */
export async function openCosmosStore(options: CosmosStoreOptions): Promise<CosmosHistoryStore> {
  const { client, database } = await connectCosmos(options);
  return new CosmosHistoryStore(client, database, options);
}

/** The Cosmos DB history store. */
export class CosmosHistoryStore implements TowerStore {
  private readonly client: CosmosClient;
  private readonly events: Container;
  private readonly bots: Container;
  private readonly audit: Container;
  private readonly appender: CosmosAppender;

  constructor(client: CosmosClient, database: Database, options: { readonly metricsTtlSec?: number } = {}) {
    this.client = client;
    this.events = database.container(COSMOS_CONTAINERS.events.id);
    this.bots = database.container(COSMOS_CONTAINERS.bots.id);
    this.audit = database.container(COSMOS_CONTAINERS.audit.id);
    this.appender = new CosmosAppender(this.events, this.bots, this.audit, options.metricsTtlSec);
  }

  forNamespace(namespace: string): NamespaceStore {
    return new NamespaceScope(this, namespace);
  }

  /**
   * No transaction spans documents here: the events go first, then the checkpoint (ADR 0003), so a
   * crash in between leaves events after the stored checkpoint, which a resuming engine resolves.
   */
  async append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    // Checked before anything is written, so a rejected checkpoint leaves the batch unwritten too.
    if (checkpoint) await this.checkAhead(checkpoint, events);
    await this.appender.append(events);
    if (checkpoint) await this.writeCheckpoint(checkpoint);
  }

  private async checkAhead(checkpoint: StoredCheckpoint, events: readonly HistoryEvent[]): Promise<void> {
    const { botKey, runId, seq } = checkpoint;
    const covered = events.some((e) => e.botKey === botKey && e.runId === runId && e.seq >= seq);
    checkCheckpoint(checkpoint, covered ? seq : await this.appender.lastSeqPresent(botKey, runId));
  }

  private async writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    const { botKey, runId, seq } = checkpoint;
    const stored = await this.loadCheckpoint(botKey, runId);
    if (stored && stored.seq > seq) return;
    const doc = { id: docId(botKey, 'checkpoint', runId), pk: botKey, ns: namespaceOfKey(botKey) };
    await this.bots.items.upsert({ ...doc, docType: 'checkpoint', runId, seq, checkpoint });
  }

  async loadCheckpoint(botKey: string, runId: string): Promise<StoredCheckpoint | undefined> {
    namespaceOfKey(botKey);
    try {
      const { resource } = await this.bots.item(docId(botKey, 'checkpoint', runId), botKey).read<Doc>();
      return resource && (resource['checkpoint'] as StoredCheckpoint);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async listRuns(botKey: string): Promise<readonly RunInfo[]> {
    namespaceOfKey(botKey);
    const docs = await queryAll<RunDoc>(this.bots, "SELECT * FROM c WHERE c.pk = @pk AND c.docType = 'run'", {
      '@pk': botKey,
    });
    const runs = await Promise.all(docs.map((doc) => this.appender.repairedRun(doc)));
    return runs
      .filter((run) => run.lastSeq > 0)
      .sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
  }

  async readRun(botKey: string, runId: string, range: SeqRange = {}): Promise<Page<HistoryEvent>> {
    const where = `readRun ${botKey} ${runId}`;
    namespaceOfKey(botKey);
    const limit = checkLimit(range.limit, where);
    const after =
      range.continuation !== undefined
        ? decodeCursor<number>(range.continuation, 'number', where)
        : (range.fromSeq ?? 1) - 1;
    const docs = await queryAll<Doc>(
      this.events,
      `SELECT ${top(limit)}* FROM c WHERE c.pk = @pk AND c.runId = @runId AND c.seq > @after AND c.seq <= @to
       ORDER BY c.seq`,
      { '@pk': botKey, '@runId': runId, '@after': after, '@to': range.toSeq ?? Number.MAX_SAFE_INTEGER },
    );
    return toPage(docs.map(eventFromDoc), limit, (e) => e.seq);
  }

  async readRunByTime(botKey: string, runId: string, range: TsRange): Promise<Page<HistoryEvent>> {
    const where = `readRunByTime ${botKey} ${runId}`;
    namespaceOfKey(botKey);
    const limit = checkLimit(range.limit, where);
    const after =
      range.continuation !== undefined ? decodeCursor<number>(range.continuation, 'number', where) : 0;
    const docs = await queryAll<Doc>(
      this.events,
      `SELECT ${top(limit)}* FROM c WHERE c.pk = @pk AND c.runId = @runId AND c.seq > @after
       AND c.ts >= @from AND c.ts <= @to ORDER BY c.seq`,
      { '@pk': botKey, '@runId': runId, '@after': after, '@from': range.from, '@to': range.to },
    );
    return toPage(docs.map(eventFromDoc), limit, (e) => e.seq);
  }

  async latestSnapshots(botKey: string): Promise<LatestSnapshots> {
    namespaceOfKey(botKey);
    const newest = async (type: string): Promise<HistoryEvent | undefined> => {
      const docs = await queryAll<Doc>(
        this.events,
        'SELECT TOP 1 * FROM c WHERE c.pk = @pk AND c.type = @type ORDER BY c.ts DESC',
        { '@pk': botKey, '@type': type },
      );
      return docs[0] && eventFromDoc(docs[0]);
    };
    const [position, metrics] = await Promise.all([newest('PositionSnapshot'), newest('MetricsSnapshot')]);
    return {
      ...(position ? { position: position as HistoryEventOf<'PositionSnapshot'> } : {}),
      ...(metrics ? { metrics: metrics as HistoryEventOf<'MetricsSnapshot'> } : {}),
    };
  }

  async readAudit(namespace: string, range: TimeRange): Promise<Page<HistoryEventOf<'AuditEvent'>>> {
    const where = `readAudit ${namespace}`;
    assertNamespace(namespace);
    const limit = checkLimit(range.limit, where);
    const after =
      range.continuation !== undefined ? decodeCursor<string>(range.continuation, 'string', where) : '';
    const docs = await queryAll<Doc>(
      this.audit,
      `SELECT ${top(limit)}* FROM c WHERE c.pk = @pk AND c.sortKey > @after AND c.ts >= @from AND c.ts <= @to
       ORDER BY c.sortKey`,
      { '@pk': namespace, '@after': after, '@from': range.from, '@to': range.to },
    );
    const page = toPage(docs, limit, (d) => String(d['sortKey']));
    return { ...page, items: page.items.map((d) => eventFromDoc(d) as HistoryEventOf<'AuditEvent'>) };
  }

  async getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined> {
    namespaceOfKey(botKey);
    try {
      const { resource } = await this.bots.item(statusDocId(botKey), botKey).read<Doc>();
      return resource && { value: statusFromDoc(resource), etag: String(resource['_etag']) };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> {
    const ns = namespaceOfKey(status.botKey);
    const doc = {
      id: statusDocId(status.botKey),
      pk: status.botKey,
      ns,
      docType: 'status',
      schemaVersion: STATUS_SCHEMA_VERSION,
      status,
    };
    try {
      const { resource } =
        etag === undefined
          ? await this.bots.items.upsert<Doc>(doc)
          : await this.bots
              .item(doc.id, doc.pk)
              .replace<Doc>(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      return { value: structuredClone(status), etag: String(resource?.['_etag']) };
    } catch (error) {
      const code = statusOf(error);
      if (code === 412 || code === 404) {
        throw new ConflictError(`status of ${status.botKey} changed since version ${etag}`);
      }
      throw error;
    }
  }

  async listStatuses(namespace: string): Promise<readonly BotStatus[]> {
    const docs = await queryAll<Doc>(
      this.bots,
      "SELECT * FROM c WHERE c.ns = @ns AND c.docType = 'status' ORDER BY c.pk",
      { '@ns': assertNamespace(namespace) },
    );
    return docs.map(statusFromDoc);
  }

  close(): Promise<void> {
    this.client.dispose();
    return Promise.resolve();
  }
}

function statusFromDoc(doc: Doc): BotStatus {
  return readStatus(doc['status'] as Doc, Number(doc['schemaVersion']));
}
