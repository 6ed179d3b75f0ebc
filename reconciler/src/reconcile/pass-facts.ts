/** What one pass learned about one bot, as the facts its status document is derived from. */
import type { ObservedBot } from '@tradingtower/engine';
import type { DesiredBot } from '../manifest/types.ts';
import type { ApplyResult } from './apply.ts';
import type { AppliedExtras } from './planning.ts';
import { invalidRevisionVerdict, type RevisionState } from './revision-issues.ts';
import type { PassFacts, PassVerdict } from './status.ts';

/** Inputs of `passFacts`: the apply result (an Error when the engine failed) and the pass's view of the bot. */
export interface PassInput {
  readonly key: string;
  readonly result: ApplyResult | Error | undefined;
  readonly observed: ObservedBot | undefined;
  readonly bot: DesiredBot | undefined;
  readonly desiredRevision: string | undefined;
  readonly action: string | undefined;
  readonly latest: RevisionState | undefined;
  readonly lastGoodRevision: string | undefined;
  readonly extras: AppliedExtras | undefined;
}

/** The status facts of one bot after a pass; an invalid latest revision makes a successful pass Stalled. */
export function passFacts(input: PassInput): PassFacts {
  const { result, observed, bot } = input;
  const failed = result instanceof Error;
  let verdict: PassVerdict = failed
    ? { kind: 'retrying', reason: 'ApplyFailed', message: result.message }
    : (result?.verdict ?? { kind: 'ready', reason: 'NotManaged', message: 'no manifest and not running' });
  const issues = invalidRevisionVerdict(input.latest, input.lastGoodRevision, bot);
  if (issues && !failed) verdict = issues.verdict;
  return {
    botKey: input.key,
    verdict,
    observedRevision: input.latest?.revision,
    ...(verdict.kind === 'ready' && input.desiredRevision !== undefined
      ? { appliedRevision: input.desiredRevision }
      : {}),
    changed: !failed && result?.changed === true,
    pendingUntilNextCycle: observed?.pendingUntilNextCycle ?? [],
    drift: observed?.drift ?? [],
    ...(observed?.runId === undefined ? {} : { runId: observed.runId }),
    ...(observed ? { phase: observed.phase, state: observed.state } : {}),
    ...(bot ? { closeAction: bot.update.closeAction } : {}),
    ...(input.extras ? { appliedExtras: input.extras } : {}),
    ...(issues ? { issues: issues.lines } : {}),
    ...(failed || !result ? {} : { action: input.action ?? 'noop' }),
  };
}
