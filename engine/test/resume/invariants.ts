/** What must hold for a bot's history after any number of restarts (issue 6). */
import { expect } from '@jest/globals';
import type { HistoryEvent } from '../../src/model/events.ts';

/** Checks one resumed run: one run, gap-free seq, one start, no client order id sent twice. */
export function expectOneContinuousRun(
  botKey: string,
  runIds: readonly string[],
  events: readonly HistoryEvent[],
): void {
  expect({ botKey, runIds }).toEqual({ botKey, runIds: [`${botKey}#1`] });
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.type === 'BotRunStarted')).toHaveLength(1);
  const intents = events.flatMap((e) => (e.type === 'OrderIntent' ? [e.data.request.clientOrderId] : []));
  expect(duplicates(intents)).toEqual([]);
  const submitted = events.flatMap((e) => (e.type === 'OrderSubmitted' ? [e.data.clientOrderId] : []));
  expect(duplicates(submitted)).toEqual([]);
  // Every submit follows the intent of the same id (write-ahead), also across restarts.
  expect(submitted.filter((id) => !intents.includes(id))).toEqual([]);
  const ts = events.map((e) => e.ts);
  expect(ts.filter((t, i) => i > 0 && t < ts[i - 1]!)).toEqual([]);
}

/** Seqs of the run's resume audits. */
export function resumeSeqs(events: readonly HistoryEvent[]): number[] {
  return events.flatMap((e) => (e.type === 'AuditEvent' && e.data.action === 'resumeRun' ? [e.seq] : []));
}

/** Fills recorded after `seq`. */
export function fillsAfter(events: readonly HistoryEvent[], seq: number): number {
  return events.filter((e) => e.type === 'OrderFilled' && e.seq > seq).length;
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}
