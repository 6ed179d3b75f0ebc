/**
 * `tower up [dir]`: the main job. Watches a manifest folder (default `bots.example/`) or follows a
 * GitHub branch, runs the bots on the paper engine with replayed market data, stores everything in
 * SQLite under `.tower/` (or Cosmos DB), and serves health, metrics, status and live events over HTTP.
 * SIGTERM/SIGINT stop intake, finish the pass in flight, flush engine and store, and exit 0.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Octokit } from '@octokit/rest';
import { openStore } from '@tradingtower/engine/adapters/store/index.ts';
import { EventLines } from '../log/event-lines.ts';
import { createLogger, streamLogger, type Logger } from '../log/logger.ts';
import { projectPlanning } from '../reconcile/default-planning.ts';
import { EventBus } from '../reconcile/events.ts';
import { tapAppends } from '../reconcile/store-tap.ts';
import { createEngine } from '../server/engine-factory.ts';
import { TowerService } from '../server/service.ts';
import { DirectorySource } from '../sources/directory.ts';
import { GitHubSource } from '../sources/github.ts';
import type { DesiredSource } from '../sources/source.ts';

const USAGE = `usage: tower up [dir] [options]

Runs the reconciler, the paper engine and the HTTP server. Without options it watches bots.example/,
stores state in .tower/state.db and listens on port 8080.

options:
  --port <n>          HTTP port (env PORT, default 8080; 0 = any free port)
  --host <addr>       listen address (env HOST, default 0.0.0.0)
  --store <setting>   sqlite:<path> | cosmos:<endpoint>[?database=name] | memory: (env TOWER_STORE)
  --github <o/r>      follow a GitHub repository instead of a folder (env TOWER_GITHUB_REPO;
                      token from GITHUB_TOKEN, webhook secret from TOWER_GITHUB_WEBHOOK_SECRET)
  --ref <branch>      branch to follow (env TOWER_GITHUB_REF, default main)
  --path <folder>     manifest folder in the repository (env TOWER_GITHUB_PATH, default: the root)
  --poll-sec <n>      GitHub poll interval in seconds (env TOWER_POLL_SEC, default 60)
  --log-format <f>    json | pretty (default: pretty on a terminal, json otherwise)

The kill switch over HTTP (tower kill) is enabled by setting TOWER_ADMIN_TOKEN.
`;

/** The parsed configuration of `tower up`. */
export interface UpConfig {
  readonly dir: string;
  readonly port: number;
  readonly host: string;
  readonly store: string | undefined;
  readonly github?: {
    readonly owner: string;
    readonly repo: string;
    readonly ref: string;
    readonly path: string;
    readonly pollSec: number;
  };
  readonly logFormat: 'json' | 'pretty' | undefined;
}

/** Parses flags and environment into a configuration, or returns a usage error message. */
export function parseUpArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): UpConfig | string {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      github: { type: 'string' },
      ref: { type: 'string' },
      path: { type: 'string' },
      'poll-sec': { type: 'string' },
      'log-format': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return USAGE;
  if (positionals.length > 1) return `tower up: expected at most one folder, got ${positionals.length}`;
  const port = Number(values.port ?? env['PORT'] ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return `tower up: --port must be an integer 0…65535, was ${values.port ?? env['PORT']}`;
  const format = values['log-format'];
  if (format !== undefined && format !== 'json' && format !== 'pretty')
    return `tower up: --log-format must be json or pretty, was ${format}`;
  const repo = values.github ?? env['TOWER_GITHUB_REPO'];
  const [owner, name, extra] = (repo ?? '').split('/');
  if (repo !== undefined && (!owner || !name || extra !== undefined))
    return `tower up: --github must be owner/repo, was ${repo}`;
  const pollSec = Number(values['poll-sec'] ?? env['TOWER_POLL_SEC'] ?? '60');
  if (!(pollSec > 0)) return `tower up: --poll-sec must be a positive number`;
  return {
    dir: positionals[0] ?? 'bots.example',
    port,
    host: values.host ?? env['HOST'] ?? '0.0.0.0',
    store: values.store ?? env['TOWER_STORE'],
    ...(repo === undefined
      ? {}
      : {
          github: {
            owner: owner!,
            repo: name!,
            ref: values.ref ?? env['TOWER_GITHUB_REF'] ?? 'main',
            path: values.path ?? env['TOWER_GITHUB_PATH'] ?? '',
            pollSec,
          },
        }),
    logFormat: format,
  };
}

function sourceFor(
  config: UpConfig,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): DesiredSource {
  const onError = (error: unknown) =>
    logger.warn('source read failed; the last snapshot stays current', { error });
  if (!config.github) return new DirectorySource(config.dir, { onError });
  const octokit = new Octokit({
    ...(env['GITHUB_TOKEN'] ? { auth: env['GITHUB_TOKEN'] } : {}),
    ...(env['TOWER_GITHUB_API_URL'] ? { baseUrl: env['TOWER_GITHUB_API_URL'] } : {}),
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => logger.warn(m),
      error: (m: string) => logger.error(m),
    },
  });
  return new GitHubSource({
    octokit,
    ...config.github,
    pollIntervalMs: config.github.pollSec * 1000,
    onError,
  });
}

function banner(config: UpConfig, source: DesiredSource, url: string): string {
  return [
    `TradingTower is up — ${source.origin}`,
    `  status   ${url}/v1/status`,
    `  events   ${url}/v1/events`,
    `  metrics  ${url}/metrics`,
    `  health   ${url}/healthz  ${url}/readyz`,
    ...(config.github ? [`  webhook  ${url}/v1/webhooks/github`] : []),
    '',
  ].join('\n');
}

/** Resolves on the first SIGTERM or SIGINT; a second signal exits at once. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.removeAllListeners('SIGTERM').removeAllListeners('SIGINT');
      process.once('SIGTERM', () => process.exit(1)).once('SIGINT', () => process.exit(1));
      resolve(signal);
    };
    process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
  });
}

/** Runs `tower up` until a signal; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  const config = parseUpArgs(args, process.env);
  if (typeof config === 'string') {
    (config === USAGE ? process.stdout : process.stderr).write(`${config}\n`);
    return config === USAGE ? 0 : 2;
  }
  if (!config.github && !existsSync(config.dir)) {
    process.stderr.write(`tower up: manifest folder ${config.dir} does not exist\n`);
    return 1;
  }
  const logger = config.logFormat
    ? createLogger({ write: (line) => process.stderr.write(line), format: config.logFormat })
    : streamLogger(process.stderr);
  const bus = new EventBus();
  const store = tapAppends(await openStore(config.store), bus);
  const lines = new EventLines();
  bus.subscribe((event) => {
    const line = lines.format(event);
    if (line !== undefined) process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  });
  const engine = await createEngine({ store, log: (line) => logger.info(line, { component: 'engine' }) });
  const source = sourceFor(config, process.env, logger);
  const secret = process.env['TOWER_GITHUB_WEBHOOK_SECRET'];
  const service = new TowerService({
    engine,
    store,
    source,
    planning: projectPlanning(),
    bus,
    logger,
    port: config.port,
    host: config.host,
    ...(config.github && secret ? { githubWebhook: { secret, branch: config.github.ref } } : {}),
    ...(process.env['TOWER_ADMIN_TOKEN'] ? { adminToken: process.env['TOWER_ADMIN_TOKEN'] } : {}),
    // A folder may be read mid-write; a commit cannot: only folder prunes wait for confirmation.
    pruneConfirmMs: config.github ? 0 : 2000,
  });
  const stopping = untilSignal();
  try {
    await service.start();
    process.stdout.write(banner(config, source, service.url));
    logger.info('shutting down', { signal: await stopping });
  } finally {
    // Intake stops first; the engine and the store are flushed last, even when the start failed.
    await service.stop();
    // shutdown() checkpoints every run so a restart resumes it; it closes the store itself.
    if (engine.shutdown) await engine.shutdown();
    else await engine.close();
    await store.close();
  }
  logger.info('stopped cleanly');
  return 0;
}
