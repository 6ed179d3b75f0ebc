/** The checkpoint part of the store contract: newest checkpoint per run, never ahead of its events. */
import { describe, expect, it } from '@jest/globals';
import {
  SequenceError,
  TenancyError,
  type StoredCheckpoint,
  type TowerStore,
} from '../../src/ports/store.ts';
import { aRun } from './builders.ts';
import { readAll } from './contract.ts';

function aCheckpoint(seq: number, over: Partial<StoredCheckpoint> = {}): StoredCheckpoint {
  return {
    botKey: 'alpha/grid-1',
    runId: 'run-1',
    seq,
    body: { schemaVersion: 1, seq, state: { level: seq, tags: ['a', 'b'] } },
    ...over,
  };
}

/** Registers the checkpoint tests against the store the surrounding suite has open. */
export function describeCheckpoints(store: () => TowerStore): void {
  describe('checkpoints', () => {
    it('stores a checkpoint with the batch it follows and returns the newest of the run, equal to what was written', async () => {
      await store().append(aRun(1, 3), aCheckpoint(3));
      await store().append(aRun(4, 6), aCheckpoint(6));

      expect(await store().loadCheckpoint('alpha/grid-1', 'run-1')).toEqual(aCheckpoint(6));
      expect(await store().loadCheckpoint('alpha/grid-1', 'run-2')).toBeUndefined();
      expect(await store().loadCheckpoint('alpha/other', 'run-1')).toBeUndefined();
    });

    it('keeps checkpoints per run and per bot', async () => {
      await store().append(
        [...aRun(1, 2), ...aRun(1, 4, { runId: 'run-2' })],
        aCheckpoint(4, { runId: 'run-2' }),
      );
      await store().append(aRun(3, 3), aCheckpoint(3));

      expect((await store().loadCheckpoint('alpha/grid-1', 'run-1'))?.seq).toBe(3);
      expect((await store().loadCheckpoint('alpha/grid-1', 'run-2'))?.seq).toBe(4);
    });

    it('rejects a checkpoint ahead of its events and stores neither it nor the batch', async () => {
      await store().append(aRun(1, 2), aCheckpoint(2));

      await expect(store().append(aRun(3, 4), aCheckpoint(5))).rejects.toThrow(SequenceError);
      await expect(store().append([], aCheckpoint(3))).rejects.toThrow(/checkpoint at seq 3 is ahead/);

      expect((await readAll(store(), 'alpha/grid-1', 'run-1')).map((e) => e.seq)).toEqual([1, 2]);
      expect(await store().loadCheckpoint('alpha/grid-1', 'run-1')).toEqual(aCheckpoint(2));
    });

    it('takes a checkpoint without events at the stored last seq and ignores an older one than it has', async () => {
      await store().append(aRun(1, 5), aCheckpoint(3));
      await store().append([], aCheckpoint(5));
      await store().append([], aCheckpoint(4));

      expect(await store().loadCheckpoint('alpha/grid-1', 'run-1')).toEqual(aCheckpoint(5));
    });

    it('leaves the stored checkpoint behind events appended without one (the crash window a resuming engine resolves)', async () => {
      await store().append(aRun(1, 3), aCheckpoint(3));
      await store().append(aRun(4, 5));

      expect((await store().loadCheckpoint('alpha/grid-1', 'run-1'))?.seq).toBe(3);
      expect((await store().listRuns('alpha/grid-1'))[0]?.lastSeq).toBe(5);
    });

    it('confines checkpoints to the namespace of a scoped handle', async () => {
      await store().append(aRun(1, 1, { botKey: 'b/x' }), aCheckpoint(1, { botKey: 'b/x' }));
      const a = store().forNamespace('a');

      await expect(a.loadCheckpoint('b/x', 'run-1')).rejects.toThrow(TenancyError);
      await expect(a.append([], aCheckpoint(1, { botKey: 'b/x' }))).rejects.toThrow(TenancyError);
      await a.append(aRun(1, 1, { botKey: 'a/y' }), aCheckpoint(1, { botKey: 'a/y' }));
      expect((await a.loadCheckpoint('a/y', 'run-1'))?.seq).toBe(1);
    });
  });
}
