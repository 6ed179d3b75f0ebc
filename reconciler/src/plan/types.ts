/** The planner's vocabulary (DESIGN §4): change classes, bot actions, and the plan itself. */
import type { StrategyKind } from '@tradingtower/engine';
import type { BotState, UpdatePolicy } from '../manifest/types.ts';

/** How a changed field may be applied, from least to most disruptive (DESIGN §4 table order). */
export type ChangeClass = 'hot' | 'amend' | 'funds' | 'next-cycle' | 'recreate' | 'immutable';

/** Change classes in ascending order; a change set's class is the highest of its fields. */
export const CHANGE_CLASSES: readonly ChangeClass[] = [
  'hot',
  'amend',
  'funds',
  'next-cycle',
  'recreate',
  'immutable',
];

/** What the plan does with a bot. */
export type BotAction = 'create' | 'update' | 'recreate' | 'pause' | 'resume' | 'stop' | 'prune' | 'noop';

/** Why a bot's change is not applied. */
export type BlockReason =
  'RecreateRequired' | 'ImmutableChange' | 'ImmediateExit' | 'FundMovesNotAllowed' | 'PruneGuard';

/** One changed field: a path relative to `spec` (`params.lowPrice`, `market`) or `metadata.labels.*`. */
export interface FieldChange {
  readonly path: string;
  /** Previous value (null when the field was absent). */
  readonly from: unknown;
  /** New value (null when the field is removed). */
  readonly to: unknown;
  readonly class: ChangeClass;
}

/** The plan for one bot. */
export interface BotPlan {
  readonly key: string;
  readonly action: BotAction;
  readonly strategy: StrategyKind;
  readonly fields: readonly FieldChange[];
  /** The highest class of the changed fields (absent when no field changed). */
  readonly class?: ChangeClass;
  readonly blocked?: { readonly reason: BlockReason; readonly message: string };
  readonly notes: readonly string[];
  /** Where the desired manifest is (absent for prunes). */
  readonly source?: { readonly file: string; readonly line: number; readonly col: number };
}

/** The whole plan between two revisions. */
export interface Plan {
  readonly baseRevision: string;
  readonly headRevision: string;
  /** Sorted by key. */
  readonly bots: readonly BotPlan[];
  readonly pruneGuard?: { readonly triggered: boolean; readonly message: string };
}

/** What is running (or was desired before): a DesiredBot satisfies it. */
export interface CurrentBot {
  readonly key: string;
  readonly strategy: StrategyKind;
  readonly account: string;
  readonly market: string;
  readonly state: BotState;
  readonly params: unknown;
  readonly risk?: unknown;
  readonly signals?: unknown;
  readonly labels?: Readonly<Record<string, string>>;
  readonly update?: UpdatePolicy;
}
