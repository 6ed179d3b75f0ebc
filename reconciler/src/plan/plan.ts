/**
 * The planner (pure): what should happen to each bot to go from the current bots to a desired state.
 * `tower plan` calls it with the base snapshot's bots; the reconciler with the bots it observes.
 * DESIGN §4: a change set's class is the highest of its fields; identity changes are refused;
 * `recreate` needs `onRecreate: allow`; `funds` needs `allowFundMoves`; an edit that would exit at
 * once needs `confirmImmediateExit`; prune is guarded against empty, near-empty and broken snapshots.
 */
import type { DesiredBot, DesiredState } from '../manifest/types.ts';
import { highest, schemaClassifier, type ChangeClassifier } from './change-classes.ts';
import { diffBot } from './diff.ts';
import type { BotAction, BotPlan, CurrentBot, FieldChange, Plan } from './types.ts';

/** Options of `planChanges`. */
export interface PlanOptions {
  /** Classifies params fields; defaults to the project schemas' `x-change` annotations. */
  readonly classify?: ChangeClassifier;
  /** Revision the current bots come from (shown in the plan). */
  readonly baseRevision?: string;
  /** Whether applying the desired params to the running bot would exit at once; returns why. */
  readonly immediateExit?: (current: CurrentBot, desired: DesiredBot) => string | undefined;
  /** Overrides the Policy's prune settings. */
  readonly prune?: PruneSettings;
}

/** Prune behaviour (Policy `spec.prune`). */
export interface PruneSettings {
  /** Whether bots removed from git are stopped and forgotten at all (default true). */
  readonly enabled?: boolean;
  /** Prune only when at least this fraction of the current bots is still desired (default 0.5). */
  readonly minKeepFraction?: number;
  /** Allow pruning every bot when the snapshot holds none (default false). */
  readonly allowEmpty?: boolean;
}

function stateAction(from: CurrentBot['state'], to: CurrentBot['state']): BotAction | undefined {
  if (from === to) return undefined;
  if (to === 'stopped') return 'stop';
  if (to === 'paused') return from === 'running' ? 'pause' : 'resume';
  return 'resume';
}

function planExisting(current: CurrentBot, desired: DesiredBot, options: PlanOptions): BotPlan {
  const fields = diffBot(current, desired, options.classify ?? schemaClassifier);
  const cls = fields.length > 0 ? highest(fields.map((f) => f.class)) : undefined;
  const base = {
    key: desired.key,
    strategy: desired.strategy,
    fields,
    source: desired.source,
    ...(cls ? { class: cls } : {}),
  };
  const byState = stateAction(current.state, desired.state);
  const notes: string[] = [];
  if (current.state === 'stopped' && byState === 'resume') notes.push('starts a new run');
  if (byState === 'stop') {
    notes.push(`stops with closeAction ${desired.update.closeAction}`);
    if (fields.length > 0) notes.push('changed fields are stored and used if the bot is started again');
    return { ...base, action: 'stop', notes };
  }
  if (cls === 'immutable') {
    const which = fields
      .filter((f) => f.class === 'immutable')
      .map((f) => f.path)
      .join(', ');
    const message = `${which} identifies the bot and is never changed in place; create a bot with a new name and remove this one`;
    return { ...base, action: 'recreate', blocked: { reason: 'ImmutableChange', message }, notes };
  }
  if (cls === 'recreate') {
    const which = fields
      .filter((f) => f.class === 'recreate')
      .map((f) => f.path)
      .join(', ');
    notes.push(`stops with closeAction ${desired.update.closeAction} and starts a fresh run`);
    if (desired.update.onRecreate === 'allow') return { ...base, action: 'recreate', notes };
    const message = `${which} needs a stop and a fresh run; set spec.update.onRecreate: allow to permit it (the bot keeps its old spec until then)`;
    return { ...base, action: 'recreate', blocked: { reason: 'RecreateRequired', message }, notes };
  }
  const action = byState ?? (fields.length > 0 ? 'update' : 'noop');
  if (action === 'noop') return { ...base, action, notes };
  return guardUpdate({ ...base, action, notes }, fields, current, desired, options);
}

function guardUpdate(
  plan: BotPlan,
  fields: readonly FieldChange[],
  current: CurrentBot,
  desired: DesiredBot,
  options: PlanOptions,
): BotPlan {
  const notes = [...plan.notes];
  const pending = fields.filter((f) => f.class === 'next-cycle').map((f) => f.path);
  if (pending.length > 0) notes.push(`pending until next cycle: ${pending.join(', ')}`);
  const funds = fields.filter((f) => f.class === 'funds').map((f) => f.path);
  if (funds.length > 0 && !desired.update.allowFundMoves) {
    const message = `${funds.join(', ')} moves funds (margin or inventory); set spec.update.allowFundMoves: true to permit it`;
    return { ...plan, notes, blocked: { reason: 'FundMovesNotAllowed', message } };
  }
  const exit = fields.length > 0 ? options.immediateExit?.(current, desired) : undefined;
  if (exit !== undefined) {
    if (!desired.update.confirmImmediateExit) {
      const message = `this edit would exit at once (${exit}); set spec.update.confirmImmediateExit: true to confirm`;
      return { ...plan, notes, blocked: { reason: 'ImmediateExit', message } };
    }
    notes.push(`exits at once, confirmed: ${exit}`);
  }
  return { ...plan, notes };
}

function planCreate(desired: DesiredBot): BotPlan {
  const notes = desired.state === 'running' ? [] : [`created ${desired.state}`];
  return {
    key: desired.key,
    action: 'create',
    strategy: desired.strategy,
    fields: [],
    notes,
    source: desired.source,
  };
}

function pruneSettings(desired: DesiredState, override: PruneSettings | undefined): PruneSettings {
  if (override) return override;
  const policies = [...desired.policies.values()];
  const policy = policies.find((p) => p.namespace === 'default') ?? policies[0];
  const raw = policy?.spec['prune'];
  return raw !== null && typeof raw === 'object' ? raw : {};
}

function pruneGuard(
  current: readonly CurrentBot[],
  desired: DesiredState,
  settings: PruneSettings,
): string | undefined {
  if (!desired.complete)
    return 'the desired snapshot has validation errors; bots missing from it are not pruned';
  const kept = current.filter((c) => desired.bots.some((d) => d.key === c.key)).length;
  if (desired.bots.length === 0 && !settings.allowEmpty) {
    return `the desired snapshot holds no bots; pruning all ${current.length} is refused (Policy prune.allowEmpty permits it)`;
  }
  const fraction = Number(settings.minKeepFraction ?? 0.5);
  if (kept < fraction * current.length) {
    return `only ${kept} of ${current.length} bots would remain (minimum fraction ${fraction}); nothing is pruned`;
  }
  return undefined;
}

/** The plan from the current bots to the desired state. Pure. */
export function planChanges(
  current: readonly CurrentBot[],
  desired: DesiredState,
  options: PlanOptions = {},
): Plan {
  const byKey = new Map(current.map((c) => [c.key, c]));
  const wanted = new Set(desired.bots.map((d) => d.key));
  const bots: BotPlan[] = desired.bots.map((d) => {
    const now = byKey.get(d.key);
    return now ? planExisting(now, d, options) : planCreate(d);
  });
  const gone = current.filter((c) => !wanted.has(c.key));
  const settings = pruneSettings(desired, options.prune);
  const guard = gone.length > 0 ? pruneGuard(current, desired, settings) : undefined;
  for (const c of gone) {
    const notes = [`stops with closeAction ${c.update?.closeAction ?? 'cancelOrders'} and forgets the bot`];
    const plan: BotPlan = { key: c.key, action: 'prune', strategy: c.strategy, fields: [], notes };
    if (settings.enabled === false)
      bots.push({
        ...plan,
        blocked: { reason: 'PruneGuard', message: 'Policy prune.enabled is false; the bot keeps running' },
      });
    else bots.push(guard ? { ...plan, blocked: { reason: 'PruneGuard', message: guard } } : plan);
  }
  bots.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    baseRevision: options.baseRevision ?? '',
    headRevision: desired.revision,
    bots,
    ...(gone.length > 0
      ? { pruneGuard: { triggered: guard !== undefined, message: guard ?? `${gone.length} bot(s) pruned` } }
      : {}),
  };
}

/** Whether a plan changes anything that would be applied (blocked changes count: they need attention). */
export function hasChanges(plan: Plan): boolean {
  return plan.bots.some((b) => b.action !== 'noop');
}
