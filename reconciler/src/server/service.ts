/**
 * The reconciler service: a source of desired state, the reconcile loop, the HTTP server and the event
 * bus, started and stopped as one. Shutdown order matters: stop intake (source, new requests), finish
 * the pass in flight, end event streams and close the server; the caller then flushes the engine and
 * the store.
 */
import type { BotStatus, EngineControl, EpochMs, HistoryStore } from '@tradingtower/engine';
import type { Logger } from '../log/logger.ts';
import { ReconcileController } from '../reconcile/controller.ts';
import type { EventBus } from '../reconcile/events.ts';
import type { Planning } from '../reconcile/planning.ts';
import { Reconciler } from '../reconcile/reconciler.ts';
import { GitHubWebhookReceiver } from '../sources/github-webhook.ts';
import type { DesiredSource } from '../sources/source.ts';
import { startServer, type RunningServer } from './http.ts';
import { TowerMetrics } from './metrics.ts';

/** Everything the service is made of. */
export interface ServiceOptions {
  readonly engine: EngineControl;
  readonly store: HistoryStore;
  readonly source: DesiredSource;
  readonly planning: Planning;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string;
  /** Push webhooks of the followed branch (GitHub sources). */
  readonly githubWebhook?: { readonly secret: string; readonly branch: string };
  readonly now?: () => EpochMs;
  readonly random?: () => number;
  readonly resyncMs?: number;
  /** Bearer token that allows the kill switch over HTTP (`/v1/kill`); without one it is read-only. */
  readonly adminToken?: string;
  /** See ReconcilerOptions.pruneConfirmMs. */
  readonly pruneConfirmMs?: number;
}

/** A running reconciler service. */
export class TowerService {
  readonly reconciler: Reconciler;
  readonly metrics = new TowerMetrics();
  private readonly options: ServiceOptions;
  private readonly controller: ReconcileController;
  private server: RunningServer | undefined;

  constructor(options: ServiceOptions) {
    this.options = options;
    this.reconciler = new Reconciler({
      engine: options.engine,
      store: options.store,
      planning: options.planning,
      bus: options.bus,
      logger: options.logger.child({ component: 'reconcile' }),
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      ...(options.resyncMs === undefined ? {} : { resyncMs: options.resyncMs }),
      ...(options.pruneConfirmMs === undefined ? {} : { pruneConfirmMs: options.pruneConfirmMs }),
    });
    this.controller = new ReconcileController({
      source: options.source,
      reconciler: this.reconciler,
      bus: options.bus,
      logger: options.logger,
    });
    this.metrics.attach(options.bus);
  }

  /** The server's base URL once started. */
  get url(): string {
    if (!this.server) throw new Error('service: not started');
    return this.server.url;
  }

  /** Starts the HTTP server (so probes answer while the first reconcile runs), then the loop. */
  async start(): Promise<void> {
    const hook = this.options.githubWebhook;
    const receiver = hook ? new GitHubWebhookReceiver(hook) : undefined;
    this.server = await startServer(
      {
        bus: this.options.bus,
        metrics: this.metrics,
        logger: this.options.logger.child({ component: 'http' }),
        isReady: () => this.reconciler.ready,
        statuses: () => this.statuses(),
        revision: () => ({
          ...this.reconciler.revision,
          lastGoodRevision: this.reconciler.lastGoodRevision,
          source: this.options.source.origin,
        }),
        kill: {
          token: this.options.adminToken,
          engage: (scope, flatten, reason) => this.reconciler.kill(scope, flatten, reason),
          clear: (scope) => this.reconciler.clearKill(scope),
          latches: () => this.reconciler.killSwitch.all,
        },
        ...(receiver
          ? {
              githubWebhook: {
                receive: (r) => receiver.receive(r),
                onTrigger: () => this.options.source.refresh(),
              },
            }
          : {}),
      },
      this.options.port,
      this.options.host,
    );
    await this.controller.start();
  }

  /** Statuses of every bot the loop knows, sorted by key. */
  async statuses(): Promise<BotStatus[]> {
    const keys = this.reconciler.knownKeys();
    const namespaces = new Set(keys.map((k) => k.slice(0, k.indexOf('/'))));
    const all: BotStatus[] = [];
    for (const ns of namespaces) all.push(...(await this.options.store.listStatuses(ns)));
    return all.sort((a, b) => a.botKey.localeCompare(b.botKey));
  }

  /** Graceful stop: intake first, then the pass in flight, then the server. */
  async stop(): Promise<void> {
    await this.controller.stop();
    await this.server?.close();
  }
}
