/** An in-memory history store: for tests and backtests. Same contract as SQLite and Cosmos. */
import type { HistoryEvent } from '../../model/events.ts';
import {
  ConflictError,
  SequenceError,
  type BotStatus,
  type HistoryStore,
  type Page,
  type RunInfo,
  type Versioned,
} from '../../ports/store.ts';

interface RunRecord {
  info: RunInfo;
  events: HistoryEvent[];
}

/** Keeps everything in maps; `append` enforces gap-free, idempotent sequences like the durable stores. */
export class MemoryHistoryStore implements HistoryStore {
  private readonly runs = new Map<string, Map<string, RunRecord>>();
  private readonly statuses = new Map<string, Versioned<BotStatus>>();
  private version = 0;

  append(events: readonly HistoryEvent[]): Promise<void> {
    for (const event of events) this.appendOne(event);
    return Promise.resolve();
  }

  private appendOne(event: HistoryEvent): void {
    const byRun = this.runs.get(event.botKey) ?? new Map<string, RunRecord>();
    this.runs.set(event.botKey, byRun);
    let run = byRun.get(event.runId);
    if (!run) {
      run = {
        info: {
          botKey: event.botKey,
          runId: event.runId,
          startedAt: event.ts,
          lastSeq: 0,
          revision: event.revision,
        },
        events: [],
      };
      byRun.set(event.runId, run);
    }
    const existing = run.events[event.seq - 1];
    if (existing) {
      if (JSON.stringify(existing) !== JSON.stringify(event)) {
        throw new SequenceError(
          `${event.botKey} ${event.runId} seq ${event.seq}: a different event is already stored`,
        );
      }
      return;
    }
    if (event.seq !== run.info.lastSeq + 1) {
      throw new SequenceError(
        `${event.botKey} ${event.runId}: expected seq ${run.info.lastSeq + 1}, got ${event.seq}`,
      );
    }
    run.events.push(event);
    run.info = {
      ...run.info,
      lastSeq: event.seq,
      revision: event.revision,
      ...(event.type === 'BotRunStopped' ? { stoppedAt: event.ts } : {}),
    };
  }

  listRuns(botKey: string): Promise<readonly RunInfo[]> {
    const runs = [...(this.runs.get(botKey)?.values() ?? [])].map((r) => r.info);
    return Promise.resolve(runs.sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId)));
  }

  readRun(
    botKey: string,
    runId: string,
    range: { fromSeq?: number; toSeq?: number; limit?: number; continuation?: string } = {},
  ): Promise<Page<HistoryEvent>> {
    const events = this.runs.get(botKey)?.get(runId)?.events ?? [];
    const from = range.continuation !== undefined ? Number(range.continuation) : (range.fromSeq ?? 1);
    const selected = events.filter(
      (e) => e.seq >= from && (range.toSeq === undefined || e.seq <= range.toSeq),
    );
    return Promise.resolve(paginate(selected, range.limit, (e) => String(e.seq + 1)));
  }

  readRunByTime(
    botKey: string,
    runId: string,
    range: { from: number; to: number; limit?: number; continuation?: string },
  ): Promise<Page<HistoryEvent>> {
    const events = this.runs.get(botKey)?.get(runId)?.events ?? [];
    const fromSeq = range.continuation !== undefined ? Number(range.continuation) : 1;
    const selected = events.filter((e) => e.seq >= fromSeq && e.ts >= range.from && e.ts <= range.to);
    return Promise.resolve(paginate(selected, range.limit, (e) => String(e.seq + 1)));
  }

  getStatus(botKey: string): Promise<Versioned<BotStatus> | undefined> {
    return Promise.resolve(this.statuses.get(botKey));
  }

  putStatus(status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> {
    const current = this.statuses.get(status.botKey);
    if (etag !== undefined && current?.etag !== etag) {
      return Promise.reject(new ConflictError(`status of ${status.botKey} changed since version ${etag}`));
    }
    this.version += 1;
    const stored = { value: structuredClone(status), etag: `m${this.version}` };
    this.statuses.set(status.botKey, stored);
    return Promise.resolve(stored);
  }

  listStatuses(namespace: string): Promise<readonly BotStatus[]> {
    const prefix = `${namespace}/`;
    return Promise.resolve(
      [...this.statuses.values()].filter((s) => s.value.botKey.startsWith(prefix)).map((s) => s.value),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function paginate<T>(items: readonly T[], limit: number | undefined, next: (last: T) => string): Page<T> {
  if (limit === undefined || items.length <= limit) return { items };
  const page = items.slice(0, limit);
  return { items: page, continuation: next(page[page.length - 1]!) };
}
