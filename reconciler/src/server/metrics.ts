/**
 * Prometheus metrics in the text exposition format (version 0.0.4), derived from the event bus:
 * reconcile pass durations (histogram), bots by condition (gauge), orders, fills and errors (counters).
 * Small own code instead of a client library: five metric families need no registry.
 */
import type { EventBus, TowerEvent } from '../reconcile/events.ts';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function labels(pairs: Readonly<Record<string, string>>): string {
  const parts = Object.entries(pairs).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** The service's metrics, fed by the bus. */
export class TowerMetrics {
  private readonly bucketCounts = BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;
  private readonly botCondition = new Map<string, string>();
  private readonly orders = new Map<string, number>();
  private fills = 0;
  private readonly errors = new Map<string, number>();
  private readonly applied = new Map<string, number>();
  private readonly webhooks = new Map<string, number>();
  private revisionValid = 1;

  /** Starts counting events from `bus`; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.observe(event));
  }

  /** Counts one webhook request by endpoint and HTTP status. */
  webhook(endpoint: string, status: number): void {
    const key = `${endpoint}\0${status}`;
    this.webhooks.set(key, (this.webhooks.get(key) ?? 0) + 1);
  }

  observe(event: TowerEvent): void {
    switch (event.type) {
      case 'pass': {
        const seconds = event.durationMs / 1000;
        BUCKETS.forEach((le, i) => {
          if (seconds <= le) this.bucketCounts[i]! += 1;
        });
        this.durationSum += seconds;
        this.durationCount += 1;
        return;
      }
      case 'status':
        this.botCondition.set(event.botKey, event.summary);
        return;
      case 'history':
        if (event.event.type === 'OrderSubmitted') this.bump(this.orders, 'submitted');
        if (event.event.type === 'OrderUpdated') this.bump(this.orders, event.event.data.order.status);
        if (event.event.type === 'OrderFilled') this.fills += 1;
        return;
      case 'error':
        this.bump(this.errors, 'reconcile');
        return;
      case 'applied':
        this.bump(this.applied, event.action);
        return;
      case 'revision':
        this.revisionValid = event.valid ? 1 : 0;
        return;
    }
  }

  private bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  /** The exposition text. */
  render(): string {
    const out: string[] = [];
    out.push('# HELP tower_reconcile_duration_seconds Duration of reconcile passes.');
    out.push('# TYPE tower_reconcile_duration_seconds histogram');
    BUCKETS.forEach((le, i) =>
      out.push(
        `tower_reconcile_duration_seconds_bucket${labels({ le: String(le) })} ${this.bucketCounts[i]}`,
      ),
    );
    out.push(`tower_reconcile_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`);
    out.push(`tower_reconcile_duration_seconds_sum ${this.durationSum}`);
    out.push(`tower_reconcile_duration_seconds_count ${this.durationCount}`);
    out.push('# HELP tower_bots Bots by summary condition.');
    out.push('# TYPE tower_bots gauge');
    const byCondition = new Map<string, number>([
      ['Ready', 0],
      ['Reconciling', 0],
      ['Stalled', 0],
      ['Unknown', 0],
    ]);
    for (const summary of this.botCondition.values())
      byCondition.set(summary, (byCondition.get(summary) ?? 0) + 1);
    for (const [condition, n] of byCondition) out.push(`tower_bots${labels({ condition })} ${n}`);
    this.counter(
      out,
      'tower_orders_total',
      'Orders submitted and order updates by status.',
      'status',
      this.orders,
    );
    out.push(
      '# HELP tower_fills_total Fills recorded.',
      '# TYPE tower_fills_total counter',
      `tower_fills_total ${this.fills}`,
    );
    this.counter(out, 'tower_errors_total', 'Errors by where they happened.', 'where', this.errors);
    this.counter(out, 'tower_applied_total', 'Plan steps applied by action.', 'action', this.applied);
    const hooks = new Map([...this.webhooks].map(([k, v]) => [k, v]));
    out.push(
      '# HELP tower_webhook_requests_total Webhook requests by endpoint and status.',
      '# TYPE tower_webhook_requests_total counter',
    );
    for (const [key, n] of hooks) {
      const [endpoint, status] = key.split('\0') as [string, string];
      out.push(`tower_webhook_requests_total${labels({ endpoint, status })} ${n}`);
    }
    out.push('# HELP tower_revision_valid Whether the latest desired revision loaded without errors.');
    out.push('# TYPE tower_revision_valid gauge', `tower_revision_valid ${this.revisionValid}`);
    return `${out.join('\n')}\n`;
  }

  private counter(
    out: string[],
    name: string,
    help: string,
    label: string,
    values: ReadonlyMap<string, number>,
  ): void {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const [value, n] of values) out.push(`${name}${labels({ [label]: value })} ${n}`);
  }
}
