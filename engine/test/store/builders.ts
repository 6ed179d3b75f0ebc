/** Fixture builders for store tests: events as the kernel writes them. */
import type { EventPayloads, EventType, HistoryEvent, HistoryEventOf } from '../../src/model/events.ts';
import type { OrderRequest } from '../../src/model/orders.ts';
import type { BotStatus } from '../../src/ports/store.ts';

const REQUEST: OrderRequest = {
  clientOrderId: 'tt0a1b2000c7s0030',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  amount: '0.01',
  price: '30000.5',
};

/** Payloads that look like what the kernel writes, one per event type. */
export const PAYLOADS: { readonly [T in EventType]: EventPayloads[T] } = {
  BotRunStarted: {
    strategy: 'grid',
    account: 'paper',
    market: 'BTC/USDT',
    params: { levels: 10 },
    mode: 'paper',
  },
  BotRunStopped: { reason: 'ManifestRemoved', closeAction: 'cancelOrders' },
  ParamsApplied: {
    changes: [{ path: 'params.levels', from: 10, to: 12, class: 'amend' }],
    params: { levels: 12 },
  },
  StateTransition: { from: 'idle', to: 'running', reason: 'Started' },
  SignalReceived: { source: 'tv', accepted: true, action: 'buy' },
  OrderIntent: { request: REQUEST, role: 'grid', idx: 3 },
  OrderSubmitted: { clientOrderId: REQUEST.clientOrderId, exchangeOrderId: 'x-1' },
  OrderUpdated: {
    order: { ...REQUEST, exchangeOrderId: 'x-1', filled: '0', status: 'Open', ts: 1_700_000_000_500 },
  },
  OrderFilled: {
    fill: {
      tradeId: 't-1',
      clientOrderId: REQUEST.clientOrderId,
      ts: 1_700_000_001_000,
      side: 'buy',
      price: '30000.5',
      qty: '0.01',
      fee: '0.0000075',
      feeAsset: 'BTC',
      liquidity: 'maker',
    },
    symbol: 'BTC/USDT',
  },
  RiskDenied: {
    request: { ...REQUEST, type: 'market', amount: '5' },
    check: 'maxNotionalPerOrder',
    reason: 'over cap',
  },
  PositionSnapshot: { symbol: 'BTC/USDT', base: '0.01', quote: '9699.995' },
  MetricsSnapshot: { metrics: { totalPnl: '1.25', maxDrawdownPct: '0.4', trades: 3 } },
  AuditEvent: { actor: 'reconciler', action: 'apply', reason: 'revision abc123 merged' },
};

const TYPES = Object.keys(PAYLOADS) as EventType[];

/** One event; `type` defaults to a rotation through every event type by seq. */
export function anEvent(
  over: Partial<Omit<HistoryEvent, 'type' | 'data'>> & { type?: EventType; data?: unknown } = {},
): HistoryEvent {
  const seq = over.seq ?? 1;
  const type = over.type ?? TYPES[(seq - 1) % TYPES.length]!;
  return {
    schemaVersion: 1,
    botKey: 'alpha/grid-1',
    runId: 'run-1',
    ts: 1_700_000_000_000 + seq * 1000,
    revision: 'rev-1',
    ...over,
    seq,
    type,
    data: over.data ?? PAYLOADS[type],
  } as HistoryEvent;
}

/** Events `from..to` of one run, as one batch. */
export function aRun(
  from: number,
  to: number,
  over: Partial<Omit<HistoryEvent, 'type' | 'data' | 'seq'>> = {},
): HistoryEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => anEvent({ ...over, seq: from + i }));
}

/** An audit event. */
export function anAudit(
  over: Partial<Omit<HistoryEvent, 'type' | 'data'>> & { action?: string },
): HistoryEventOf<'AuditEvent'> {
  const { action = 'apply', ...rest } = over;
  return anEvent({
    ...rest,
    type: 'AuditEvent',
    data: { ...PAYLOADS.AuditEvent, action },
  }) as HistoryEventOf<'AuditEvent'>;
}

/** A status document. */
export function aStatus(botKey: string, over: Partial<BotStatus> = {}): BotStatus {
  return {
    botKey,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Applied',
        message: 'running',
        lastTransitionTime: 1_700_000_000_000,
      },
    ],
    observedRevision: 'rev-1',
    drift: [{ kind: 'UnknownOrder', message: 'order x-9 on the exchange is not in the ledger' }],
    ...over,
  };
}
