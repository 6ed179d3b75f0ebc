/**
 * The history events of DESIGN §7. Every event has `botKey = namespace/name`, `runId`, `seq` (gap-free
 * per run, from 1), `ts` and `revision` (git SHA or content hash of the spec the run uses). Writes are
 * idempotent on (botKey, runId, seq). Payloads are plain JSON and never contain a secret.
 */
import type { Dec } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';
import type { Fill, OrderRequest, OrderSnapshot, Side } from './orders.ts';

/** The current version of stored event documents; readers upgrade older versions. */
export const EVENT_SCHEMA_VERSION = 1;

/** One changed field in a params diff. */
export interface FieldChange {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly class: string;
}

/** Event payloads by type. */
export interface EventPayloads {
  BotRunStarted: {
    readonly strategy: string;
    readonly account: string;
    readonly market: string;
    readonly params: unknown;
    readonly mode: 'backtest' | 'paper' | 'sandbox' | 'live';
    readonly initialEquity?: Dec;
  };
  BotRunStopped: { readonly reason: string; readonly closeAction?: string; readonly finalEquity?: Dec };
  ParamsApplied: { readonly changes: readonly FieldChange[]; readonly params: unknown };
  StateTransition: { readonly from: string; readonly to: string; readonly reason: string };
  SignalReceived: {
    readonly source: string;
    readonly accepted: boolean;
    readonly reason?: string;
    readonly action?: string;
    readonly idempotencyKey?: string;
  };
  OrderIntent: { readonly request: OrderRequest; readonly role: string; readonly idx: number };
  OrderSubmitted: { readonly clientOrderId: string; readonly exchangeOrderId?: string };
  OrderUpdated: { readonly order: OrderSnapshot };
  OrderFilled: { readonly fill: Fill; readonly symbol: string };
  RiskDenied: { readonly request: OrderRequest; readonly check: string; readonly reason: string };
  PositionSnapshot: {
    readonly symbol: string;
    readonly base: Dec;
    readonly quote: Dec;
    readonly side?: Side | 'flat';
    readonly entryPrice?: Dec;
    readonly contracts?: Dec;
    readonly margin?: Dec;
    readonly unrealizedPnl?: Dec;
    readonly liquidationPrice?: Dec;
  };
  MetricsSnapshot: { readonly metrics: Readonly<Record<string, Dec | number>> };
  AuditEvent: {
    readonly actor: string;
    readonly action: string;
    readonly reason: string;
    readonly details?: unknown;
  };
}

/** The event type names. */
export type EventType = keyof EventPayloads;

/** A stored history event of one type. */
export interface HistoryEventOf<T extends EventType> {
  readonly schemaVersion: number;
  readonly botKey: string;
  readonly runId: string;
  readonly seq: number;
  readonly ts: EpochMs;
  readonly revision: string;
  readonly type: T;
  readonly data: EventPayloads[T];
}

/** Any stored history event. */
export type HistoryEvent = { [T in EventType]: HistoryEventOf<T> }[EventType];

/** The namespace (tenant) part of a bot key. */
export function namespaceOf(botKey: string): string {
  const slash = botKey.indexOf('/');
  return slash < 0 ? 'default' : botKey.slice(0, slash);
}
