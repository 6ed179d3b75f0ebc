/**
 * A small in-memory EngineControl for reconcile tests: the edge fake the loop drives. It records every
 * call, keeps a position per bot that only create/recreate/stop-with-closePosition touch (so tests can
 * prove an edit did not touch a position), and can be told to fail the next calls.
 */
import type {
  AppliedChange,
  BotRuntimeSpec,
  CloseAction,
  EngineControl,
  ObservedBot,
} from '@tradingtower/engine';

/** One recorded engine call. */
export interface EngineCall {
  readonly method: 'create' | 'update' | 'recreate' | 'pause' | 'resume' | 'stop';
  readonly botKey: string;
  readonly revision: string;
  readonly detail?: unknown;
}

interface FakeBot {
  spec: BotRuntimeSpec;
  params: unknown;
  state: ObservedBot['state'];
  revision: string;
  run: number;
  position: string;
  pending: string[];
  drift: { kind: string; message: string }[];
}

/** The fake engine. */
export class FakeEngine implements EngineControl {
  readonly calls: EngineCall[] = [];
  readonly bots = new Map<string, FakeBot>();
  private failures = 0;
  private failWith = 'exchange unavailable';
  observeCount = 0;

  /** Makes the next `n` mutating calls throw. */
  failNext(n: number, message = 'exchange unavailable'): void {
    this.failures = n;
    this.failWith = message;
  }

  /** Sets drift the engine reports for a bot (e.g. an unknown order on the exchange). */
  setDrift(botKey: string, drift: { kind: string; message: string }[]): void {
    const bot = this.bots.get(botKey);
    if (bot) bot.drift = drift;
  }

  /** The bot's position (changes only through create, recreate or stop with closePosition). */
  positionOf(botKey: string): string | undefined {
    return this.bots.get(botKey)?.position;
  }

  observe(): Promise<readonly ObservedBot[]> {
    this.observeCount += 1;
    return Promise.resolve(
      [...this.bots.entries()].map(([botKey, b]) => ({
        botKey,
        strategy: b.spec.strategy,
        account: b.spec.account.name,
        market: b.spec.market,
        params: b.params,
        state: b.state,
        runId: `${botKey}#${b.run}`,
        revision: b.revision,
        phase: b.state === 'running' ? 'RUNNING' : b.state.toUpperCase(),
        pendingUntilNextCycle: [...b.pending],
        drift: [...b.drift],
        updatedAt: 0,
      })),
    );
  }

  private record(call: EngineCall): void {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error(this.failWith);
    }
    this.calls.push(call);
  }

  create(spec: BotRuntimeSpec): Promise<void> {
    return this.run(() => {
      this.record({ method: 'create', botKey: spec.botKey, revision: spec.revision });
      if (this.bots.has(spec.botKey) && this.bots.get(spec.botKey)!.state !== 'stopped') return;
      const run = (this.bots.get(spec.botKey)?.run ?? 0) + 1;
      this.bots.set(spec.botKey, {
        spec,
        params: spec.params,
        state: spec.state,
        revision: spec.revision,
        run,
        position: '0.5',
        pending: [],
        drift: [],
      });
    });
  }

  update(
    botKey: string,
    params: unknown,
    changes: readonly AppliedChange[],
    revision: string,
  ): Promise<void> {
    return this.run(() => {
      this.record({ method: 'update', botKey, revision, detail: changes });
      const bot = this.require(botKey);
      bot.params = params;
      bot.revision = revision;
      bot.pending = changes.filter((c) => c.class === 'next-cycle').map((c) => c.path);
    });
  }

  recreate(spec: BotRuntimeSpec): Promise<void> {
    return this.run(() => {
      this.record({ method: 'recreate', botKey: spec.botKey, revision: spec.revision });
      const bot = this.require(spec.botKey);
      Object.assign(bot, {
        spec,
        params: spec.params,
        revision: spec.revision,
        run: bot.run + 1,
        position: '0',
        pending: [],
      });
    });
  }

  pause(botKey: string, revision: string): Promise<void> {
    return this.setState('pause', botKey, revision, 'paused');
  }

  resume(botKey: string, revision: string): Promise<void> {
    return this.setState('resume', botKey, revision, 'running');
  }

  stop(botKey: string, closeAction: CloseAction, reason: string, revision: string): Promise<void> {
    return this.run(() => {
      this.record({ method: 'stop', botKey, revision, detail: { closeAction, reason } });
      const bot = this.require(botKey);
      bot.state = 'stopped';
      bot.revision = revision;
      if (closeAction === 'closePosition') bot.position = '0';
    });
  }

  private setState(
    method: 'pause' | 'resume',
    botKey: string,
    revision: string,
    state: ObservedBot['state'],
  ): Promise<void> {
    return this.run(() => {
      this.record({ method, botKey, revision });
      const bot = this.require(botKey);
      bot.state = state;
      bot.revision = revision;
    });
  }

  private require(botKey: string): FakeBot {
    const bot = this.bots.get(botKey);
    if (!bot) throw new Error(`fake engine: no bot ${botKey}`);
    return bot;
  }

  private run(fn: () => void): Promise<void> {
    try {
      fn();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
