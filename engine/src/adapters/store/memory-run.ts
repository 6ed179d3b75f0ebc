/** The memory store's record of one run, and the checks its fast paths make on it. */
import type { HistoryEvent } from '../../model/events.ts';
import type { RunInfo } from '../../ports/store.ts';

/** One run's events and info as the memory store keeps them. */
export interface RunRecord {
  /** Updated in place per batch; readers get copies. */
  readonly info: { -readonly [K in keyof RunInfo]: RunInfo[K] };
  readonly events: HistoryEvent[];
}

/**
 * True when a batch continues `run` in order (its next seqs, its key and id): such a batch passes
 * every check of `append` (the run's key passed them when it was first stored), so it goes straight in.
 */
export function continues(run: RunRecord, events: readonly HistoryEvent[]): boolean {
  const { botKey, runId, lastSeq } = run.info;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== lastSeq + 1 + i || e.botKey !== botKey || e.runId !== runId) return false;
  }
  return events.length > 0;
}

/** True when `event` is later than `than` (by time, then sequence). */
export function newer(event: HistoryEvent, than: HistoryEvent | undefined): boolean {
  return than === undefined || event.ts > than.ts || (event.ts === than.ts && event.seq > than.seq);
}
