/**
 * `tower up` as a process: starts on a folder, serves status, applies an edit, and survives SIGTERM and
 * SIGKILL restarts without creating any bot twice. The store is real SQLite in a temp folder. The engine
 * is the file-backed fake (loaded through TOWER_ENGINE_MODULE, which records every control call), and the
 * real paper engine, checked through the store: one run per bot, no client order id sent twice, and the
 * bots keep trading after the restart.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteHistoryStore } from '@tradingtower/engine/adapters/store/sqlite.ts';
import { aDcaBot, aGridBot, aPaperAccount } from '../reconcile/helpers/manifests.ts';

const TOWER = fileURLToPath(new URL('../../bin/tower.js', import.meta.url));
const ENGINE = fileURLToPath(new URL('./helpers/file-engine.ts', import.meta.url));

/** A running `tower up` whose stdout lines can be awaited. */
class TowerProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  stderr = '';
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(dir: string, work: string, live: boolean) {
    this.child = spawn(
      process.execPath,
      [
        TOWER,
        'up',
        dir,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--store',
        `sqlite:${join(work, 'state.db')}`,
        '--log-format',
        'json',
      ],
      {
        cwd: work,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          ...(live ? {} : { TOWER_ENGINE_MODULE: ENGINE, TOWER_TEST_ENGINE_FILE: join(work, 'engine.json') }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const line of parts) this.push(line);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  private push(line: string): void {
    this.lines.push(line);
    this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
  }

  /** Resolves with the first stdout line (seen so far or later) that matches. */
  line(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.waiters.push({ test: (l) => pattern.test(l), resolve });
      void this.exited.then(() =>
        reject(new Error(`tower up exited before printing ${pattern}; stderr:\n${this.stderr}`)),
      );
    });
  }

  async url(): Promise<string> {
    return /(http:\/\/\S+)\/v1\/status/.exec(await this.line(/status\s+http:/))![1]!;
  }
}

async function engineCalls(work: string): Promise<{ method: string; botKey: string; pid: number }[]> {
  const text = await readFile(join(work, 'engine.json.calls'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { method: string; botKey: string; pid: number });
}

/** Runs per bot and every submitted client order id, read from the SQLite store the process writes. */
async function storeHistory(work: string, botKeys: readonly string[]) {
  const store = new SqliteHistoryStore(join(work, 'state.db'));
  const runs: Record<string, number> = {};
  const submitted: string[] = [];
  try {
    for (const botKey of botKeys) {
      const list = await store.listRuns(botKey);
      runs[botKey] = list.length;
      for (const run of list) {
        const page = await store.readRun(botKey, run.runId);
        for (const e of page.items) if (e.type === 'OrderSubmitted') submitted.push(e.data.clientOrderId);
      }
    }
  } finally {
    await store.close();
  }
  return { runs, submitted };
}

describe.each([
  ['the recording engine', false],
  ['the paper engine', true],
])('tower up with %s', (_name, live) => {
  let work: string;
  let dir: string;
  let running: TowerProcess | undefined;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'tower-up-'));
    dir = join(work, 'bots');
    await mkdir(join(dir, 'team'), { recursive: true });
    await writeFile(join(dir, 'team', 'account.yaml'), aPaperAccount());
    await writeFile(join(dir, 'team', 'dca.yaml'), aDcaBot());
    await writeFile(join(dir, 'team', 'grid.yaml'), aGridBot());
  });

  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    await rm(work, { recursive: true, force: true });
  });

  it('prints where to look, serves status, applies an edit and exits 0 on SIGTERM', async () => {
    running = new TowerProcess(dir, work, live);
    const url = await running.url();
    await running.line(/status\s+team\/dca-btc\s+Ready/);
    await running.line(/status\s+team\/grid-btc\s+Ready/);

    const status = (await (await fetch(`${url}/v1/status`)).json()) as {
      bots: { botKey: string; summary: string }[];
    };
    const ready = await fetch(`${url}/readyz`);
    await writeFile(join(dir, 'team', 'dca.yaml'), aDcaBot({ takeProfitPct: '2.5' }));
    await running.line(/update\s+team\/dca-btc\s+params\.takeProfit\.pct/);
    running.child.kill('SIGTERM');
    const exit = await running.exited;

    expect(status.bots.map((b) => [b.botKey, b.summary])).toEqual([
      ['team/dca-btc', 'Ready'],
      ['team/grid-btc', 'Ready'],
    ]);
    expect(ready.status).toBe(200);
    expect(await running.line(/events\s+http:/)).toContain('/v1/events');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(running.stderr).toContain('stopped cleanly');
  });

  it('continues every bot after a SIGTERM and after a SIGKILL restart, creating none twice', async () => {
    running = new TowerProcess(dir, work, live);
    await running.line(/status\s+team\/grid-btc\s+Ready/);
    await running.line(/status\s+team\/dca-btc\s+Ready/);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);

    running = new TowerProcess(dir, work, live);
    await running.line(/status\s+team\/grid-btc\s+Ready/);
    await running.line(/status\s+team\/dca-btc\s+Ready/);
    running.child.kill('SIGKILL');
    await running.exited;

    running = new TowerProcess(dir, work, live);
    const url = await running.url();
    await running.line(/status\s+team\/dca-btc\s+Ready/);
    await running.line(/status\s+team\/grid-btc\s+Ready/);
    const status = (await (await fetch(`${url}/v1/status/team/dca-btc`)).json()) as {
      appliedRevisions: unknown[];
    };

    expect(status.appliedRevisions).toHaveLength(1);
    if (live) {
      // The same run continues: recovery (open orders reconciled with the venue) hands back to the strategy.
      await running.line(/state\s+team\/grid-btc\s+RECOVERING → /);
      await running.line(/state\s+team\/dca-btc\s+RECOVERING → /);
      const history = await storeHistory(work, ['team/dca-btc', 'team/grid-btc']);
      expect(history.runs).toEqual({ 'team/dca-btc': 1, 'team/grid-btc': 1 });
      expect(history.submitted.length).toBeGreaterThan(0);
      expect(new Set(history.submitted).size).toBe(history.submitted.length);
    } else {
      const calls = await engineCalls(work);
      expect(calls.map((c) => `${c.method} ${c.botKey}`).sort()).toEqual([
        'create team/dca-btc',
        'create team/grid-btc',
      ]);
    }
  }, 90_000);
});
