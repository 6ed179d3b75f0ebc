/** The plan as terminal text, in the manner of `terraform plan`: one symbol per bot, one line per field. */
import { show, shortRevision, summaryLine, symbol } from './summary.ts';
import type { BotPlan, Plan } from './types.ts';

function botLines(bot: BotPlan): string[] {
  const cls = bot.class ? `  [${bot.class}]` : '';
  const lines = [`  ${symbol(bot).padEnd(3)} ${bot.action.padEnd(8)} ${bot.key} (${bot.strategy})${cls}`];
  for (const f of bot.fields) lines.push(`        ${f.path}: ${show(f.from)} → ${show(f.to)} (${f.class})`);
  if (bot.blocked) lines.push(`        BLOCKED ${bot.blocked.reason}: ${bot.blocked.message}`);
  for (const note of bot.notes) lines.push(`        note: ${note}`);
  return lines;
}

/** Renders a plan as text; unchanged bots are counted, not listed. */
export function renderText(plan: Plan): string {
  const changed = plan.bots.filter((b) => b.action !== 'noop');
  const unchanged = plan.bots.length - changed.length;
  const lines = [
    `TradingTower plan: ${shortRevision(plan.baseRevision)} → ${shortRevision(plan.headRevision)}`,
    '',
  ];
  for (const bot of changed) lines.push(...botLines(bot));
  if (unchanged > 0) lines.push(`  =   ${unchanged} bot(s) unchanged`);
  if (plan.pruneGuard?.triggered) lines.push('', `Prune guard: ${plan.pruneGuard.message}`);
  lines.push('', `Plan: ${summaryLine(plan)}.`);
  return `${lines.join('\n')}\n`;
}
