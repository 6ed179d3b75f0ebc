/** Rules every store applies to run checkpoints (ports/store.ts `append` with a checkpoint). */
import { SequenceError, type StoredCheckpoint } from '../../ports/store.ts';
import { namespaceOfKey } from './keys.ts';

/** Checks a checkpoint against its run's last stored seq: it may not be ahead of its events. */
export function checkCheckpoint(checkpoint: StoredCheckpoint, lastSeq: number): void {
  namespaceOfKey(checkpoint.botKey);
  if (!Number.isInteger(checkpoint.seq) || checkpoint.seq < 0) {
    throw new SequenceError(
      `${checkpoint.botKey} ${checkpoint.runId}: checkpoint seq must be a non-negative integer, was ${checkpoint.seq}`,
    );
  }
  if (checkpoint.seq > lastSeq) {
    throw new SequenceError(
      `${checkpoint.botKey} ${checkpoint.runId}: checkpoint at seq ${checkpoint.seq} is ahead of the stored events (last seq ${lastSeq})`,
    );
  }
}

/** The key of a run in checkpoint maps. */
export const checkpointKey = (botKey: string, runId: string): string => `${botKey}\u0000${runId}`;
