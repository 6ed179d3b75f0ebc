/**
 * Prunes wait until a manifest has stayed absent for a while. A watched folder can be read while an
 * editor has truncated a file and not yet written it back; stopping (and maybe flattening) a bot on
 * that glimpse would be a real loss, so a prune is applied only once the absence has lasted.
 */
import type { EpochMs, ObservedBot } from '@tradingtower/engine';
import type { ApplyResult } from './apply.ts';
import type { PlanStep } from './planning.ts';

/** Remembers since when each bot has been planned for pruning. */
export class PruneConfirmation {
  private readonly confirmMs: number;
  private readonly now: () => EpochMs;
  private readonly absentSince = new Map<string, EpochMs>();

  constructor(confirmMs: number, now: () => EpochMs) {
    this.confirmMs = confirmMs;
    this.now = now;
  }

  /** Milliseconds until an unblocked prune of `key` may be applied (0 = now, or the step is no prune). */
  wait(key: string, step: PlanStep): number {
    if (step.action !== 'prune' || step.blocked) {
      this.absentSince.delete(key);
      return 0;
    }
    const now = this.now();
    const since = this.absentSince.get(key) ?? now;
    this.absentSince.set(key, since);
    return Math.max(0, since + this.confirmMs - now);
  }

  /**
   * The result of a prune step that must not reach the engine yet: the bot is already stopped (an
   * earlier prune; repeating it would only repeat the history entry), or its absence is not confirmed.
   */
  gate(key: string, step: PlanStep, observed: ObservedBot | undefined): ApplyResult | undefined {
    if (step.action === 'prune' && observed?.state === 'stopped') {
      return {
        verdict: { kind: 'ready', reason: 'Pruned', message: 'manifest removed: bot is stopped' },
        changed: false,
      };
    }
    const waiting = this.wait(key, step);
    if (waiting === 0) return undefined;
    const message = `manifest removed: stopping in ${waiting} ms unless it comes back`;
    return {
      verdict: { kind: 'retrying', reason: 'PruneScheduled', message },
      changed: false,
      requeueAfterMs: waiting,
    };
  }
}
