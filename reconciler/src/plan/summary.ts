/** Counts and value rendering shared by the plan's text and markdown forms. */
import type { BotAction, BotPlan, Plan } from './types.ts';

/** Actions in the order a reader wants them. */
export const ACTIONS: readonly BotAction[] = [
  'create',
  'update',
  'recreate',
  'pause',
  'resume',
  'stop',
  'prune',
  'noop',
];

/** How many bots take each action, and how many are blocked. */
export function summarize(plan: Plan): { counts: Record<BotAction, number>; blocked: number } {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<BotAction, number>;
  for (const bot of plan.bots) counts[bot.action]++;
  return { counts, blocked: plan.bots.filter((b) => b.blocked).length };
}

/** One line: `2 to create, 1 to update, 1 blocked` (or `no changes`). */
export function summaryLine(plan: Plan): string {
  const { counts, blocked } = summarize(plan);
  const parts = ACTIONS.filter((a) => a !== 'noop' && counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
  if (blocked > 0) parts.push(`${blocked} blocked`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}

/** The terraform-style symbol of a bot's line. */
export function symbol(bot: BotPlan): string {
  if (bot.blocked) return '!';
  switch (bot.action) {
    case 'create':
      return '+';
    case 'update':
    case 'pause':
    case 'resume':
      return '~';
    case 'recreate':
      return '-/+';
    case 'stop':
    case 'prune':
      return '-';
    case 'noop':
      return '=';
  }
}

/** A field value as plan output shows it. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '(absent)';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** A short revision for headers. */
export function shortRevision(revision: string): string {
  if (revision === '') return '(none)';
  return /^[0-9a-f]{40}$/.test(revision)
    ? revision.slice(0, 12)
    : revision.replace(/^(sha256:[0-9a-f]{12}).*$/, '$1');
}
