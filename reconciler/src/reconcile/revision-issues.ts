/**
 * What an invalid revision means for each bot's status: the bot keeps its last good spec and is
 * Stalled, with the errors located in its own manifest file (InvalidManifest) or, when its file is
 * fine, a pointer to the errors elsewhere that hold the whole revision back (RevisionInvalid).
 */
import type { DesiredBot, Issue } from '../manifest/types.ts';
import type { PassVerdict } from './status.ts';

/** The latest revision seen and its validation errors. */
export interface RevisionState {
  readonly revision: string;
  readonly errors: readonly Issue[];
}

/** At most this many located errors are copied into one bot's status. */
const MAX_LINES = 10;

/** Formats an issue as `file:line:col: code: message`. */
export function formatIssue(issue: Issue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.code}: ${issue.message}`;
}

/** The Stalled verdict and located errors for a bot while the latest revision is invalid, else undefined. */
export function invalidRevisionVerdict(
  latest: RevisionState | undefined,
  lastGoodRevision: string | undefined,
  bot: DesiredBot | undefined,
): { verdict: PassVerdict; lines: string[] } | undefined {
  if (!latest || latest.errors.length === 0) return undefined;
  const own = latest.errors.filter((i) => i.file === bot?.source.file).map(formatIssue);
  const all = latest.errors.map(formatIssue);
  const keeps = `keeping last good revision ${lastGoodRevision ?? '(none)'}`;
  if (own.length > 0) {
    return {
      verdict: { kind: 'stalled', reason: 'InvalidManifest', message: `${own.join('; ')} (${keeps})` },
      lines: own.slice(0, MAX_LINES),
    };
  }
  const more = all.length > 1 ? ` and ${all.length - 1} more` : '';
  return {
    verdict: {
      kind: 'stalled',
      reason: 'RevisionInvalid',
      message: `revision ${latest.revision} not applied: ${all[0] ?? ''}${more} (${keeps})`,
    },
    lines: all.slice(0, MAX_LINES),
  };
}
