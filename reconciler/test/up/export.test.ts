import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { exportBots } from '../../src/cli/export.ts';

function aStart(botKey: string, run: number, seq: number): HistoryEvent {
  return {
    schemaVersion: 1,
    botKey,
    runId: `${botKey}#${run}`,
    seq,
    ts: 1000 * run + seq,
    revision: 'r1',
    type: 'StateTransition',
    data: { from: 'IDLE', to: 'RUNNING', reason: `step ${seq}` },
  };
}

describe('tower export', () => {
  let out: string;

  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'tower-export-'));
  });

  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes an index of every bot and one file per bot with all events of every run', async () => {
    const store = new MemoryHistoryStore();
    await store.append([aStart('team/a', 1, 1), aStart('team/a', 1, 2), aStart('team/a', 2, 1)]);
    await store.putStatus({ botKey: 'team/a', conditions: [], lastAppliedRevision: 'r1' });

    const count = await exportBots(store, ['team/a', 'team/b', 'team/a'], out);

    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as {
      bots: { botKey: string; runs: unknown[] }[];
    };
    const a = JSON.parse(await readFile(join(out, 'bots', 'team', 'a.json'), 'utf8')) as {
      status: { lastAppliedRevision: string };
      runs: { runId: string; events: { seq: number }[] }[];
    };
    expect(count).toBe(2);
    expect(index.bots.map((b) => [b.botKey, b.runs.length])).toEqual([
      ['team/a', 2],
      ['team/b', 0],
    ]);
    expect(a.status.lastAppliedRevision).toBe('r1');
    expect(a.runs.map((r) => [r.runId, r.events.map((e) => e.seq)])).toEqual([
      ['team/a#1', [1, 2]],
      ['team/a#2', [1]],
    ]);
  });
});
