/**
 * `tower status [namespace/name] [--url <server>] [--json]`: the status of every bot (or one) as the
 * running `tower up` reports it on `/v1/status`. Exit 0 when every listed bot is Ready, 1 when any is
 * not (or the server cannot be reached), 2 for usage errors.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: tower status [namespace/name] [--url <server>] [--json]

  --url <server>   the tower up server (default http://localhost:$PORT, PORT default 8080)
  --json           print the JSON document instead of a table
`;

/** One bot as `/v1/status` returns it. */
interface BotView {
  readonly botKey: string;
  readonly summary: string;
  readonly conditions?: readonly { type: string; status: string; reason: string; message: string }[];
  readonly lastAppliedRevision?: string;
  readonly pendingUntilNextCycle?: readonly string[];
  readonly drift?: readonly unknown[];
  readonly state?: string;
}

const short = (revision: string | undefined): string =>
  (revision ?? '-').replace(/^sha256:/, '').slice(0, 10);

/** Renders bots as an aligned table with the reason of anything not Ready. */
export function statusTable(bots: readonly BotView[]): string {
  const rows = [['BOT', 'STATUS', 'STATE', 'APPLIED', 'PENDING', 'DRIFT', 'REASON']];
  for (const bot of bots) {
    const notReady = bot.conditions?.find((c) => (c.type === 'Ready' ? c.status !== 'True' : false));
    const reason = bot.summary === 'Ready' ? '' : `${notReady?.reason ?? ''}: ${notReady?.message ?? ''}`;
    rows.push([
      bot.botKey,
      bot.summary,
      bot.state ?? '-',
      short(bot.lastAppliedRevision),
      String(bot.pendingUntilNextCycle?.length ?? 0),
      String(bot.drift?.length ?? 0),
      reason,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}

/** Runs `tower status`. */
export async function run(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { url: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`tower status: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const base = (values.url ?? `http://localhost:${process.env['PORT'] ?? '8080'}`).replace(/\/+$/, '');
  const url = positionals[0] === undefined ? `${base}/v1/status` : `${base}/v1/status/${positionals[0]}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    process.stderr.write(
      `tower status: cannot reach ${url} (${(error as Error).message}); is tower up running?\n`,
    );
    return 1;
  }
  const body = (await response.json()) as { bots?: BotView[] } & BotView & { error?: string };
  if (!response.ok) {
    process.stderr.write(`tower status: ${url}: ${response.status} ${body.error ?? ''}\n`);
    return 1;
  }
  const bots = body.bots ?? [body];
  process.stdout.write(values.json ? `${JSON.stringify(body, null, 2)}\n` : `${statusTable(bots)}\n`);
  return bots.every((b) => b.summary === 'Ready') ? 0 : 1;
}
