/** A namespace-confined view over any store: the one place tenant scoping is enforced for all stores. */
import type { EpochMs } from '../../core/clock.ts';
import type { HistoryEvent, HistoryEventOf } from '../../model/events.ts';
import type {
  BotStatus,
  HistoryQueries,
  HistoryStore,
  LatestSnapshots,
  NamespaceStore,
  Page,
  RunInfo,
  StoredCheckpoint,
  TimeRange,
  Versioned,
} from '../../ports/store.ts';
import { TenancyError } from '../../ports/store.ts';
import { assertInNamespace, assertNamespace } from './keys.ts';

type Inner = HistoryStore & HistoryQueries;

/** Delegates to the owning store after checking that every key and namespace lies in `namespace`. */
export class NamespaceScope implements NamespaceStore {
  readonly namespace: string;
  private readonly inner: Inner;

  constructor(inner: Inner, namespace: string) {
    this.inner = inner;
    this.namespace = assertNamespace(namespace);
  }

  private own(botKey: string): void {
    assertInNamespace(botKey, this.namespace);
  }

  private ownNamespace(namespace: string): void {
    if (namespace !== this.namespace) {
      throw new TenancyError(
        `namespace "${namespace}" is outside this handle's namespace "${this.namespace}"`,
      );
    }
  }

  async append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    for (const event of events) this.own(event.botKey);
    if (checkpoint) this.own(checkpoint.botKey);
    await this.inner.append(events, checkpoint);
  }

  async loadCheckpoint(botKey: string, runId: string): Promise<StoredCheckpoint | undefined> {
    this.own(botKey);
    return this.inner.loadCheckpoint(botKey, runId);
  }

  async listRuns(botKey: string): Promise<readonly RunInfo[]> {
    this.own(botKey);
    return this.inner.listRuns(botKey);
  }

  async readRun(
    botKey: string,
    runId: string,
    range?: { fromSeq?: number; toSeq?: number; limit?: number; continuation?: string },
  ): Promise<Page<HistoryEvent>> {
    this.own(botKey);
    return this.inner.readRun(botKey, runId, range);
  }

  async readRunByTime(
    botKey: string,
    runId: string,
    range: { from: EpochMs; to: EpochMs; limit?: number; continuation?: string },
  ): Promise<Page<HistoryEvent>> {
    this.own(botKey);
    return this.inner.readRunByTime(botKey, runId, range);
  }

  async getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined> {
    this.own(botKey);
    return this.inner.getStatus(botKey);
  }

  async putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> {
    this.own(status.botKey);
    return this.inner.putStatus(status, etag);
  }

  async listStatuses(namespace: string = this.namespace): Promise<readonly BotStatus[]> {
    this.ownNamespace(namespace);
    return this.inner.listStatuses(namespace);
  }

  async latestSnapshots(botKey: string): Promise<LatestSnapshots> {
    this.own(botKey);
    return this.inner.latestSnapshots(botKey);
  }

  async readAudit(namespace: string, range: TimeRange): Promise<Page<HistoryEventOf<'AuditEvent'>>> {
    this.ownNamespace(namespace);
    return this.inner.readAudit(namespace, range);
  }

  /** The owning store holds the connection; closing a view does nothing. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
