/**
 * The operator's kill switch (DESIGN §6): per bot, per namespace or global. Engaging it stops every
 * running bot in scope at once (cancel all orders, or flatten), and latches: the reconcile loop will
 * not start, resume or change a latched bot until the latch is cleared. Latches live in one control
 * document in the status store (key `TOWER/kill-switch.latch`, which no bot key can equal: bot names
 * are lowercase DNS labels without dots), so they survive restarts.
 */
import {
  ConflictError,
  type EngineControl,
  type EpochMs,
  type HistoryStore,
  type ObservedBot,
} from '@tradingtower/engine';
import type { Logger } from '../log/logger.ts';
import type { ApplyResult } from './apply.ts';

/** What a kill applies to. */
export type KillScope =
  | { readonly kind: 'bot'; readonly botKey: string }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'all' };

/** One engaged latch. */
export interface KillLatch {
  readonly scope: KillScope;
  readonly flatten: boolean;
  readonly reason: string;
  readonly at: EpochMs;
}

/** The key of the control document holding every latch. */
export const KILL_SWITCH_KEY = 'TOWER/kill-switch.latch';

function scopeId(scope: KillScope): string {
  switch (scope.kind) {
    case 'bot':
      return `bot:${scope.botKey}`;
    case 'namespace':
      return `namespace:${scope.namespace}`;
    case 'all':
      return 'all';
  }
}

/** Whether `scope` covers `botKey`. */
export function covers(scope: KillScope, botKey: string): boolean {
  switch (scope.kind) {
    case 'bot':
      return scope.botKey === botKey;
    case 'namespace':
      return botKey.startsWith(`${scope.namespace}/`);
    case 'all':
      return true;
  }
}

/** The latches, cached in memory and written through to the store with optimistic concurrency. */
export class KillSwitch {
  private readonly store: HistoryStore;
  private readonly engine: EngineControl;
  private readonly logger: Logger;
  private readonly now: () => EpochMs;
  private latches: KillLatch[] = [];

  constructor(options: { store: HistoryStore; engine: EngineControl; logger: Logger; now: () => EpochMs }) {
    this.store = options.store;
    this.engine = options.engine;
    this.logger = options.logger;
    this.now = options.now;
  }

  /** Reads the stored latches (at start). */
  async load(): Promise<void> {
    const doc = await this.store.getStatus(KILL_SWITCH_KEY);
    this.latches = [...((doc?.value['latches'] as KillLatch[] | undefined) ?? [])];
  }

  /** The latch that holds `botKey`, if any (the first engaged). */
  latchOf(botKey: string): KillLatch | undefined {
    return this.latches.find((l) => covers(l.scope, botKey));
  }

  /** Every engaged latch. */
  get all(): readonly KillLatch[] {
    return this.latches;
  }

  /** Latches `scope` first (so no later pass starts a bot in it), then stops its running bots now. */
  async engage(scope: KillScope, flatten: boolean, reason: string): Promise<string[]> {
    const latch: KillLatch = { scope, flatten, reason, at: this.now() };
    await this.update((latches) => [...latches.filter((l) => scopeId(l.scope) !== scopeId(scope)), latch]);
    this.logger.warn('kill switch engaged', { scope: describeScope(scope), flatten, reason });
    const hit = (await this.engine.observe()).filter((b) => covers(scope, b.botKey) && b.state !== 'stopped');
    for (const bot of hit) {
      await this.engine.stop(bot.botKey, closeActionOf(latch), `kill switch: ${reason}`, bot.revision);
    }
    return hit.map((b) => b.botKey);
  }

  /** Clears the latch of exactly `scope`; returns whether one was engaged. */
  async clear(scope: KillScope): Promise<boolean> {
    const before = this.latches.length;
    await this.update((latches) => latches.filter((l) => scopeId(l.scope) !== scopeId(scope)));
    const cleared = this.latches.length < before;
    if (cleared) this.logger.warn('kill switch cleared', { scope: describeScope(scope) });
    return cleared;
  }

  /**
   * Holds a latched bot stopped, level-triggered: a bot that a racing pass started is stopped again.
   * Returns undefined when no latch covers the bot.
   */
  async hold(
    botKey: string,
    observed: ObservedBot | undefined,
    revision: string | undefined,
  ): Promise<ApplyResult | undefined> {
    const latch = this.latchOf(botKey);
    if (!latch) return undefined;
    const running = observed !== undefined && observed.state !== 'stopped';
    if (running) {
      await this.engine.stop(
        botKey,
        closeActionOf(latch),
        `kill switch: ${latch.reason}`,
        revision ?? observed.revision,
      );
    }
    const since = new Date(latch.at).toISOString();
    const message = `kill switch on ${describeScope(latch.scope)} since ${since}: ${latch.reason}; clear it with tower kill --clear`;
    return { verdict: { kind: 'stalled', reason: 'KillSwitch', message }, changed: running };
  }

  private async update(change: (latches: readonly KillLatch[]) => KillLatch[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const doc = await this.store.getStatus(KILL_SWITCH_KEY);
      const next = change((doc?.value['latches'] as KillLatch[] | undefined) ?? []);
      try {
        await this.store.putStatus({ botKey: KILL_SWITCH_KEY, conditions: [], latches: next }, doc?.etag);
        this.latches = next;
        return;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      }
    }
  }
}

/** The close action a latch stops bots with. */
export function closeActionOf(latch: KillLatch): 'closePosition' | 'cancelOrders' {
  return latch.flatten ? 'closePosition' : 'cancelOrders';
}

/** A human-readable name of a scope, for logs and status messages. */
export function describeScope(scope: KillScope): string {
  switch (scope.kind) {
    case 'bot':
      return scope.botKey;
    case 'namespace':
      return `namespace ${scope.namespace}`;
    case 'all':
      return 'all bots';
  }
}
