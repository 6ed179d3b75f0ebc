/**
 * The strategy side of the kernel (bot-kernel.ts): strategy events are queued and stepped one at a time
 * through the reducer, and each step's intents are applied (orders through the order flow, round trips
 * to the metrics, leverage to the ledger, phase changes to the log).
 */
import type { MetricsRecorder } from '../metrics/metrics.ts';
import type { EventLog } from './event-log.ts';
import type { BotLedger } from './ledger.ts';
import type { OrderFlow } from './order-flow.ts';
import { StepQueue } from './step-queue.ts';
import type { Intent, StrategyContext, StrategyDefinition, StrategyEvent } from './strategy.ts';
import type { WakeLevels } from './wake.ts';

/** What stepping the strategy needs of the kernel. */
export interface StepHost {
  readonly faulted: boolean;
  readonly options: { readonly strategy: StrategyDefinition<unknown, unknown> };
  readonly log: EventLog;
  readonly ledger: BotLedger;
  readonly metrics: MetricsRecorder;
  readonly flow: OrderFlow;
  context(): StrategyContext;
  transition(to: string, reason: string, terminal?: boolean): void;
  fault(event: StrategyEvent, error: unknown): void;
}

/** The strategy's state and its event queue. */
export class StrategySteps {
  /** The reducer's state after the last step. */
  state: unknown;
  private readonly host: StepHost;
  private readonly wake: WakeLevels;
  private readonly queue = new StepQueue(
    (event) => this.step(event),
    (event, steps) =>
      this.host.fault(event, new Error(`more than ${steps} steps without waiting for the market`)),
  );

  constructor(host: StepHost, wake: WakeLevels) {
    this.host = host;
    this.wake = wake;
  }

  /** Queues a strategy event and runs the strategy until nothing is queued. */
  deliver(event: StrategyEvent): void {
    this.queue.push(event);
  }

  private step(event: StrategyEvent): void {
    const host = this.host;
    if (host.faulted) return;
    let result;
    try {
      result = host.options.strategy.onEvent(this.state, event, host.context());
    } catch (error) {
      host.fault(event, error);
      return;
    }
    this.state = result.state;
    this.wake.set(result.wake);
    if (result.roundTrips) for (const trip of result.roundTrips) host.metrics.recordRoundTrip(trip.pnl);
    for (const intent of result.intents) this.apply(intent);
  }

  private apply(intent: Intent): void {
    const { flow, metrics, ledger } = this.host;
    if (intent.type === 'place') flow.place(intent);
    else if (intent.type === 'cancel') flow.cancel(intent.key);
    else if (intent.type === 'amend') flow.amend(intent);
    else if (intent.type === 'roundTrip') metrics.recordRoundTrip(intent.pnl);
    else if (intent.type === 'setLeverage') {
      ledger.setLeverage(intent.leverage, intent);
      const reason = `leverage ${intent.leverage}, ${intent.marginMode} margin, ${ledger.marginModel}`;
      this.host.log.emit('AuditEvent', { actor: 'strategy', action: 'setLeverage', reason });
    } else this.host.transition(intent.to, intent.reason, intent.terminal === true);
  }
}
