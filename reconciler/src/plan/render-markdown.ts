/**
 * The plan as a pull-request comment: a summary, a table of changed bots, and a collapsible section
 * per bot with its fields. GitHub refuses comments over 65,535 characters, so when the full plan does
 * not fit, blocked bots keep their details first and the rest is summarised with a note (Atlantis
 * users' most common complaint is a plan that cannot be posted).
 */
import { show, shortRevision, summaryLine, symbol } from './summary.ts';
import type { BotPlan, Plan } from './types.ts';

/** The first line of every plan comment; the PR workflow finds its sticky comment by it. */
export const PLAN_COMMENT_MARKER = '<!-- tradingtower-plan -->';

/** GitHub's limit for an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_535;

/** Escapes manifest-controlled text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[|<>`&*_[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function row(bot: BotPlan): string {
  const status = bot.blocked
    ? `**blocked**: ${bot.blocked.reason}`
    : bot.action === 'noop'
      ? 'unchanged'
      : 'ok';
  return `| ${symbol(bot) === '-/+' ? '±' : symbol(bot)} | \`${bot.key}\` | ${bot.action} | ${bot.class ?? ''} | ${status} |`;
}

function details(bot: BotPlan): string {
  const lines = [
    `<details${bot.blocked ? ' open' : ''}><summary><code>${cell(bot.key)}</code> ${bot.action}${bot.class ? ` [${bot.class}]` : ''}</summary>`,
    '',
  ];
  if (bot.fields.length > 0) {
    lines.push('| Field | From | To | Class |', '|---|---|---|---|');
    for (const f of bot.fields)
      lines.push(`| \`${cell(f.path)}\` | ${cell(show(f.from))} | ${cell(show(f.to))} | ${f.class} |`);
    lines.push('');
  }
  if (bot.blocked) lines.push(`**Blocked (${bot.blocked.reason}):** ${cell(bot.blocked.message)}`, '');
  for (const note of bot.notes) lines.push(`- ${cell(note)}`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** Renders a plan as a PR comment of at most `limit` characters. */
export function renderMarkdown(plan: Plan, limit = GITHUB_COMMENT_LIMIT): string {
  const changed = plan.bots.filter((b) => b.action !== 'noop');
  const unchanged = plan.bots.length - changed.length;
  const head = [
    PLAN_COMMENT_MARKER,
    `### TradingTower plan: \`${shortRevision(plan.baseRevision)}\` → \`${shortRevision(plan.headRevision)}\``,
    '',
    `**Plan:** ${summaryLine(plan)}${unchanged > 0 ? ` (${unchanged} unchanged)` : ''}.`,
    '',
    ...(plan.pruneGuard?.triggered ? [`> **Prune guard:** ${cell(plan.pruneGuard.message)}`, ''] : []),
  ].join('\n');
  // Reserve room for the truncation note; the table may use at most half of what is left.
  const budget = limit - 400;
  const ordered = [...changed.filter((b) => b.blocked), ...changed.filter((b) => !b.blocked)];
  let out = head;
  let rows = 0;
  if (ordered.length > 0) {
    const tableBudget = out.length + (budget - out.length) / 2;
    out += '| | Bot | Action | Class | Status |\n|---|---|---|---|---|\n';
    for (const bot of ordered) {
      const line = `${row(bot)}\n`;
      if (out.length + line.length > tableBudget) break;
      out += line;
      rows++;
    }
    out += '\n';
  }
  let shown = 0;
  for (const bot of ordered) {
    const section = details(bot);
    if (out.length + section.length > budget) break;
    out += section;
    shown++;
  }
  if (rows < changed.length || shown < changed.length) {
    out += `\n_Plan summarised to fit a comment: ${changed.length - rows} of ${changed.length} changed bots are not in the table and ${changed.length - shown} have no details here. Run \`tower plan\` locally or see the workflow log for the full plan._\n`;
  }
  return out.length <= limit ? out : `${out.slice(0, limit - 2)}…\n`;
}
