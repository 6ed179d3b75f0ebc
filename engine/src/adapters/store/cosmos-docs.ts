/** Document ids, shapes and query helpers of the Cosmos store. */
import type { Container, SqlParameter } from '@azure/cosmos';
import type { HistoryEvent } from '../../model/events.ts';
import { readEvent } from './documents.ts';

/**
 * A deterministic document id from its parts. Cosmos ids may not contain `/ \ ? #`, and `:` joins the
 * parts, so those (and `%`) are percent-encoded: different parts can never produce the same id.
 */
export function docId(...parts: readonly (string | number)[]): string {
  return parts
    .map((part) =>
      String(part).replace(/[/\\?#%:]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
    )
    .join(':');
}

/** The id of an event document (events container, pk = bot key; audit container, pk = namespace). */
export const eventId = (event: Pick<HistoryEvent, 'botKey' | 'runId' | 'seq'>): string =>
  docId(event.botKey, event.runId, event.seq);
/** The id of a run document in the bots container. */
export const runDocId = (botKey: string, runId: string): string => docId(botKey, 'run', runId);
/** The id of a status document in the bots container. */
export const statusDocId = (botKey: string): string => docId(botKey, 'status');

/** A run document: a hint of the run's progress; the truth is the highest seq present. */
export interface RunDoc {
  readonly id: string;
  readonly pk: string;
  readonly ns: string;
  readonly docType: 'run';
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly startedAt: number;
  readonly stoppedAt?: number;
  readonly lastSeq: number;
  readonly revision: string;
  readonly _etag?: string;
}

const SYSTEM = new Set(['id', 'pk', 'ns', 'ttl', 'sortKey', '_rid', '_self', '_etag', '_ts', '_attachments']);

/** An event from its stored document: system and routing fields removed, schema upgraded. */
export function eventFromDoc(doc: Record<string, unknown>): HistoryEvent {
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!SYSTEM.has(k)) event[k] = v;
  return readEvent(event);
}

/** The HTTP status of a Cosmos error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Runs a parameterised query to the end (following the SDK's continuation) and returns every row. */
export async function queryAll<T>(
  container: Container,
  query: string,
  parameters: Readonly<Record<string, string | number>>,
): Promise<T[]> {
  const params: SqlParameter[] = Object.entries(parameters).map(([name, value]) => ({ name, value }));
  const { resources } = await container.items.query<T>({ query, parameters: params }).fetchAll();
  return resources;
}

/** `TOP n ` for a fetch of `limit + 1` rows (to learn whether more remain), or nothing. */
export function top(limit: number | undefined): string {
  return limit === undefined ? '' : `TOP ${limit + 1} `;
}
