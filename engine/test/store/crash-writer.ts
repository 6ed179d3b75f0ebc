/**
 * The writer the crash test kills: reopens the store at argv[2], continues the run from its last
 * stored seq, and appends batches forever, printing `ack <seq>` only after each batch has committed.
 */
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { aRun } from './builders.ts';

/** Batch sizes are a function of the first seq, so the test can tell where every batch ends. */
export function batchSize(firstSeq: number): number {
  return (firstSeq % 7) + 1;
}

const path = process.argv[2];
if (path !== undefined && process.argv[1]?.endsWith('crash-writer.ts')) {
  const store = new SqliteHistoryStore(path);
  const runs = await store.listRuns('alpha/crash');
  let next = (runs[0]?.lastSeq ?? 0) + 1;
  process.stdout.write(`start ${next}\n`);
  for (;;) {
    const size = batchSize(next);
    await store.append(aRun(next, next + size - 1, { botKey: 'alpha/crash', runId: 'run-1' }));
    next += size;
    process.stdout.write(`ack ${next - 1}\n`);
  }
}
