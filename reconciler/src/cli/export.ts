/**
 * `tower export [dir] --out <folder> [--store <setting>]`: writes the data set the static site is built
 * from: `index.json` (every bot with its status and run list) and one `bots/<ns>/<name>.json` per bot
 * with every run's events. Bots are the ones the manifest folder names plus any `--bot ns/name`.
 * Reads the store only; never contacts the engine or an exchange.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HistoryEvent, HistoryStore } from '@tradingtower/engine';
import { openStore } from '@tradingtower/engine/adapters/store/index.ts';
import { loadSnapshot } from '../manifest/index.ts';
import { readDirectorySnapshot } from '../sources/directory.ts';

const USAGE = `usage: tower export [dir] --out <folder> [--store <setting>] [--bot ns/name]…

  dir               manifest folder whose bots are exported (default bots.example)
  --out <folder>    where to write index.json and bots/<ns>/<name>.json
  --store <setting> sqlite:<path> | cosmos:<endpoint> | memory: (env TOWER_STORE, default .tower/state.db)
  --bot <ns/name>   also export this bot (repeatable), e.g. one whose manifest was removed
`;

async function allEvents(store: HistoryStore, botKey: string, runId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.readRun(botKey, runId, {
      limit: 5000,
      ...(continuation ? { continuation } : {}),
    });
    events.push(...page.items);
    continuation = page.continuation;
  } while (continuation !== undefined);
  return events;
}

/** Writes the export of the given bots from `store` into `out`; returns how many bots were written. */
export async function exportBots(
  store: HistoryStore,
  botKeys: readonly string[],
  out: string,
): Promise<number> {
  const index = [];
  for (const botKey of [...new Set(botKeys)].sort()) {
    const status = (await store.getStatus(botKey))?.value;
    const runs = await store.listRuns(botKey);
    const detail = [];
    for (const run of runs) detail.push({ ...run, events: await allEvents(store, botKey, run.runId) });
    const [namespace, name] = botKey.split('/') as [string, string];
    await mkdir(join(out, 'bots', namespace), { recursive: true });
    await writeFile(
      join(out, 'bots', namespace, `${name}.json`),
      JSON.stringify({ botKey, status, runs: detail }),
    );
    index.push({ botKey, namespace, name, status, runs });
  }
  await writeFile(join(out, 'index.json'), JSON.stringify({ bots: index }, null, 2));
  return index.length;
}

/** Runs `tower export`. */
export async function run(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        store: { type: 'string' },
        bot: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`tower export: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return (process.stdout.write(USAGE), 0);
  if (values.out === undefined || positionals.length > 1) return (process.stderr.write(USAGE), 2);
  const snapshot = await readDirectorySnapshot(positionals[0] ?? 'bots.example');
  const keys = [...loadSnapshot(snapshot).desired.bots.map((b) => b.key), ...(values.bot ?? [])];
  const store = await openStore(values.store);
  try {
    const count = await exportBots(store, keys, values.out);
    process.stdout.write(`exported ${count} bot(s) to ${values.out}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
