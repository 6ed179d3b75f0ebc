/**
 * The loader's public data: a snapshot of manifest files goes in, the desired state and every problem
 * found (each located at `file:line:col`) come out. The planner and the reconciler code against these.
 */
import type { StrategyKind } from '@tradingtower/engine';

/** Every manifest file under the manifest root at one revision: relative posix path → text. */
export interface Snapshot {
  readonly revision: string;
  readonly files: ReadonlyMap<string, string>;
}

/** One problem in a manifest, located in its file (line and column are 1-based). */
export interface Issue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Stable kebab-case code, e.g. `yaml-duplicate-key`, `schema-required`, `ref-account-unresolved`. */
  readonly code: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Where a manifest document (or one of its fields) sits in the snapshot. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** How the reconciler may apply changes to a bot (manifest `spec.update`, defaults applied). */
export interface UpdatePolicy {
  readonly onRecreate: 'refuse' | 'allow';
  readonly closeAction: 'keep' | 'cancelOrders' | 'closePosition';
  readonly allowFundMoves: boolean;
  readonly confirmImmediateExit: boolean;
}

/** The lifecycle state a manifest asks for. */
export type BotState = 'running' | 'paused' | 'stopped';

/** A Bot manifest after validation: params keep the exact decimal text of decimal fields, defaults applied. */
export interface DesiredBot {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly strategy: StrategyKind;
  /** Account name (same namespace). */
  readonly account: string;
  /** ccxt unified symbol. */
  readonly market: string;
  readonly state: BotState;
  readonly params: unknown;
  readonly risk?: unknown;
  readonly signals?: unknown;
  readonly labels?: Readonly<Record<string, string>>;
  readonly update: UpdatePolicy;
  readonly source: SourceLocation;
}

/** A non-Bot manifest (Account, Policy, SignalSource): its spec with decimals as text, and where it is. */
export interface DesiredResource {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly source: SourceLocation;
}

/** The whole desired state of one snapshot. */
export interface DesiredState {
  readonly revision: string;
  readonly bots: DesiredBot[];
  readonly accounts: Map<string, DesiredResource>;
  readonly policies: Map<string, DesiredResource>;
  readonly signalSources: Map<string, DesiredResource>;
  /**
   * False when any document failed to load or validate: bots of broken documents are missing from
   * `bots`, so a plan must not read their absence as a deletion (the planner then prunes nothing).
   */
  readonly complete: boolean;
}

/** The result of loading a snapshot. */
export interface LoadResult {
  readonly desired: DesiredState;
  readonly issues: Issue[];
}
