/**
 * Prunes wait until a manifest has stayed absent for a while. A watched folder can be read while an
 * editor has truncated a file and not yet written it back; stopping (and maybe flattening) a bot on
 * that glimpse would be a real loss, so a prune is applied only once the absence has lasted.
 */
import type { EpochMs } from '@tradingtower/engine';
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
}
