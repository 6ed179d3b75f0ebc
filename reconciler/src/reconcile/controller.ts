/**
 * Connects a source of desired state to the reconcile loop and reports each revision's outcome back to
 * the source (a GitHub commit status on the applied revision): success when every bot is Ready,
 * failure when the revision is invalid or a bot is Stalled, pending while bots are still retrying.
 */
import type { Logger } from '../log/logger.ts';
import type { DesiredSource, RevisionReport } from '../sources/source.ts';
import type { EventBus } from './events.ts';
import type { Reconciler } from './reconciler.ts';

/** The source → loop → report wiring of one service. */
export class ReconcileController {
  private readonly source: DesiredSource;
  private readonly reconciler: Reconciler;
  private readonly bus: EventBus;
  private readonly logger: Logger;
  private readonly summaries = new Map<string, { summary: string; reason: string; observed: string }>();
  private lastReported = '';
  private reporting: Promise<void> = Promise.resolve();
  private off: (() => void) | undefined;

  constructor(options: { source: DesiredSource; reconciler: Reconciler; bus: EventBus; logger: Logger }) {
    this.source = options.source;
    this.reconciler = options.reconciler;
    this.bus = options.bus;
    this.logger = options.logger;
  }

  /** Adopts running bots, then starts the source; resolves once the first snapshot was taken. */
  async start(): Promise<void> {
    this.off = this.bus.subscribe((event) => {
      if (event.type === 'status') {
        const stalled = event.status.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
        this.summaries.set(event.botKey, {
          summary: event.summary,
          reason: stalled?.reason ?? '',
          observed: event.status.observedRevision ?? '',
        });
      }
      if (event.type === 'pass' || event.type === 'revision') this.report();
    });
    await this.reconciler.start();
    await this.source.start((snapshot) => this.reconciler.accept(snapshot));
  }

  /** Stops intake, finishes the pass in flight and the last report. */
  async stop(): Promise<void> {
    await this.source.close();
    await this.reconciler.shutdown();
    this.off?.();
    await this.reporting;
  }

  /** The report for the current revision, from the latest status of every bot. */
  currentReport(): RevisionReport | undefined {
    const revision = this.reconciler.revision;
    if (!revision) return undefined;
    if (!revision.valid) {
      const first = revision.issues[0] ?? '';
      return {
        revision: revision.revision,
        state: 'failure',
        description: `${revision.issues.length} validation error(s): ${first}`,
      };
    }
    if (this.reconciler.lastGoodRevision !== revision.revision) return undefined;
    // Report only once every desired bot has been reconciled at this revision.
    const all = this.reconciler.desiredKeys().map((key) => [key, this.summaries.get(key)] as const);
    if (all.some(([, s]) => s?.observed !== revision.revision)) return undefined;
    const stalled = all.filter(([, s]) => s?.summary === 'Stalled');
    if (stalled.length > 0) {
      const [key, s] = stalled[0]!;
      return {
        revision: revision.revision,
        state: 'failure',
        description: `${stalled.length} bot(s) stalled, e.g. ${key}: ${s?.reason ?? ''}`,
      };
    }
    if (all.some(([, s]) => s?.summary === 'Reconciling')) {
      return {
        revision: revision.revision,
        state: 'pending',
        description: 'applying; some bots are retrying',
      };
    }
    return {
      revision: revision.revision,
      state: 'success',
      description: `applied; ${all.length} bot(s) ready`,
    };
  }

  private report(): void {
    const report = this.currentReport();
    if (!report) return;
    const key = `${report.revision}\0${report.state}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    this.reporting = this.reporting
      .then(() => this.source.report(report))
      .catch((error: unknown) =>
        this.logger.warn('could not report revision status', { revision: report.revision, error }),
      );
  }
}
