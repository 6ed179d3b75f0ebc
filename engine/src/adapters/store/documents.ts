/**
 * Stored document shapes shared by every store: schema-version upgrades on the read path, canonical
 * JSON for idempotency checks, opaque continuation tokens and the audit sort key.
 */
import { EVENT_SCHEMA_VERSION, type HistoryEvent } from '../../model/events.ts';
import { SequenceError, STATUS_SCHEMA_VERSION, type BotStatus, type Page } from '../../ports/store.ts';

type Doc = Record<string, unknown>;
type Upgrade = (doc: Doc) => Doc;

/** Event upgrades by the version they upgrade from (n → n + 1); none yet. */
const EVENT_UPGRADES: Readonly<Record<number, Upgrade>> = {};

/** Status upgrades: v1 stored drift as plain messages; v2 stores `{ kind, message }`. */
const STATUS_UPGRADES: Readonly<Record<number, Upgrade>> = {
  1: (doc) => {
    const drift = doc['drift'];
    if (!Array.isArray(drift)) return doc;
    return {
      ...doc,
      drift: drift.map((d: unknown) => (typeof d === 'string' ? { kind: 'Unknown', message: d } : d)),
    };
  },
};

function upgrade(
  what: string,
  doc: Doc,
  from: number,
  to: number,
  steps: Readonly<Record<number, Upgrade>>,
): Doc {
  if (!Number.isInteger(from) || from < 1 || from > to) {
    throw new RangeError(`${what}: schema version ${from} is not readable by this version (≤ ${to})`);
  }
  let current = doc;
  for (let v = from; v < to; v++) {
    const step = steps[v];
    if (!step) throw new RangeError(`${what}: no upgrade from schema version ${v}`);
    current = step(current);
  }
  return current;
}

/** Parses a stored event and upgrades it to EVENT_SCHEMA_VERSION. */
export function readEvent(stored: object): HistoryEvent {
  const doc = stored as Doc;
  const from = typeof doc['schemaVersion'] === 'number' ? doc['schemaVersion'] : 1;
  const where = `event ${String(doc['botKey'])} ${String(doc['runId'])} #${String(doc['seq'])}`;
  const upgraded = upgrade(where, doc, from, EVENT_SCHEMA_VERSION, EVENT_UPGRADES);
  return { ...upgraded, schemaVersion: EVENT_SCHEMA_VERSION } as unknown as HistoryEvent;
}

/** Upgrades a stored status written in `version` to STATUS_SCHEMA_VERSION. */
export function readStatus(doc: Doc, version: number): BotStatus {
  const upgraded = upgrade(
    `status ${String(doc['botKey'])}`,
    doc,
    version,
    STATUS_SCHEMA_VERSION,
    STATUS_UPGRADES,
  );
  return upgraded as BotStatus;
}

/** JSON with object keys sorted, so equal payloads compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Doc = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Doc)[k];
    return sorted;
  });
}

/** True when two events are the same event (after upgrading the stored one). */
export function sameEvent(stored: HistoryEvent, incoming: HistoryEvent): boolean {
  return canonicalJson(stored) === canonicalJson({ ...incoming, schemaVersion: EVENT_SCHEMA_VERSION });
}

/** Encodes a paging position as an opaque token. */
export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify({ v: 1, p: position })).toString('base64url');
}

/** Decodes a token from `encodeCursor`; throws RangeError naming the call when it is not one. */
export function decodeCursor<T extends string | number>(
  token: string,
  kind: 'string' | 'number',
  where: string,
): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      p?: unknown;
    };
    if (parsed.v === 1 && typeof parsed.p === kind) return parsed.p as T;
  } catch {
    // fall through to the error below
  }
  throw new RangeError(`${where}: invalid continuation token`);
}

/** The audit trail's total order as one sortable string: ts, then bot key, run and seq. */
export function auditSortKey(event: HistoryEvent): string {
  return `${String(event.ts).padStart(15, '0')}|${event.botKey}|${event.runId}|${String(event.seq).padStart(12, '0')}`;
}

/** Checks a page size; undefined means "everything". */
export function checkLimit(limit: number | undefined, where: string): number | undefined {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`${where}: limit must be a positive integer, was ${limit}`);
  }
  return limit;
}

/**
 * Splits a batch into runs, each sorted by seq, and checks each is consecutive (no gap or duplicate
 * inside the batch), so every store can reject a bad batch before writing any of it.
 */
export function groupByRun(events: readonly HistoryEvent[]): HistoryEvent[][] {
  if (isOneRunInOrder(events)) return events.length === 0 ? [] : [[...events]];
  const runs = new Map<string, HistoryEvent[]>();
  for (const event of events) {
    if (!Number.isInteger(event.seq) || event.seq < 1) {
      throw new SequenceError(
        `${event.botKey} ${event.runId}: seq must be a positive integer, was ${event.seq}`,
      );
    }
    const key = `${event.botKey}\u0000${event.runId}`;
    const list = runs.get(key) ?? [];
    list.push(event);
    runs.set(key, list);
  }
  const grouped = [...runs.values()].map((list) => list.sort((a, b) => a.seq - b.seq));
  for (const run of grouped) {
    run.forEach((event, i) => {
      if (i > 0 && event.seq !== run[i - 1]!.seq + 1) throw gap(event, run[i - 1]!.seq);
    });
  }
  return grouped;
}

/** True for the usual batch: events of one run with consecutive positive seqs, already in order. */
function isOneRunInOrder(events: readonly HistoryEvent[]): boolean {
  const first = events[0];
  if (first === undefined) return true;
  if (!Number.isInteger(first.seq) || first.seq < 1) return false;
  for (let i = 1; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== first.seq + i || e.botKey !== first.botKey || e.runId !== first.runId) return false;
  }
  return true;
}

/**
 * A deep copy of stored documents (plain JSON data: objects, arrays, primitives), so callers never share
 * objects with the store; what structuredClone does for such data, without its serialisation cost.
 */
export function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyPlain((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Cuts `rows` (fetched with limit + 1) into a page whose token resumes after the last item. */
export function toPage<T>(
  rows: readonly T[],
  limit: number | undefined,
  positionOf: (item: T) => string | number,
): Page<T> {
  if (limit === undefined || rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, continuation: encodeCursor(positionOf(items[items.length - 1]!)) };
}

/** The error for a stored event whose payload differs from the one being appended. */
export function conflicting(event: HistoryEvent): SequenceError {
  return new SequenceError(
    `${event.botKey} ${event.runId} seq ${event.seq}: a different event is already stored`,
  );
}

/** The error for an append that would leave a gap. */
export function gap(event: HistoryEvent, lastSeq: number): SequenceError {
  return new SequenceError(`${event.botKey} ${event.runId}: expected seq ${lastSeq + 1}, got ${event.seq}`);
}

/** Runs `fn` and turns a synchronous throw into a rejected promise (callers always see rejections). */
export function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
