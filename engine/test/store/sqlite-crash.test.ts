import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { aRun } from './builders.ts';
import { readAll } from './contract.ts';
import { batchSize } from './crash-writer.ts';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tower-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `acks` batches, SIGKILLs it, and returns the acks seen. */
function runAndKill(path: string, acks: number): Promise<{ start: number; acked: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let start = 0;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'start') start = Number(value);
        if (word === 'ack') acked.push(Number(value));
      }
      if (acked.length >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ start, acked });
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

/** The seqs at which a batch ends, up to `max`. */
function batchEnds(max: number): Set<number> {
  const ends = new Set<number>();
  for (let first = 1; first <= max; first += batchSize(first)) ends.add(first + batchSize(first) - 1);
  return ends;
}

describe('sqlite store under SIGKILL', () => {
  it('keeps every acknowledged append, exactly once, and never a half-written batch, over 20 kills', async () => {
    const path = join(dir, 'crash.db');
    let highestAck = 0;
    let previousLast = 0;

    for (let round = 0; round < 20; round++) {
      const { start, acked } = await runAndKill(path, 1 + Math.floor(Math.random() * 40));
      const store = new SqliteHistoryStore(path);
      const events = await readAll(store, 'alpha/crash', 'run-1');
      const runs = await store.listRuns('alpha/crash');
      await store.close();

      const last = events.length;
      expect({ round, start }).toEqual({ round, start: previousLast + 1 });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      expect(last).toBeGreaterThanOrEqual(Math.max(highestAck, ...acked));
      expect(batchEnds(last).has(last)).toBe(true);
      expect(events).toEqual(aRun(1, last, { botKey: 'alpha/crash', runId: 'run-1' }));
      expect(runs.map((r) => r.lastSeq)).toEqual([last]);
      highestAck = Math.max(highestAck, ...acked);
      previousLast = last;
    }
  }, 60_000);
});
