/**
 * The reconcile loop (DESIGN §5): level-triggered and idempotent. A snapshot only wakes it; every pass
 * reads the whole desired state (the last good revision) and the whole observed state, asks the planner
 * for a plan, applies the steps of the queued bots and writes every queued bot's status, even when the
 * pass fails. An invalid revision never changes a running bot: it keeps its last good spec and its
 * status says Stalled with the located errors.
 */
import type { CloseAction, EngineControl, EpochMs, HistoryStore, ObservedBot } from '@tradingtower/engine';
import type { DesiredBot, DesiredState, Snapshot } from '../manifest/types.ts';
import type { Logger } from '../log/logger.ts';
import { applyStep, type ApplyResult } from './apply.ts';
import { DEFAULT_BACKOFF } from './backoff.ts';
import type { EventBus } from './events.ts';
import { passFacts } from './pass-facts.ts';
import { PruneConfirmation } from './prune-confirmation.ts';
import { covers, KillSwitch, type KillScope } from './kill-switch.ts';
import { formatIssue, type RevisionState } from './revision-issues.ts';
import { currentBotOf, extrasOf, type AppliedExtras, type Planning, type PlanStep } from './planning.ts';
import { botRuntimeSpec } from './runtime-spec.ts';
import { summaryOf, writeStatus } from './status.ts';
import { realTimers, WorkQueue, type KeyOutcome, type Timers } from './work-queue.ts';

/** Collaborators and tuning of the loop. */
export interface ReconcilerOptions {
  readonly engine: EngineControl;
  readonly store: HistoryStore;
  readonly planning: Planning;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly now: () => EpochMs;
  readonly random: () => number;
  readonly timers?: Timers;
  /** Re-reconciles every known bot this often to refresh drift and status (0 = never). */
  readonly resyncMs?: number;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number; readonly jitter: number };
  /**
   * How long a bot's manifest must stay absent before the prune is applied. A folder can be read while
   * an editor is half-way through writing a file; a commit cannot, so GitHub sources use 0.
   */
  readonly pruneConfirmMs?: number;
}

interface PassContext {
  readonly desired: DesiredState | undefined;
  readonly bots: ReadonlyMap<string, DesiredBot>;
  readonly steps: ReadonlyMap<string, PlanStep>;
  observed: ReadonlyMap<string, ObservedBot>;
}

/** Runs the reconcile loop for one source of desired state. */
export class Reconciler {
  private readonly options: ReconcilerOptions;
  private readonly queue: WorkQueue;
  private readonly known = new Set<string>();
  private readonly extras = new Map<string, AppliedExtras>();
  private readonly prunes: PruneConfirmation;
  /** Operator kill-switch latches; a latched bot is held stopped until cleared. */
  readonly killSwitch: KillSwitch;
  private latest: RevisionState | undefined;
  private lastGood: DesiredState | undefined;
  private resyncTimer: unknown;
  private succeeded = false;

  constructor(options: ReconcilerOptions) {
    this.options = options;
    this.prunes = new PruneConfirmation(options.pruneConfirmMs ?? 0, options.now);
    this.killSwitch = new KillSwitch(options);
    this.queue = new WorkQueue({
      worker: (keys) => this.pass(keys),
      backoff: { ...(options.backoff ?? DEFAULT_BACKOFF), random: options.random },
      ...(options.timers ? { timers: options.timers } : {}),
      onError: (error) => options.logger.error('reconcile pass failed', { error }),
    });
  }

  /** True once a pass has completed (the `/readyz` signal). */
  get ready(): boolean {
    return this.succeeded;
  }

  /** The revision last seen and its validation errors. */
  get revision():
    { readonly revision: string; readonly valid: boolean; readonly issues: readonly string[] } | undefined {
    if (!this.latest) return undefined;
    return {
      revision: this.latest.revision,
      valid: this.latest.errors.length === 0,
      issues: this.latest.errors.map(formatIssue),
    };
  }

  /** The last revision that loaded without errors (what bots run). */
  get lastGoodRevision(): string | undefined {
    return this.lastGood?.revision;
  }

  /** Takes a new snapshot: loads it, keeps it as the desired state when valid, and wakes every bot. */
  accept(snapshot: Snapshot): void {
    const { desired, issues } = this.options.planning.load(snapshot);
    const errors = issues.filter((i) => i.severity === 'error');
    this.latest = { revision: snapshot.revision, errors };
    if (errors.length === 0 && desired.complete) this.lastGood = desired;
    const event = {
      type: 'revision',
      revision: snapshot.revision,
      valid: errors.length === 0,
      issues: errors.map(formatIssue),
    } as const;
    this.options.bus.publish(event);
    if (errors.length > 0) {
      this.options.logger.warn('revision invalid, bots keep their last good spec', {
        revision: snapshot.revision,
        errors: event.issues,
      });
    }
    this.wakeAll();
  }

  /** Adopts the bots the engine already runs (after a restart) and starts the periodic resync. */
  async start(): Promise<void> {
    await this.killSwitch.load();
    for (const bot of await this.options.engine.observe()) {
      this.known.add(bot.botKey);
      const applied = (await this.options.store.getStatus(bot.botKey))?.value['applied'];
      if (applied !== undefined) this.extras.set(bot.botKey, applied as AppliedExtras);
    }
    this.scheduleResync();
    this.wakeAll();
  }

  /** Every bot key the loop knows (desired now or seen running). */
  knownKeys(): readonly string[] {
    return [...this.known].sort();
  }

  /** The bot keys of the last good revision. */
  desiredKeys(): readonly string[] {
    return (this.lastGood?.bots ?? []).map((b) => b.key);
  }

  /** Queues one bot for a pass now. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Resolves when no pass is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops intake and the resync timer, and waits for the pass in flight. */
  async shutdown(): Promise<void> {
    if (this.resyncTimer !== undefined) (this.options.timers ?? realTimers).clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    await this.queue.shutdown();
  }

  private wakeAll(): void {
    for (const bot of this.lastGood?.bots ?? []) this.known.add(bot.key);
    for (const key of this.known) this.queue.add(key);
    // With nothing to reconcile, having read the desired state is the first successful reconcile.
    if (this.known.size === 0 && this.latest) this.succeeded = true;
  }

  private scheduleResync(): void {
    const every = this.options.resyncMs ?? 30_000;
    if (every <= 0) return;
    this.resyncTimer = (this.options.timers ?? realTimers).setTimeout(() => {
      this.wakeAll();
      this.scheduleResync();
    }, every);
  }

  /** One pass over a batch of bots: observe all, plan all, apply and write status for the batch. */
  private async pass(keys: readonly string[]): Promise<ReadonlyMap<string, KeyOutcome>> {
    const started = performance.now();
    const observed = await this.options.engine.observe();
    for (const bot of observed) this.known.add(bot.botKey);
    const context = this.contextFor(observed);
    const outcomes = new Map<string, KeyOutcome>();
    const results = new Map<string, ApplyResult | Error | undefined>();
    for (const key of keys)
      results.set(key, await this.applyFor(key, context).catch((e: unknown) => toError(e)));
    if ([...results.values()].some((r) => r !== undefined && !(r instanceof Error) && r.changed)) {
      context.observed = byKey(await this.options.engine.observe());
    }
    let errors = 0;
    for (const [key, result] of results) {
      const outcome = await this.finish(key, result, context);
      if (outcome.kind === 'retry') errors += 1;
      outcomes.set(key, outcome);
    }
    if (errors < keys.length) this.succeeded = true;
    this.options.bus.publish({
      type: 'pass',
      durationMs: performance.now() - started,
      keys: keys.length,
      errors,
    });
    return outcomes;
  }

  private contextFor(observed: readonly ObservedBot[]): PassContext {
    const desired = this.lastGood;
    const bots = new Map((desired?.bots ?? []).map((b) => [b.key, b]));
    // A stopped bot that no manifest names any more is finished with: it is not offered for pruning again.
    const current = observed
      .filter((o) => o.state !== 'stopped' || bots.has(o.botKey))
      .map((o) => currentBotOf(o, this.extras.get(o.botKey)));
    const steps = desired ? this.options.planning.plan(current, desired) : [];
    return {
      desired,
      bots,
      steps: new Map(steps.map((s) => [s.key, s])),
      observed: byKey(observed),
    };
  }

  /** Applies the planned step of one bot, if any (reconcileBot's acting half). */
  private async applyFor(key: string, context: PassContext): Promise<ApplyResult | undefined> {
    const held = await this.killSwitch.hold(key, context.observed.get(key), context.desired?.revision);
    if (held) return held;
    const step = context.steps.get(key);
    if (!step || !context.desired) return undefined;
    const bot = context.bots.get(key);
    const gated = this.prunes.gate(key, step, context.observed.get(key));
    if (gated) return gated;
    const previous = step.action === 'prune' ? await this.options.store.getStatus(key) : undefined;
    const remembered = previous?.value['closeAction'] as CloseAction | undefined;
    const result = await applyStep({
      engine: this.options.engine,
      step,
      revision: context.desired.revision,
      bot,
      spec: bot ? botRuntimeSpec(bot, context.desired) : undefined,
      rememberedCloseAction: remembered,
    });
    if (bot && result.verdict.kind === 'ready') this.extras.set(key, extrasOf(bot));
    if (result.changed) this.announce(key, step, context.desired.revision);
    return result;
  }

  private announce(key: string, step: PlanStep, revision: string): void {
    const fields = step.fields.map((f) => f.path);
    this.options.bus.publish({ type: 'applied', botKey: key, action: step.action, revision, fields });
    this.options.logger.info(`${step.action} ${key}`, { revision, fields });
  }

  /** Engages a kill switch (see KillSwitch.engage) and queues the bots in scope for a status pass. */
  async kill(scope: KillScope, flatten: boolean, reason: string): Promise<string[]> {
    const stopped = await this.killSwitch.engage(scope, flatten, reason);
    for (const key of this.known) if (covers(scope, key)) this.queue.add(key);
    return stopped;
  }

  /** Clears a kill switch latch and lets the loop bring the bots back to their manifests. */
  async clearKill(scope: KillScope): Promise<boolean> {
    const cleared = await this.killSwitch.clear(scope);
    this.wakeAll();
    return cleared;
  }

  /** Writes the status of one bot from the pass's result (reconcileBot's reporting half). */
  private async finish(
    key: string,
    result: ApplyResult | Error | undefined,
    context: PassContext,
  ): Promise<KeyOutcome> {
    // Neither desired nor running (a pruned bot the engine forgot): nothing to report any more.
    if (result === undefined && !context.observed.has(key) && !context.bots.has(key)) return { kind: 'done' };
    const facts = passFacts({
      key,
      result,
      observed: context.observed.get(key),
      bot: context.bots.get(key),
      desiredRevision: context.desired?.revision,
      action: context.steps.get(key)?.action,
      latest: this.latest,
      lastGoodRevision: this.lastGood?.revision,
      extras: this.extras.get(key),
    });
    try {
      const status = await writeStatus(this.options.store, facts, this.options.now);
      this.options.bus.publish({ type: 'status', botKey: key, summary: summaryOf(status), status });
    } catch (error) {
      this.options.logger.error('status write failed', { botKey: key, error });
      return { kind: 'retry', error };
    }
    if (result instanceof Error) {
      this.options.logger.warn('apply failed, will retry', {
        botKey: key,
        error: result.message,
        failures: this.queue.failuresOf(key) + 1,
      });
      this.options.bus.publish({ type: 'error', where: key, message: result.message });
      return { kind: 'retry', error: result };
    }
    if (result?.requeueAfterMs !== undefined) return { kind: 'requeueAfter', ms: result.requeueAfterMs };
    return { kind: 'done' };
  }
}

function byKey(observed: readonly ObservedBot[]): Map<string, ObservedBot> {
  return new Map(observed.map((b) => [b.botKey, b]));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
