/**
 * Carries out one plan step for one bot through the engine (DESIGN §4, §5). The planner decides what
 * changed and whether it is blocked; this file only maps its verdict onto engine calls, and re-checks
 * the manifest's `spec.update` rules so a planner bug can never move funds or recreate a bot unasked.
 */
import type { AppliedChange, BotRuntimeSpec, CloseAction, EngineControl } from '@tradingtower/engine';
import type { DesiredBot } from '../manifest/types.ts';
import type { PlanStep } from './planning.ts';
import type { PassVerdict } from './status.ts';

/** The result of applying one step. */
export interface ApplyResult {
  readonly verdict: PassVerdict;
  /** True when an engine call changed the bot. */
  readonly changed: boolean;
  /** Look at the bot again after this many milliseconds (a scheduled prune). */
  readonly requeueAfterMs?: number;
}

/** Inputs of one step. */
export interface StepContext {
  readonly engine: EngineControl;
  readonly step: PlanStep;
  readonly revision: string;
  /** The desired bot (absent for prune). */
  readonly bot: DesiredBot | undefined;
  /** The runtime spec of the desired bot (absent for prune). */
  readonly spec: BotRuntimeSpec | undefined;
  /** Close action to use when the manifest is gone (remembered from the last status). */
  readonly rememberedCloseAction: CloseAction | undefined;
}

const APPLIED_CLASSES = new Set(['hot', 'amend', 'funds', 'next-cycle']);

const ready = (reason: string, message: string): ApplyResult => ({
  verdict: { kind: 'ready', reason, message },
  changed: true,
});

function stalled(reason: string, message: string): ApplyResult {
  return { verdict: { kind: 'stalled', reason, message }, changed: false };
}

/** Why the step must not be applied, from the plan or from the manifest's own update rules. */
export function blockOf(
  step: PlanStep,
  bot: DesiredBot | undefined,
): { reason: string; message: string } | undefined {
  if (step.blocked) return step.blocked;
  if (step.class === 'immutable' || step.fields.some((f) => f.class === 'immutable')) {
    return {
      reason: 'ImmutableChange',
      message: 'strategy, account and market cannot change; use a new bot name',
    };
  }
  if (step.action === 'recreate' && bot?.update.onRecreate !== 'allow') {
    const paths = step.fields.filter((f) => f.class === 'recreate').map((f) => f.path);
    return {
      reason: 'RecreateRequired',
      message: `${paths.join(', ') || 'this change'} needs a fresh run; set spec.update.onRecreate: allow to apply it`,
    };
  }
  if (
    step.action === 'update' &&
    bot?.update.allowFundMoves !== true &&
    step.fields.some((f) => f.class === 'funds')
  ) {
    const paths = step.fields.filter((f) => f.class === 'funds').map((f) => f.path);
    return {
      reason: 'FundMovesNotAllowed',
      message: `${paths.join(', ')} moves funds; set spec.update.allowFundMoves: true`,
    };
  }
  return undefined;
}

/**
 * The params changes the engine applies, with paths relative to `params` as strategies read them
 * (`takeProfit.pct`). Control-plane fields (risk, signals, update policy, labels) are not params: they
 * travel with the update call's revision and are not strategy events.
 */
export function changesOf(step: PlanStep): AppliedChange[] {
  return step.fields
    .filter((f) => APPLIED_CLASSES.has(f.class) && f.path.startsWith('params.'))
    .map((f) => ({ path: f.path.slice('params.'.length), class: f.class as AppliedChange['class'] }));
}

function requireSpec(context: StepContext): BotRuntimeSpec {
  if (!context.spec)
    throw new Error(`${context.step.key}: plan says ${context.step.action} but no desired spec is known`);
  return context.spec;
}

/** Applies one plan step; throws only for engine failures (the caller retries with backoff). */
export async function applyStep(context: StepContext): Promise<ApplyResult> {
  const { engine, step, revision, bot } = context;
  const block = blockOf(step, bot);
  if (block) return stalled(block.reason, block.message);
  switch (step.action) {
    case 'noop':
      return {
        verdict: { kind: 'ready', reason: 'UpToDate', message: `in sync with ${revision}` },
        changed: false,
      };
    case 'create':
      await engine.create(requireSpec(context));
      return ready('Created', `started at ${revision}`);
    case 'update': {
      const changes = changesOf(step);
      // A changed spec.risk travels whole (removed means no limits): the engine swaps the bot's risk gate.
      const riskChanged = step.fields.some((f) => f.path === 'risk' || f.path.startsWith('risk.'));
      await engine.update(
        step.key,
        bot?.params,
        changes,
        revision,
        riskChanged ? (bot?.risk ?? {}) : undefined,
      );
      const applied = step.fields.map((f) => `${f.path} (${f.class})`).join(', ');
      return ready('Applied', `applied ${applied}`);
    }
    case 'recreate':
      await engine.recreate(requireSpec(context));
      return ready('Recreated', `stopped with ${bot?.update.closeAction ?? 'keep'} and started a fresh run`);
    case 'pause':
      await engine.pause(step.key, revision);
      return ready('Paused', 'paused by spec.state');
    case 'resume':
      await engine.resume(step.key, revision);
      return ready('Resumed', 'resumed by spec.state');
    case 'stop': {
      const closeAction = bot?.update.closeAction ?? context.rememberedCloseAction ?? 'cancelOrders';
      await engine.stop(step.key, closeAction, 'spec.state is stopped', revision);
      return ready('Stopped', `stopped with ${closeAction}`);
    }
    case 'prune': {
      const closeAction = context.rememberedCloseAction ?? 'cancelOrders';
      await engine.stop(step.key, closeAction, 'manifest removed', revision);
      return ready('Pruned', `manifest removed: stopped with ${closeAction}`);
    }
  }
}
