/**
 * `tower plan --base <dir|git ref> --head <dir|git ref> [--format text|json|markdown] [--detailed-exitcode]`:
 * loads both snapshots and prints what merging head would do to each bot. Exit 0 ok, 1 error (head
 * invalid or unreadable), 2 usage; with --detailed-exitcode 0 no changes, 1 error, 2 changes.
 */
import { parseArgs } from 'node:util';
import { loadSnapshot } from '../manifest/load.ts';
import { hasChanges, planChanges } from '../plan/plan.ts';
import { renderMarkdown } from '../plan/render-markdown.ts';
import { renderText } from '../plan/render-text.ts';
import { readSnapshot } from '../sources/snapshot.ts';
import { displayed, formatIssues } from './format.ts';

const USAGE =
  'usage: tower plan --base <dir|git ref> --head <dir|git ref> [--format text|json|markdown] [--detailed-exitcode]';
const FORMATS = ['text', 'json', 'markdown'] as const;
type PlanFormat = (typeof FORMATS)[number];

function usageError(message: string): number {
  process.stderr.write(`tower plan: ${message}\n${USAGE}\n`);
  return 2;
}

function options(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'detailed-exitcode': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

/** Runs `tower plan`; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  let values;
  try {
    values = options(args);
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.format as PlanFormat;
  if (!FORMATS.includes(format)) return usageError(`unknown format "${format}"`);
  if (values.base === undefined || values.head === undefined)
    return usageError('--base and --head are required');
  let base, head;
  try {
    [base, head] = await Promise.all([readSnapshot(values.base), readSnapshot(values.head)]);
  } catch (error) {
    process.stderr.write(`tower plan: ${(error as Error).message}\n`);
    return 1;
  }
  const before = loadSnapshot(base);
  const after = loadSnapshot(head);
  const headErrors = after.issues.filter((i) => i.severity === 'error');
  if (before.issues.some((i) => i.severity === 'error')) {
    process.stderr.write(
      `tower plan: base ${base.origin} has validation errors; its invalid bots count as absent\n`,
    );
  }
  if (after.issues.length > 0)
    process.stderr.write(
      formatIssues(
        after.issues.map((i) => displayed(i, head.displayPrefix)),
        'text',
      ),
    );
  const plan = planChanges(before.desired.bots, after.desired, { baseRevision: base.revision });
  const rendered =
    format === 'json'
      ? `${JSON.stringify(plan, null, 2)}\n`
      : format === 'markdown'
        ? renderMarkdown(plan)
        : renderText(plan);
  process.stdout.write(rendered);
  if (headErrors.length > 0) return 1;
  return values['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
}
