/**
 * What the kernel (bot-kernel.ts) records and does outside the order flow: funding and liquidation of a
 * perpetual position as the market moves, and the run's closing records. Kept apart so the kernel reads
 * as the event loop it is.
 */
import type { Dec } from '../core/decimal.ts';
import type { Bar } from '../model/market.ts';
import type { Metrics, MetricsRecorder } from '../metrics/metrics.ts';
import type { EventLog } from './event-log.ts';
import type { BotKernelOptions } from './options.ts';
import type { BotLedger } from './ledger.ts';
import type { OrderFlow } from './order-flow.ts';
import { liquidateIfCrossed, metricsRecord } from './positions.ts';
import type { CloseAction, StrategyEvent, Wake } from './strategy.ts';

/** The strategy side of a run as a checkpoint keeps it. */
export interface SavedStrategy {
  readonly state: unknown;
  readonly wake: Wake | undefined;
  readonly phaseLabel: string;
  readonly finished: boolean;
  readonly faulted: boolean;
  readonly paused: boolean;
  readonly price: Dec | undefined;
}

/** What these records need of the kernel. */
export interface RunHost {
  readonly log: EventLog;
  readonly ledger: BotLedger;
  readonly metrics: MetricsRecorder;
  readonly flow: OrderFlow;
  readonly options: BotKernelOptions;
  transition(to: string, reason: string): void;
  snapshotPosition(): void;
  deliver(event: StrategyEvent): void;
}

/** Records the run's start: BotRunStarted with the normalised params and the equity it starts with. */
export function recordStart(host: RunHost, params: unknown, initialEquity: Dec): void {
  const { strategy, account, market, mode } = host.options;
  host.log.emit('BotRunStarted', {
    strategy: strategy.kind,
    account,
    market: market.symbol,
    params,
    mode,
    initialEquity,
  });
}

/** Liquidates the position when `mark` crossed its liquidation price: records it, cancels, tells the strategy. */
export function liquidateOnCross(host: RunHost, mark: Dec): void {
  const done = liquidateIfCrossed(host.ledger, mark);
  if (!done) return;
  host.metrics.recordLiquidation(done.loss);
  const reason = `mark ${mark} crossed liquidation price ${done.liquidationPrice}: ${done.qty} at entry ${done.entryPrice} closed, ${done.loss} lost (${done.marginModel})`;
  host.log.emit('AuditEvent', { actor: 'exchange', action: 'liquidation', reason, details: done });
  host.transition('LIQUIDATED', reason);
  host.snapshotPosition();
  host.flow.cancelAll();
  host.deliver({ type: 'liquidated', ts: host.options.clock.now(), price: mark, loss: done.loss });
}

/** Books a bar's funding rate on an open perpetual position (bars with a funding column). */
export function bookFunding(host: RunHost, bar: Bar): void {
  const { ledger } = host;
  if (bar.fundingRate === undefined || !ledger.futures || ledger.qtyF === 0) return;
  const paid = ledger.applyFunding(bar.close, bar.fundingRate);
  const reason = `funding rate ${bar.fundingRate}: ${paid} to margin`;
  host.log.emit('AuditEvent', { actor: 'exchange', action: 'funding', reason });
  host.snapshotPosition();
}

/** Records the run's end at `price`: the final MetricsSnapshot and BotRunStopped. Returns the metrics. */
export function recordFinish(host: RunHost, price: Dec, reason: string, closeAction?: CloseAction): Metrics {
  const finalEquity = host.ledger.equity(price);
  const metrics = recordMetrics(host, finalEquity);
  host.log.emit('BotRunStopped', {
    reason,
    ...(closeAction === undefined ? {} : { closeAction }),
    finalEquity,
  });
  return metrics;
}

/** Records the metrics at `equity` (a MetricsSnapshot) and returns them. */
export function recordMetrics(host: RunHost, equity: Dec): Metrics {
  const metrics = host.metrics.summarize(equity);
  host.log.emit('MetricsSnapshot', { metrics: metricsRecord(metrics) });
  return metrics;
}
