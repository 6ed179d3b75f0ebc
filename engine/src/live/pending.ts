/**
 * Next-cycle changes (DESIGN §4): a `next-cycle` params field is stored at once but the deal, cycle or
 * run in progress keeps its old value, so status says "pending until next cycle".
 *
 * The rule that ends "pending", the same for every strategy (the engine never branches on kind): the
 * bot has closed a round trip since the change was applied. A round trip is what a strategy reports as
 * one finished deal, cycle or grid pair (StrategyResult.roundTrips or a roundTrip intent, counted by
 * the kernel's metrics); the cycle after it is the first one built from the new params. A bot that
 * never closes a round trip keeps the field pending until its run ends, and a new run starts clean.
 */
import type { AppliedChange } from '../ports/control.ts';

/** What the tracker reads of a running bot: its run and how many round trips it closed so far. */
export interface CycleProgress {
  readonly runId: string;
  readonly roundTrips: number;
}

interface PendingField {
  readonly runId: string;
  /** Round trips closed when the change was applied; one more ends the pending state. */
  readonly roundTrips: number;
}

/** Next-cycle fields per bot, waiting for the bot's next deal or cycle. */
export class PendingChanges {
  private readonly byBot = new Map<string, Map<string, PendingField>>();

  /** Records the next-cycle changes of an update applied to a bot at `progress`. */
  record(botKey: string, changes: readonly AppliedChange[], progress: CycleProgress): void {
    const fields = this.live(botKey, progress);
    for (const change of changes) {
      if (change.class !== 'next-cycle') continue;
      // A field changed again while still pending keeps its first baseline: the same cycle boundary ends it.
      if (!fields.has(change.path)) fields.set(change.path, { ...progress });
    }
    if (fields.size > 0) this.byBot.set(botKey, fields);
  }

  /** The fields of `botKey` still pending at `progress`, sorted; ended ones are forgotten. */
  pendingOf(botKey: string, progress: CycleProgress): string[] {
    const fields = this.live(botKey, progress);
    if (fields.size === 0) this.byBot.delete(botKey);
    return [...fields.keys()].sort();
  }

  /** The still-pending fields of the bot (in its current run), dropping the ones whose cycle has passed. */
  private live(botKey: string, progress: CycleProgress): Map<string, PendingField> {
    const fields = this.byBot.get(botKey) ?? new Map<string, PendingField>();
    for (const [path, field] of fields) {
      if (field.runId !== progress.runId || progress.roundTrips > field.roundTrips) fields.delete(path);
    }
    return fields;
  }
}
