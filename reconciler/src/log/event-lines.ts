/**
 * One readable line per live event for `tower up`'s terminal: revisions, applied changes, status
 * changes, runs, orders and fills. Status lines are printed only when a bot's summary changes.
 */
import type { TowerEvent } from '../reconcile/events.ts';

const short = (revision: string): string => revision.replace(/^sha256:/, '').slice(0, 10);

/** Formats bus events as lines; remembers each bot's last summary so unchanged statuses stay quiet. */
export class EventLines {
  private readonly last = new Map<string, string>();

  /** The line for an event, or undefined when it is not worth a line. */
  format(event: TowerEvent): string | undefined {
    switch (event.type) {
      case 'revision':
        return event.valid
          ? `revision ${short(event.revision)} loaded`
          : `revision ${short(event.revision)} invalid, bots keep their last good spec:\n  ${event.issues.join('\n  ')}`;
      case 'applied':
        return `${event.action.padEnd(8)} ${event.botKey}${event.fields.length > 0 ? `  ${event.fields.join(', ')}` : ''}`;
      case 'status': {
        const stalled = event.status.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
        const retrying = event.status.conditions.find((c) => c.type === 'Reconciling' && c.status === 'True');
        const detail = stalled ?? retrying;
        const text = `${event.summary}${detail ? ` ${detail.reason}: ${detail.message}` : ''}`;
        if (this.last.get(event.botKey) === text) return undefined;
        this.last.set(event.botKey, text);
        return `status   ${event.botKey}  ${text}`;
      }
      case 'history':
        return historyLine(event.event);
      case 'error':
        return `error    ${event.where}  ${event.message}`;
      case 'pass':
        return undefined;
    }
  }
}

function historyLine(event: Extract<TowerEvent, { type: 'history' }>['event']): string | undefined {
  switch (event.type) {
    case 'BotRunStarted':
      return `run      ${event.botKey}  started ${event.runId} (${event.data.strategy} ${event.data.market}, ${event.data.mode})`;
    case 'BotRunStopped':
      return `run      ${event.botKey}  stopped ${event.runId}: ${event.data.reason}`;
    case 'OrderSubmitted':
      return `order    ${event.botKey}  submitted ${event.data.clientOrderId}`;
    case 'OrderFilled':
      return `fill     ${event.botKey}  ${event.data.fill.side} ${event.data.fill.qty} ${event.data.symbol} @ ${event.data.fill.price}`;
    case 'RiskDenied':
      return `risk     ${event.botKey}  denied ${event.data.check}: ${event.data.reason}`;
    case 'StateTransition':
      return `state    ${event.botKey}  ${event.data.from} → ${event.data.to} (${event.data.reason})`;
    case 'ParamsApplied':
      return `params   ${event.botKey}  ${event.data.changes.map((c) => c.path).join(', ')}`;
    case 'AuditEvent':
      return `audit    ${event.botKey}  ${event.data.actor} ${event.data.action}: ${event.data.reason}`;
    case 'OrderIntent':
    case 'OrderUpdated':
    case 'PositionSnapshot':
    case 'MetricsSnapshot':
    case 'SignalReceived':
      // Too frequent for a terminal line; they are on the event stream and in the store.
      return undefined;
  }
}
