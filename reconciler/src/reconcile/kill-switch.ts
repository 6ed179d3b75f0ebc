/**
 * The operator's kill switch (DESIGN §6): per bot, per namespace or global. Engaging it stops every
 * running bot in scope at once (cancel all orders, or flatten), and latches: the reconcile loop will
 * not start, resume or change a latched bot until the latch is cleared. Latches live in one control
 * document in the status store (key `TOWER/kill-switch.latch`, which no bot key can equal: bot names
 * are lowercase DNS labels without dots), so they survive restarts.
 */
import { ConflictError, type EpochMs, type HistoryStore } from '@tradingtower/engine';

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
  private latches: KillLatch[] = [];

  constructor(store: HistoryStore) {
    this.store = store;
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

  /** Engages (or refreshes) a latch. */
  engage(latch: KillLatch): Promise<void> {
    return this.update((latches) => [
      ...latches.filter((l) => scopeId(l.scope) !== scopeId(latch.scope)),
      latch,
    ]);
  }

  /** Clears the latch of exactly `scope`; returns whether one was engaged. */
  async clear(scope: KillScope): Promise<boolean> {
    const before = this.latches.length;
    await this.update((latches) => latches.filter((l) => scopeId(l.scope) !== scopeId(scope)));
    return this.latches.length < before;
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
