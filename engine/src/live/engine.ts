/**
 * The paper trading engine behind the reconciler (EngineControl, DESIGN §2, §5): each bot runs in the
 * one kernel, against a paper exchange per account and market that replays the bundled candles at the
 * account's speed. Live venues plug in as other exchange adapters; nothing here branches on paper.
 * Every call is idempotent for the same (botKey, revision).
 */
import { runIdOf } from '../core/ids.ts';
import type { HistoryStore } from '../ports/store.ts';
import type {
  AppliedChange,
  BotRuntimeSpec,
  DesiredBotState,
  EngineControl,
  ObservedBot,
} from '../ports/control.ts';
import type { FieldChange } from '../model/events.ts';
import { MARKETS } from '../markets/venues.ts';
import { BotKernel } from '../kernel/bot-kernel.ts';
import { settle } from '../kernel/runner.ts';
import type { CloseAction } from '../kernel/strategy.ts';
import { basicRiskGate, riskLimitsOf } from '../risk/gate.ts';
import { strategyOf } from '../strategies/index.ts';
import { startingBudget } from '../backtest/budget.ts';
import { MarketSession, type Sleep } from './session.ts';

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

  constructor(setup: LiveEngineSetup) {
    this.setup = setup;
    this.log = setup.log ?? (() => undefined);
  }

  observe(): Promise<readonly ObservedBot[]> {
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
      pendingUntilNextCycle: [],
      drift: [],
      updatedAt: b.updatedAt,
    }));
    return Promise.resolve(observed.sort((a, b) => a.botKey.localeCompare(b.botKey)));
  }

  async create(spec: BotRuntimeSpec): Promise<void> {
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
    const session = await this.session(spec);
    const runNumber = (await this.setup.store.listRuns(spec.botKey)).length + 1;
    await session.exclusive(async () => {
      const quoteAsset = market.settle ?? market.quote;
      const kernel = new BotKernel({
        botKey: spec.botKey,
        runNumber,
        revision: spec.revision,
        account: spec.account.name,
        mode: spec.account.mode,
        strategy,
        params: spec.params,
        market,
        clock: session.clock,
        budget: startingBudget(strategy, spec.params, spec.account.balances?.[quoteAsset] ?? '0'),
        riskGate: basicRiskGate(riskLimitsOf(spec.risk)),
        takerFeeRate: spec.account.takerFeeRate ?? market.taker,
        simulateLiquidation: true,
      });
      session.driver.add(kernel);
      kernel.start(session.price);
      kernel.paused = spec.state === 'paused';
      this.bots.set(spec.botKey, {
        spec,
        kernel,
        session,
        state: spec.state,
        updatedAt: session.clock.now(),
      });
      await settle(kernel, session.exchange, this.setup.store);
    });
    this.log(
      `${spec.botKey}: run ${runIdOf(spec.botKey, runNumber)} started (${spec.strategy} on ${spec.market})`,
    );
    session.start();
  }

  async update(
    botKey: string,
    params: unknown,
    changes: readonly AppliedChange[],
    revision: string,
  ): Promise<void> {
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
      bot.spec = { ...bot.spec, params, revision };
      bot.updatedAt = bot.session.clock.now();
      await settle(bot.kernel, bot.session.exchange, this.setup.store);
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
    const bot = this.bots.get(botKey);
    if (!bot || bot.state === 'stopped') return;
    await bot.session.exclusive(async () => {
      const { kernel, session } = bot;
      kernel.paused = false;
      kernel.requestStop(closeAction, reason);
      await settle(kernel, session.exchange, this.setup.store);
      // Whatever the strategy did, a stop that does not keep orders leaves none behind.
      if (closeAction !== 'keep') kernel.flow.cancelAll();
      await settle(kernel, session.exchange, this.setup.store);
      kernel.log.revision = revision;
      kernel.finish(reason, closeAction);
      await settle(kernel, session.exchange, this.setup.store);
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

  private async setState(botKey: string, state: 'running' | 'paused', revision: string): Promise<void> {
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
      return settle(bot.kernel, bot.session.exchange, this.setup.store);
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
    const bot = this.require(botKey);
    if (bot.state === 'stopped') return false;
    return bot.session.exclusive(async () => {
      const accepted = bot.kernel.signal(source, action, payload, idempotencyKey);
      await settle(bot.kernel, bot.session.exchange, this.setup.store);
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
      if (bot.kernel.busy) await settle(bot.kernel, session.exchange, this.setup.store);
    }
    this.setup.onBar?.(session.market.symbol, session.bars);
  }

  private require(botKey: string): BotRuntime {
    const bot = this.bots.get(botKey);
    if (!bot) throw new Error(`${botKey}: not running in this engine`);
    return bot;
  }

  private session(spec: BotRuntimeSpec): Promise<MarketSession> {
    const key = `${spec.account.name}|${spec.market}`;
    let session = this.sessions.get(key);
    if (!session) {
      const market = MARKETS.find((m) => m.venue === 'paper' && m.symbol === spec.market)!;
      session = MarketSession.open({
        account: spec.account,
        market,
        store: this.setup.store,
        defaultSpeed: this.setup.defaultSpeed ?? 60,
        ...(this.setup.sleep ? { sleep: this.setup.sleep } : {}),
        onBar: (s: MarketSession) => this.afterBar(s),
        log: this.log,
      });
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }
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
