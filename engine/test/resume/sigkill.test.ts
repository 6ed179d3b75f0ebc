import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { DCA, GRID, historyOf, startEngine } from './specs.ts';
import { expectOneContinuousRun, fillsAfter, resumeSeqs } from './invariants.ts';

const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tower-resume-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the engine process until it reports `bars` replayed bars, then SIGKILLs it mid-run. */
function runAndKill(path: string, bars: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('bar ')) seen = Number(line.slice(4));
      if (seen >= bars && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`engine process exited with ${code}: ${stderr}`));
    });
  });
}

describe('engine killed with SIGKILL mid-run (issue 6)', () => {
  it('resumes every run after each kill with one run id, gap-free seq, no order id sent twice, and keeps trading', async () => {
    const path = join(dir, 'killed.db');
    const kills = [120, 37, 260];
    const lengths: number[] = [];
    for (const bars of kills) {
      await runAndKill(path, bars);
      const store = new SqliteHistoryStore(path);
      lengths.push((await historyOf(store, GRID.botKey)).events.length);
      // Same transaction: the checkpoint is never ahead of or behind the events it follows.
      for (const bot of [GRID, DCA]) {
        const [run] = await store.listRuns(bot.botKey);
        expect((await store.loadCheckpoint(bot.botKey, run!.runId))?.seq).toBe(run!.lastSeq);
      }
      await store.close();
    }

    const store = new SqliteHistoryStore(path);
    const last = await startEngine(store);
    await last.engine.create(GRID);
    await last.engine.create(DCA);
    await last.barsDone(250);
    await last.engine.stop(GRID.botKey, 'cancelOrders', 'test over', 'rev-1');
    await last.engine.stop(DCA.botKey, 'cancelOrders', 'test over', 'rev-1');
    await last.engine.close();

    expect(lengths.every((n, i) => i === 0 || n > lengths[i - 1]!)).toBe(true);
    for (const bot of [GRID, DCA]) {
      const { runIds, events } = await historyOf(store, bot.botKey);
      expectOneContinuousRun(bot.botKey, runIds, events);
      expect(resumeSeqs(events)).toHaveLength(kills.length);
      expect(events.at(-1)?.type).toBe('BotRunStopped');
    }
    const grid = (await historyOf(store, GRID.botKey)).events;
    expect(fillsAfter(grid, resumeSeqs(grid).at(-1)!)).toBeGreaterThan(0);
    await store.close();
  }, 60_000);
});
