/**
 * The history store contract: one suite every store must pass (memory, SQLite, Cosmos). Each store's
 * test file calls `describeStoreContract` with a harness that opens a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { HistoryEvent } from '../../src/model/events.ts';
import { ConflictError, SequenceError, type TowerStore } from '../../src/ports/store.ts';
import { anAudit, anEvent, aRun, aStatus } from './builders.ts';
import { describeTenancy } from './contract-tenancy.ts';
import { describeCheckpoints } from './contract-checkpoints.ts';

/** How the suite reaches one store implementation. */
export interface StoreHarness {
  /** Opens a fresh, empty store. */
  open(): Promise<TowerStore>;
  /** Writes a status document the way schema version 1 of the store did (drift as plain strings). */
  writeStatusV1?(store: TowerStore, botKey: string, doc: Record<string, unknown>): Promise<void>;
  /** How many property-test runs this store can afford. */
  readonly propertyRuns: number;
}

/** Reads every page of a run. */
export async function readAll(
  store: TowerStore,
  botKey: string,
  runId: string,
  limit?: number,
): Promise<HistoryEvent[]> {
  const all: HistoryEvent[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.readRun(botKey, runId, {
      ...(limit === undefined ? {} : { limit }),
      ...(continuation === undefined ? {} : { continuation }),
    });
    if (limit !== undefined) expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    continuation = page.continuation;
  } while (continuation !== undefined);
  return all;
}

/** Registers the contract tests for one store. */
export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name} store contract`, () => {
    let store: TowerStore;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('append', () => {
      it('stores a batch and reads it back in seq order, equal to what was written', async () => {
        const events = aRun(1, 13);

        await store.append(events.slice().reverse());

        expect(await readAll(store, 'alpha/grid-1', 'run-1')).toEqual(events);
      });

      it('stores an event written twice once', async () => {
        await store.append(aRun(1, 5));

        await store.append(aRun(3, 8));
        await store.append(aRun(1, 8));

        expect((await readAll(store, 'alpha/grid-1', 'run-1')).map((e) => e.seq)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8,
        ]);
        expect((await store.listRuns('alpha/grid-1'))[0]?.lastSeq).toBe(8);
      });

      it('treats a payload with reordered keys as the same event', async () => {
        const event = anEvent({ seq: 1, type: 'StateTransition', data: { from: 'a', to: 'b', reason: 'r' } });
        await store.append([event]);

        await store.append([{ ...event, data: { reason: 'r', to: 'b', from: 'a' } } as HistoryEvent]);

        expect(await readAll(store, 'alpha/grid-1', 'run-1')).toEqual([event]);
      });

      it('rejects a gap after the stored events and stores nothing of that batch', async () => {
        await store.append(aRun(1, 3));

        await expect(store.append(aRun(5, 6))).rejects.toThrow(SequenceError);
        await expect(store.append([...aRun(4, 4), ...aRun(6, 7)])).rejects.toThrow(SequenceError);

        expect((await readAll(store, 'alpha/grid-1', 'run-1')).map((e) => e.seq)).toEqual([1, 2, 3]);
      });

      it('rejects a run that does not start at seq 1', async () => {
        await expect(store.append(aRun(2, 3))).rejects.toThrow(/expected seq 1, got 2/);
      });

      it('rejects a different payload for a stored key and keeps the stored one', async () => {
        await store.append(aRun(1, 3));
        const changed = anEvent({
          seq: 2,
          type: 'StateTransition',
          data: { from: 'x', to: 'y', reason: 'z' },
        });

        await expect(store.append([changed, ...aRun(3, 4)])).rejects.toThrow(/seq 2: a different event/);

        expect(await readAll(store, 'alpha/grid-1', 'run-1')).toEqual(aRun(1, 3));
      });

      it('keeps seq independent per run and per bot', async () => {
        await store.append([
          ...aRun(1, 2),
          ...aRun(1, 3, { runId: 'run-2' }),
          ...aRun(1, 1, { botKey: 'alpha/dca-1' }),
        ]);

        expect((await readAll(store, 'alpha/grid-1', 'run-2')).map((e) => e.seq)).toEqual([1, 2, 3]);
        expect((await readAll(store, 'alpha/dca-1', 'run-1')).map((e) => e.botKey)).toEqual(['alpha/dca-1']);
      });

      it('stores any split of a run into retried, overlapping batches exactly once', async () => {
        let runs = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
            async (sizes) => {
              runs += 1;
              const runId = `prop-${runs}`;
              let next = 1;
              for (const size of sizes) {
                const batch = aRun(next, next + size - 1, { runId });
                await store.append(batch);
                await store.append(batch.slice(0, 1 + (size >> 1)));
                next += size;
              }
              expect((await readAll(store, 'alpha/grid-1', runId, 4)).map((e) => e.seq)).toEqual(
                Array.from({ length: next - 1 }, (_, i) => i + 1),
              );
            },
          ),
          { numRuns: harness.propertyRuns },
        );
      });
    });

    describe('reads', () => {
      it('lists runs with start, stop, last seq and revision', async () => {
        const started = anEvent({ seq: 1, type: 'BotRunStarted', ts: 1000 });
        const stopped = anEvent({ seq: 2, type: 'BotRunStopped', ts: 2000, revision: 'rev-2' });
        await store.append([started, stopped, ...aRun(1, 1, { runId: 'run-0', ts: 500 })]);

        const runs = await store.listRuns('alpha/grid-1');

        expect(runs).toEqual([
          { botKey: 'alpha/grid-1', runId: 'run-0', startedAt: 500, lastSeq: 1, revision: 'rev-1' },
          {
            botKey: 'alpha/grid-1',
            runId: 'run-1',
            startedAt: 1000,
            stoppedAt: 2000,
            lastSeq: 2,
            revision: 'rev-2',
          },
        ]);
      });

      it('reads a seq range in pages whose tokens resume where the last page ended', async () => {
        await store.append(aRun(1, 20));

        const first = await store.readRun('alpha/grid-1', 'run-1', { fromSeq: 5, toSeq: 14, limit: 4 });
        const second = await store.readRun('alpha/grid-1', 'run-1', {
          toSeq: 14,
          limit: 4,
          continuation: first.continuation!,
        });
        const third = await store.readRun('alpha/grid-1', 'run-1', {
          toSeq: 14,
          limit: 4,
          continuation: second.continuation!,
        });

        expect([first, second, third].map((p) => p.items.map((e) => e.seq))).toEqual([
          [5, 6, 7, 8],
          [9, 10, 11, 12],
          [13, 14],
        ]);
        expect(third.continuation).toBeUndefined();
      });

      it('reads a time range inclusively, in pages', async () => {
        await store.append(aRun(1, 10).map((e) => ({ ...e, ts: e.seq * 100 })));
        const seen: number[] = [];
        let continuation: string | undefined;

        do {
          const page = await store.readRunByTime('alpha/grid-1', 'run-1', {
            from: 300,
            to: 800,
            limit: 4,
            ...(continuation === undefined ? {} : { continuation }),
          });
          seen.push(...page.items.map((e) => e.seq));
          continuation = page.continuation;
        } while (continuation !== undefined);

        expect(seen).toEqual([3, 4, 5, 6, 7, 8]);
      });

      it('rejects a continuation token it did not issue', async () => {
        await expect(store.readRun('alpha/grid-1', 'run-1', { continuation: 'not-a-token' })).rejects.toThrow(
          /invalid continuation token/,
        );
      });

      it('returns the newest position and metrics snapshots across runs', async () => {
        const old = anEvent({ seq: 1, type: 'PositionSnapshot', ts: 1000 });
        const newest = anEvent({
          seq: 1,
          type: 'PositionSnapshot',
          ts: 5000,
          runId: 'run-2',
          data: { symbol: 'BTC/USDT', base: '1', quote: '0' },
        });
        const metrics = anEvent({ seq: 2, type: 'MetricsSnapshot', ts: 2000 });
        await store.append([old, metrics, newest]);

        expect(await store.latestSnapshots('alpha/grid-1')).toEqual({ position: newest, metrics });
        expect(await store.latestSnapshots('alpha/other')).toEqual({});
      });

      it('reads the audit trail of a namespace by time, oldest first, in pages', async () => {
        await store.append([
          anAudit({ seq: 1, ts: 300, action: 'c' }),
          anAudit({ seq: 2, ts: 100, action: 'a' }),
          anAudit({ seq: 1, ts: 200, botKey: 'alpha/dca-1', action: 'b' }),
          anAudit({ seq: 1, ts: 250, botKey: 'beta/grid-1', action: 'other-tenant' }),
          anEvent({ seq: 3, ts: 260, type: 'StateTransition' }),
          anAudit({ seq: 4, ts: 900, action: 'late' }),
        ]);

        const first = await store.readAudit('alpha', { from: 100, to: 300, limit: 2 });
        const second = await store.readAudit('alpha', {
          from: 100,
          to: 300,
          limit: 2,
          continuation: first.continuation!,
        });

        expect([...first.items, ...second.items].map((e) => e.data.action)).toEqual(['a', 'b', 'c']);
        expect(second.continuation).toBeUndefined();
      });
    });

    describe('status', () => {
      it('returns what was written with a version that changes on every write', async () => {
        const first = await store.putStatus(aStatus('alpha/grid-1'));
        const second = await store.putStatus(aStatus('alpha/grid-1', { phase: 'Running' }), first.etag);

        expect(await store.getStatus('alpha/grid-1')).toEqual(second);
        expect(second.value.phase).toBe('Running');
        expect(second.etag).not.toBe(first.etag);
        expect(await store.getStatus('alpha/none')).toBeUndefined();
      });

      it('fails a stale write with a conflict, and the re-read retry succeeds', async () => {
        const base = await store.putStatus(aStatus('alpha/grid-1'));
        await store.putStatus(aStatus('alpha/grid-1', { phase: 'A' }), base.etag);

        await expect(store.putStatus(aStatus('alpha/grid-1', { phase: 'B' }), base.etag)).rejects.toThrow(
          ConflictError,
        );
        const fresh = (await store.getStatus('alpha/grid-1'))!;
        await store.putStatus(aStatus('alpha/grid-1', { phase: 'B' }), fresh.etag);

        expect((await store.getStatus('alpha/grid-1'))?.value.phase).toBe('B');
      });

      it('fails a conditional write to a status that does not exist', async () => {
        const other = await store.putStatus(aStatus('alpha/grid-1'));

        await expect(store.putStatus(aStatus('alpha/grid-2'), other.etag)).rejects.toThrow(ConflictError);
      });

      it('lists the statuses of one namespace only', async () => {
        await store.putStatus(aStatus('alpha/b'));
        await store.putStatus(aStatus('alpha/a'));
        await store.putStatus(aStatus('alphabet/c'));
        await store.putStatus(aStatus('beta/d'));

        expect((await store.listStatuses('alpha')).map((s) => s.botKey)).toEqual(['alpha/a', 'alpha/b']);
      });

      const writeStatusV1 = harness.writeStatusV1;
      // The memory store keeps live objects and has no stored format to upgrade.
      if (writeStatusV1)
        it('upgrades a status written in schema version 1 when it is read', async () => {
          await writeStatusV1(store, 'alpha/old', {
            botKey: 'alpha/old',
            conditions: [],
            drift: ['order x-1 unknown'],
          });

          const read = await store.getStatus('alpha/old');
          const listed = await store.listStatuses('alpha');

          expect(read?.value.drift).toEqual([{ kind: 'Unknown', message: 'order x-1 unknown' }]);
          expect(listed[0]?.drift).toEqual([{ kind: 'Unknown', message: 'order x-1 unknown' }]);
        });
    });

    describeTenancy(() => store);
    describeCheckpoints(() => store);
  });
}
