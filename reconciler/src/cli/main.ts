/**
 * The `tower` CLI entry: dispatches to one module per command. Each command module exports
 * `run(args): Promise<number>` returning the exit code (0 ok, 1 failure/invalid, 2 usage error).
 */

/** A CLI command: loaded lazily so `tower validate` never pays for the engine or the server. */
interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<{ run(args: readonly string[]): Promise<number> }>;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  // Each command adds one line here.
  export: { summary: 'write the data set the static site is built from', load: () => import('./export.ts') },
  kill: { summary: 'stop bots at once and latch them (kill switch)', load: () => import('./kill.ts') },
  status: { summary: 'show every bot status from a running tower up', load: () => import('./status.ts') },
  up: { summary: 'the main job: reconciler, paper engine, HTTP server', load: () => import('./up.ts') },
  validate: {
    summary: 'validate manifests (exit 0 valid, 1 invalid, 2 usage)',
    load: () => import('./validate.ts'),
  },
  plan: { summary: 'plan the changes between two manifest snapshots', load: () => import('./plan.ts') },
  backtest: {
    summary: 'backtest a bot manifest over bar data and print its metrics',
    load: () => import('./backtest.ts'),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'usage: tower <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Run `tower <command> --help` for options.',
  ].join('\n');
}

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`tower: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}
