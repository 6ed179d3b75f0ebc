import { describe, expect, it } from '@jest/globals';
import { anEvent } from '../../../test/store/builders.ts';
import { MemoryHistoryStore } from './memory.ts';

const seqs = (from: number, to: number, over: Parameters<typeof anEvent>[0] = {}) =>
  Array.from({ length: to - from + 1 }, (_, i) =>
    anEvent({ ...over, seq: from + i, type: 'StateTransition' }),
  );

describe('memory history store, batches that continue a run', () => {
  it('stores each continuing batch in order and moves the run info on, leaving infos read earlier as they were', async () => {
    const store = new MemoryHistoryStore({ adoptAppended: true });
    await store.append(seqs(1, 2));
    const [before] = await store.listRuns('alpha/grid-1');

    await store.append(seqs(3, 4, { revision: 'rev-2' }));
    await store.append([anEvent({ seq: 5, type: 'BotRunStopped' })]);

    const page = await store.readRun('alpha/grid-1', 'run-1', { limit: 10 });
    const [after] = await store.listRuns('alpha/grid-1');
    expect(page.items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(before).toMatchObject({ lastSeq: 2, revision: 'rev-1' });
    expect(before).not.toHaveProperty('stoppedAt');
    expect(after).toEqual({
      botKey: 'alpha/grid-1',
      runId: 'run-1',
      startedAt: before!.startedAt,
      lastSeq: 5,
      revision: 'rev-1',
      stoppedAt: anEvent({ seq: 5 }).ts,
    });
  });

  it('still refuses a batch that skips a seq or repeats one differently after a continuing batch', async () => {
    const store = new MemoryHistoryStore();
    await store.append(seqs(1, 2));
    await store.append(seqs(3, 3));

    await expect(store.append(seqs(5, 5))).rejects.toThrow(/seq|gap/i);
    await expect(store.append([anEvent({ seq: 3, type: 'BotRunStarted' })])).rejects.toThrow();
    await expect(store.append(seqs(3, 4))).resolves.toBeUndefined();
    const page = await store.readRun('alpha/grid-1', 'run-1', { limit: 10 });
    expect(page.items.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('copies continuing batches unless told to adopt them', async () => {
    const store = new MemoryHistoryStore();
    await store.append(seqs(1, 1));
    const batch = structuredClone(seqs(2, 2));
    const appended = structuredClone(batch[0]!.data);

    await store.append(batch);
    (batch[0]!.data as { reason: string }).reason = 'changed after append';

    const page = await store.readRun('alpha/grid-1', 'run-1', { limit: 10 });
    expect(page.items[1]!.data).toEqual(appended);
  });
});
