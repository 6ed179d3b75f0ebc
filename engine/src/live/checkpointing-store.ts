/**
 * The engine's view of its store: every append of a run's events carries the checkpoint of that run
 * as it stands at that moment (the runner appends a kernel's batch before it executes the batch's
 * commands, so the checkpoint describes the run exactly as of its last stored event). The kernel,
 * runner and bar driver stay unaware of checkpoints.
 */
import type { HistoryEvent } from '../model/events.ts';
import type { BotStatus, HistoryStore, Page, RunInfo, StoredCheckpoint, Versioned } from '../ports/store.ts';

/** Builds the checkpoint of a run the engine runs now, if it runs it. */
export type CheckpointSource = (botKey: string, runId: string) => StoredCheckpoint | undefined;

/** A store that adds the current checkpoint to each single-run append. */
export class CheckpointingStore implements HistoryStore {
  private readonly inner: HistoryStore;
  private readonly source: CheckpointSource;

  constructor(inner: HistoryStore, source: CheckpointSource) {
    this.inner = inner;
    this.source = source;
  }

  append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    const first = events[0];
    if (checkpoint || !first) return this.inner.append(events, checkpoint);
    const single = events.every((e) => e.botKey === first.botKey && e.runId === first.runId);
    // Taken synchronously, before any await: the kernel cannot move between its batch and its checkpoint.
    const taken = single ? this.source(first.botKey, first.runId) : undefined;
    return this.inner.append(events, taken);
  }

  loadCheckpoint(botKey: string, runId: string): Promise<StoredCheckpoint | undefined> {
    return this.inner.loadCheckpoint(botKey, runId);
  }

  listRuns(botKey: string): Promise<readonly RunInfo[]> {
    return this.inner.listRuns(botKey);
  }

  readRun(
    botKey: string,
    runId: string,
    range?: Parameters<HistoryStore['readRun']>[2],
  ): Promise<Page<HistoryEvent>> {
    return this.inner.readRun(botKey, runId, range);
  }

  readRunByTime(
    botKey: string,
    runId: string,
    range: Parameters<HistoryStore['readRunByTime']>[2],
  ): Promise<Page<HistoryEvent>> {
    return this.inner.readRunByTime(botKey, runId, range);
  }

  getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined> {
    return this.inner.getStatus(botKey);
  }

  putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> {
    return this.inner.putStatus(status, etag);
  }

  listStatuses(namespace: string): Promise<readonly BotStatus[]> {
    return this.inner.listStatuses(namespace);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
