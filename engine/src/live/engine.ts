/**
 * The paper trading engine behind the reconciler (EngineControl, DESIGN §2, §5): each bot runs in the
 * one kernel, against a paper exchange per account and market that replays the bundled candles at the
 * account's speed. Live venues plug in as other exchange adapters; nothing here branches on paper.
 * Every call is idempotent for the same (botKey, revision).
 */
import { runIdOf } from '../core/ids.ts';
import type { HistoryStore, RunInfo, StoredCheckpoint } from '../ports/store.ts';
import type {
  AppliedChange,
  BotRuntimeSpec,
  DesiredBotState,
  EngineControl,
  ObservedBot,
} from '../ports/control.ts';
import type { FieldChange } from '../model/events.ts';
import { MARKETS } from '../markets/venues.ts';
import type { BotKernel } from '../kernel/bot-kernel.ts';
import { checkpointOf, readCheckpoint, type KernelCheckpoint } from '../kernel/checkpoint.ts';
import { settle } from '../kernel/runner.ts';
import type { CloseAction, StrategyDefinition } from '../kernel/strategy.ts';
import type { MarketInfo } from '../model/market.ts';
import { strategyOf } from '../strategies/index.ts';
import { startingBudget } from '../backtest/budget.ts';
import { MarketSession, type Sleep } from './session.ts';
import { CheckpointingStore } from './checkpointing-store.ts';
import { paperSliceOf } from './paper-slice.ts';
import { newKernel, ORDER_NS, ordersOf, resumeKernel } from './resume.ts';
import { DriftWatch } from './drift.ts';
import { PendingChanges } from './pending.ts';
import { basicRiskGate, riskLimitsOf } from '../risk/gate.ts';
import type { PaperExchange } from '../adapters/paper/exchange.ts';

/** What the engine needs to run. */
export interface LiveEngineSetup {
  readonly store: HistoryStore;
  /** Replay speed-up for paper accounts that do not set one (default 60). */
  readonly defaultSpeed?: number;
  readonly log?: (line: string) => void;
  /** Injected wait between replayed bars (tests replay instantly). */
  readonly sleep?: Sleep;
  /** Called after every replayed bar of a market (tests await progress with it). */
  readonly onBar?: (symbol: string, bars: number) => void;
  /** A MetricsSnapshot of every running bot each this many bars (default 60). */
  readonly metricsEveryBars?: number;
}

interface BotRuntime {
  spec: BotRuntimeSpec;
  kernel: BotKernel;
  session: MarketSession;
  state: DesiredBotState;
  updatedAt: number;
}

/** Paper engine: EngineControl plus `close`. */
export class LiveEngine implements EngineControl {
  private readonly setup: LiveEngineSetup;
  private readonly sessions = new Map<string, Promise<MarketSession>>();
  private readonly bots = new Map<string, BotRuntime>();
  private readonly log: (line: string) => void;
  /** Venue-versus-bot drift (issue 6) and next-cycle fields waiting for the next deal or cycle. */
  private readonly drift = new DriftWatch(ORDER_NS);
  private readonly pending = new PendingChanges();
  /** The store with a checkpoint added to every run append. */
  private readonly store: CheckpointingStore;
  private shuttingDown = false;

  constructor(setup: LiveEngineSetup) {
    this.setup = setup;
    this.log = setup.log ?? (() => undefined);
    this.store = new CheckpointingStore(setup.store, (botKey, runId) => this.checkpoint(botKey, runId));
  }

  /** The checkpoint of a run this engine runs, as it stands now. */
  private checkpoint(botKey: string, runId: string): StoredCheckpoint | undefined {
    const bot = this.bots.get(botKey);
    if (!bot || bot.kernel.log.runId !== runId) return undefined;
    const { kernel, session } = bot;
    const body = checkpointOf(kernel, {
      params: bot.spec.params,
      ...(session.cursor === undefined ? {} : { cursor: session.cursor }),
      venue: paperSliceOf(kernel, session.exchange, ordersOf(botKey)),
    });
    return { botKey, runId, seq: body.seq, body };
  }

  async observe(): Promise<readonly ObservedBot[]> {
    const drift = await this.drift.scan([...this.bots.values()]);
    const observed = [...this.bots.values()].map((b): ObservedBot => ({
      botKey: b.spec.botKey,
      strategy: b.spec.strategy,
      account: b.spec.account.name,
      market: b.spec.market,
      params: b.spec.params,
      state: b.state,
      runId: b.kernel.log.runId,
      revision: b.spec.revision,
      phase: b.kernel.phase(),
      finished: b.kernel.finished,
      pendingUntilNextCycle: this.pending.pendingOf(b.spec.botKey, progressOf(b.kernel)),
      drift: drift.get(b.spec.botKey) ?? [],
      updatedAt: b.updatedAt,
    }));
    return observed.sort((a, b) => a.botKey.localeCompare(b.botKey));
  }

  async create(spec: BotRuntimeSpec): Promise<void> {
    this.intake();
    const existing = this.bots.get(spec.botKey);
    if (existing && existing.state !== 'stopped') return;
    if (spec.state === 'stopped') return;
    const strategy = strategyOf(spec.strategy);
    if (!strategy)
      throw new Error(`${spec.botKey}: strategy "${spec.strategy}" is not available in this engine`);
    const market =
      MARKETS.find((m) => m.venue === spec.account.exchange && m.symbol === spec.market) ??
      MARKETS.find((m) => m.venue === 'paper' && m.symbol === spec.market);
    if (!market)
      throw new Error(`${spec.botKey}: no market metadata for ${spec.market} on ${spec.account.exchange}`);
    const runs = await this.store.listRuns(spec.botKey);
    if (existing === undefined && (await this.continueRun(spec, strategy, market, runs.at(-1)))) return;
    const session = await this.session(spec);
    const runNumber = runs.length + 1;
    await session.exclusive(async () => {
      const quoteAsset = market.settle ?? market.quote;
      const kernel = newKernel(spec, strategy, market, session, {
        runNumber,
        revision: spec.revision,
        params: spec.params,
        budget: startingBudget(strategy, spec.params, spec.account.balances?.[quoteAsset] ?? '0'),
      });
      session.driver.add(kernel);
      kernel.start(session.price);
      kernel.paused = spec.state === 'paused';
      // The replaced run's fills stay in its venue's balances: drift keeps counting them.
      if (existing) this.drift.retire(existing.session.exchange, existing.kernel);
      this.bots.set(spec.botKey, {
        spec,
        kernel,
        session,
        state: spec.state,
        updatedAt: session.clock.now(),
      });
      await settle(kernel, session.exchange, this.store);
    });
    this.log(
      `${spec.botKey}: run ${runIdOf(spec.botKey, runNumber)} started (${spec.strategy} on ${spec.market})`,
    );
    session.start();
  }

  /**
   * Continues the bot's unfinished run from its checkpoint when it is of the same strategy, account and
   * market (a changed revision is left for the reconciler to apply). False when there is nothing to resume.
   */
  private async continueRun(
    spec: BotRuntimeSpec,
    strategy: StrategyDefinition<unknown, unknown>,
    market: MarketInfo,
    last: RunInfo | undefined,
  ): Promise<boolean> {
    if (!last || last.stoppedAt !== undefined) return false;
    const stored = await this.store.loadCheckpoint(spec.botKey, last.runId);
    if (!stored) return false;
    const checkpoint = readCheckpoint(stored.body, `${spec.botKey} ${last.runId}`);
    if (!sameRun(checkpoint, spec)) {
      this.log(
        `${spec.botKey}: run ${last.runId} was of another strategy, account or market; starting a new run`,
      );
      return false;
    }
    const session = await this.session(spec, checkpoint.cursor);
    const resumed = { ...spec, params: checkpoint.params, revision: checkpoint.revision };
    await session.exclusive(async () => {
      const kernel = newKernel(resumed, strategy, market, session, { ...checkpoint, lastSeq: last.lastSeq });
      await resumeKernel(kernel, checkpoint, last.lastSeq, session, this.store, () => {
        const state = checkpoint.saved.paused ? 'paused' : 'running';
        this.bots.set(spec.botKey, { spec: resumed, kernel, session, state, updatedAt: session.clock.now() });
      });
    });
    this.log(
      `${spec.botKey}: run ${last.runId} resumed at seq ${last.lastSeq} (${spec.strategy} on ${spec.market})`,
    );
    session.start();
    return true;
  }

  async update(
    botKey: string,
    params: unknown,
    changes: readonly AppliedChange[],
    revision: string,
    risk?: unknown,
  ): Promise<void> {
    this.intake();
    const bot = this.require(botKey);
    if (bot.spec.revision === revision) return;
    await bot.session.exclusive(async () => {
      const fieldChanges: FieldChange[] = changes.map((c) => ({
        path: c.path,
        from: valueAt(bot.spec.params, c.path),
        to: valueAt(params, c.path),
        class: c.class,
      }));
      bot.kernel.log.revision = revision;
      bot.kernel.log.emit('ParamsApplied', { changes: fieldChanges, params });
      bot.kernel.deliver({ type: 'paramsChanged', ts: bot.session.clock.now(), params, changed: changes });
      bot.spec = { ...bot.spec, params, revision, ...(risk === undefined ? {} : { risk }) };
      if (risk !== undefined) bot.kernel.flow.setGate(basicRiskGate(riskLimitsOf(risk)));
      this.pending.record(botKey, changes, progressOf(bot.kernel));
      bot.updatedAt = bot.session.clock.now();
      await settle(bot.kernel, bot.session.exchange, this.store);
    });
  }

  async recreate(spec: BotRuntimeSpec): Promise<void> {
    const bot = this.bots.get(spec.botKey);
    if (bot && bot.spec.revision === spec.revision && bot.state !== 'stopped') return;
    if (bot && bot.state !== 'stopped')
      await this.stop(spec.botKey, spec.closeAction, 'recreated with a new spec', spec.revision);
    await this.create(spec);
  }

  pause(botKey: string, revision: string): Promise<void> {
    return this.setState(botKey, 'paused', revision);
  }

  resume(botKey: string, revision: string): Promise<void> {
    return this.setState(botKey, 'running', revision);
  }

  async stop(botKey: string, closeAction: CloseAction, reason: string, revision: string): Promise<void> {
    this.intake();
    const bot = this.bots.get(botKey);
    if (!bot || bot.state === 'stopped') return;
    await bot.session.exclusive(async () => {
      const { kernel, session } = bot;
      kernel.paused = false;
      kernel.requestStop(closeAction, reason);
      await settle(kernel, session.exchange, this.store);
      // Whatever the strategy did, a stop that does not keep orders leaves none behind.
      if (closeAction !== 'keep') kernel.flow.cancelAll();
      await settle(kernel, session.exchange, this.store);
      kernel.log.revision = revision;
      kernel.finish(reason, closeAction);
      await settle(kernel, session.exchange, this.store);
      session.driver.remove(kernel);
      bot.state = 'stopped';
      bot.updatedAt = session.clock.now();
    });
    this.log(`${botKey}: stopped (${reason})`);
  }

  /** Stops every replay and waits for the bars in progress; runs are not stopped (they resume later). */
  async close(): Promise<void> {
    const sessions = await Promise.all(this.sessions.values());
    await Promise.all(sessions.map((s) => s.close()));
  }

  /**
   * Graceful stop for SIGTERM: refuses further control calls, stops every replay after the bar in
   * progress, lets queued control calls finish, stores a final checkpoint of every running bot and
   * closes the store. Runs are not stopped: a restarted engine resumes them.
   */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.close();
    for (const bot of this.bots.values()) {
      if (bot.state === 'stopped') continue;
      await bot.session.exclusive(async () => {
        const checkpoint = this.checkpoint(bot.spec.botKey, bot.kernel.log.runId);
        await this.store.append(bot.kernel.log.take(), checkpoint);
      });
    }
    await this.store.close();
    this.log('engine shut down: every run checkpointed');
  }

  private intake(): void {
    if (this.shuttingDown) throw new Error('engine is shutting down: no new control calls');
  }

  private async setState(botKey: string, state: 'running' | 'paused', revision: string): Promise<void> {
    this.intake();
    const bot = this.require(botKey);
    if (bot.state === 'stopped' || bot.state === state) return;
    await bot.session.exclusive(() => {
      bot.kernel.paused = state === 'paused';
      bot.kernel.log.revision = revision;
      bot.kernel.log.emit('AuditEvent', {
        actor: 'reconciler',
        action: state === 'paused' ? 'pause' : 'resume',
        reason: `spec.state is ${state}`,
      });
      bot.state = state;
      bot.updatedAt = bot.session.clock.now();
      return settle(bot.kernel, bot.session.exchange, this.store);
    });
  }

  /**
   * A trading signal for a running bot (the webhook's output): recorded, and delivered to the strategy
   * when the bot can act. Returns whether it was accepted.
   */
  async signal(
    botKey: string,
    source: string,
    action: string,
    payload: Readonly<Record<string, unknown>>,
    idempotencyKey?: string,
  ): Promise<boolean> {
    this.intake();
    const bot = this.require(botKey);
    if (bot.state === 'stopped') return false;
    return bot.session.exclusive(async () => {
      const accepted = bot.kernel.signal(source, action, payload, idempotencyKey);
      await settle(bot.kernel, bot.session.exchange, this.store);
      return accepted;
    });
  }

  /** After each replayed bar: periodic metrics snapshots of the market's bots (inside the session lock). */
  private async afterBar(session: MarketSession): Promise<void> {
    const every = this.setup.metricsEveryBars ?? 60;
    for (const bot of this.bots.values()) {
      if (bot.session !== session || bot.state === 'stopped') continue;
      bot.updatedAt = session.clock.now();
      if (session.bars % every === 0) bot.kernel.snapshotMetrics();
      if (bot.kernel.busy) await settle(bot.kernel, session.exchange, this.store);
    }
    this.setup.onBar?.(session.market.symbol, session.bars);
  }

  /** The venue a bot trades on (tools and tests inspect it; undefined for a bot not in this engine). */
  venueOf(botKey: string): PaperExchange | undefined {
    return this.bots.get(botKey)?.session.exchange;
  }

  private require(botKey: string): BotRuntime {
    const bot = this.bots.get(botKey);
    if (!bot) throw new Error(`${botKey}: not running in this engine`);
    return bot;
  }

  private session(spec: BotRuntimeSpec, resumeAfter?: number): Promise<MarketSession> {
    const key = `${spec.account.name}|${spec.market}`;
    let session = this.sessions.get(key);
    if (session && resumeAfter !== undefined) {
      // A resumed bot never sees a bar twice: the replay skips ahead to its cursor if it is behind.
      return session.then((s) => (s.skipThrough(resumeAfter), s));
    }
    if (!session) {
      const market = MARKETS.find((m) => m.venue === 'paper' && m.symbol === spec.market)!;
      session = MarketSession.open({
        account: spec.account,
        market,
        store: this.store,
        defaultSpeed: this.setup.defaultSpeed ?? 60,
        ...(this.setup.sleep ? { sleep: this.setup.sleep } : {}),
        onBar: (s: MarketSession) => this.afterBar(s),
        log: this.log,
        ...(resumeAfter === undefined ? {} : { resumeAfter }),
      });
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }
}

/** How far a run has got in deals/cycles, for next-cycle tracking (pending.ts). */
function progressOf(kernel: BotKernel): { runId: string; roundTrips: number } {
  return { runId: kernel.log.runId, roundTrips: kernel.metrics.roundTripPnls.length };
}

function sameRun(checkpoint: KernelCheckpoint, spec: BotRuntimeSpec): boolean {
  return (
    checkpoint.strategy === spec.strategy &&
    checkpoint.account === spec.account.name &&
    checkpoint.market === spec.market
  );
}

function valueAt(root: unknown, path: string): unknown {
  let cur = root;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The module entry `tower up` loads (reconciler/src/server/engine-factory.ts). */
export function createLiveEngine(setup: LiveEngineSetup): Promise<LiveEngine> {
  return Promise.resolve(new LiveEngine(setup));
}
