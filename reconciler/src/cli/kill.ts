/**
 * `tower kill <namespace/name | --namespace ns | --all> [--flatten] [--reason text] [--clear]`: engages
 * (or clears) the kill switch of a running `tower up`. Engaging stops every running bot in scope at once
 * (cancel all orders; `--flatten` also closes positions) and latches until `--clear`. Needs the server's
 * TOWER_ADMIN_TOKEN in the environment. Exit 0 done, 1 refused or unreachable, 2 usage.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: tower kill <namespace/name | --namespace <ns> | --all> [options]

  --flatten         also close positions (default: cancel all orders, keep inventory)
  --reason <text>   why (stored with the latch and in the logs)
  --clear           clear the latch instead; the bots return to what their manifests say
  --url <server>    the tower up server (default http://localhost:$PORT, PORT default 8080)

The token comes from TOWER_ADMIN_TOKEN (the same value tower up was started with).
`;

/** The JSON body naming the scope, or a usage message. */
export function killBody(
  positionals: readonly string[],
  values: { namespace?: string; all?: boolean },
): Record<string, unknown> | string {
  const given = positionals.length + (values.namespace === undefined ? 0 : 1) + (values.all ? 1 : 0);
  if (given !== 1) return 'give exactly one of namespace/name, --namespace <ns> or --all';
  if (values.all) return { all: true };
  if (values.namespace !== undefined) return { namespace: values.namespace };
  return { bot: positionals[0] };
}

/** Runs `tower kill`. */
export async function run(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        namespace: { type: 'string' },
        all: { type: 'boolean' },
        flatten: { type: 'boolean' },
        reason: { type: 'string' },
        clear: { type: 'boolean' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`tower kill: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return (process.stdout.write(USAGE), 0);
  const scope = killBody(positionals, values);
  if (typeof scope === 'string') return (process.stderr.write(`tower kill: ${scope}\n${USAGE}`), 2);
  const token = process.env['TOWER_ADMIN_TOKEN'];
  if (!token)
    return (process.stderr.write('tower kill: set TOWER_ADMIN_TOKEN to the server’s admin token\n'), 1);
  const base = (values.url ?? `http://localhost:${process.env['PORT'] ?? '8080'}`).replace(/\/+$/, '');
  const body = { ...scope, flatten: values.flatten === true, reason: values.reason ?? 'operator kill' };
  let response: Response;
  try {
    response = await fetch(`${base}/v1/kill`, {
      method: values.clear ? 'DELETE' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    process.stderr.write(
      `tower kill: cannot reach ${base} (${(error as Error).message}); is tower up running?\n`,
    );
    return 1;
  }
  const answer = (await response.json()) as { stopped?: string[]; cleared?: boolean; error?: string };
  if (!response.ok)
    return (process.stderr.write(`tower kill: ${response.status} ${answer.error ?? ''}\n`), 1);
  if (values.clear)
    process.stdout.write(answer.cleared ? 'kill switch cleared\n' : 'no such latch was engaged\n');
  else
    process.stdout.write(
      `kill switch engaged; stopped ${answer.stopped?.length ?? 0} bot(s): ${(answer.stopped ?? []).join(', ')}\n`,
    );
  return 0;
}
