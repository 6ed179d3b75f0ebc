/**
 * The reconcile loop's view of the loader and the planner. The planner is the only diff logic: the loop
 * never compares specs, it only carries out the steps a plan names. This file is the one seam between
 * the loop and those modules' shapes.
 */
import type { ObservedBot } from '@tradingtower/engine';
import type { DesiredBot, DesiredState, LoadResult, Snapshot } from '../manifest/types.ts';
import type { CurrentBot } from '../plan/types.ts';

/** A planned action for one bot. */
export type PlanAction = 'create' | 'update' | 'recreate' | 'pause' | 'resume' | 'stop' | 'prune' | 'noop';

/** One changed field with its change class (DESIGN §4). */
export interface PlanField {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly class: string;
}

/** What the planner decided for one bot. */
export interface PlanStep {
  readonly key: string;
  readonly action: PlanAction;
  readonly fields: readonly PlanField[];
  readonly class?: string;
  /** Present when the step must not be applied (recreate refused, funds not allowed, prune guard…). */
  readonly blocked?: { readonly reason: string; readonly message: string };
  readonly notes?: readonly string[];
}

/** Loads snapshots and plans them against what the engine runs. */
export interface Planning {
  load(snapshot: Snapshot): LoadResult;
  plan(current: readonly CurrentBot[], desired: DesiredState): readonly PlanStep[];
}

/** The control-plane sections the engine does not report back, remembered from the last applied spec. */
export interface AppliedExtras {
  readonly risk?: unknown;
  readonly signals?: unknown;
  readonly labels?: Readonly<Record<string, string>>;
  readonly update?: DesiredBot['update'];
}

/** What the engine runs, in the planner's terms: observed facts plus the remembered control-plane sections. */
export function currentBotOf(observed: ObservedBot, extras: AppliedExtras | undefined): CurrentBot {
  return {
    key: observed.botKey,
    strategy: observed.strategy,
    account: observed.account,
    market: observed.market,
    state: observed.state,
    params: observed.params,
    ...(extras?.risk === undefined ? {} : { risk: extras.risk }),
    ...(extras?.signals === undefined ? {} : { signals: extras.signals }),
    ...(extras?.labels === undefined ? {} : { labels: extras.labels }),
    ...(extras?.update === undefined ? {} : { update: extras.update }),
  };
}

/** The extras of a desired bot, to remember once its spec is applied. */
export function extrasOf(bot: DesiredBot): AppliedExtras {
  return {
    ...(bot.risk === undefined ? {} : { risk: bot.risk }),
    ...(bot.signals === undefined ? {} : { signals: bot.signals }),
    ...(bot.labels === undefined ? {} : { labels: bot.labels }),
    update: bot.update,
  };
}
