import { describe, expect, it } from '@jest/globals';
import { ConflictError, type BotStatus, type HistoryStore, type Versioned } from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { nextStatus, summaryOf, writeStatus, type PassFacts } from './status.ts';

function facts(overrides: Partial<PassFacts> = {}): PassFacts {
  return {
    botKey: 'team/a',
    verdict: { kind: 'ready', reason: 'UpToDate', message: 'in sync' },
    observedRevision: 'r1',
    appliedRevision: 'r1',
    changed: false,
    pendingUntilNextCycle: [],
    drift: [],
    ...overrides,
  };
}

describe('nextStatus', () => {
  it('keeps a condition’s transition time while its status stays the same', () => {
    const first = nextStatus(undefined, facts(), 100);
    const same = nextStatus(
      first,
      facts({ verdict: { kind: 'ready', reason: 'Applied', message: 'x' } }),
      200,
    );
    const stalled = nextStatus(
      same,
      facts({ verdict: { kind: 'stalled', reason: 'RecreateRequired', message: 'y' } }),
      300,
    );

    expect(same.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Applied',
      lastTransitionTime: 100,
    });
    expect(stalled.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      lastTransitionTime: 300,
    });
    expect(stalled.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RecreateRequired',
    });
    expect(summaryOf(stalled)).toBe('Stalled');
  });

  it('keeps the last 10 applied revisions, newest first, adding only when the bot changed', () => {
    let status: BotStatus | undefined;
    for (let i = 1; i <= 12; i++)
      status = nextStatus(status, facts({ appliedRevision: `r${i}`, changed: true }), i);
    const unchanged = nextStatus(status, facts({ appliedRevision: 'r12', changed: false }), 13);

    expect(unchanged.appliedRevisions?.map((r) => r.revision)).toEqual([
      'r12',
      'r11',
      'r10',
      'r9',
      'r8',
      'r7',
      'r6',
      'r5',
      'r4',
      'r3',
    ]);
    expect(unchanged.lastAppliedRevision).toBe('r12');
  });

  it('keeps the last applied revision when a pass applies nothing', () => {
    const applied = nextStatus(undefined, facts({ appliedRevision: 'r1', changed: true }), 1);
    const stalled = nextStatus(
      applied,
      facts({
        verdict: { kind: 'stalled', reason: 'InvalidManifest', message: 'x' },
        observedRevision: 'r2',
        appliedRevision: undefined,
      } as never),
      2,
    );

    expect(stalled.lastAppliedRevision).toBe('r1');
    expect(stalled.observedRevision).toBe('r2');
  });
});

describe('writeStatus', () => {
  it('re-reads and retries when another writer changed the status in between', async () => {
    const store = new MemoryHistoryStore();
    await store.putStatus(nextStatus(undefined, facts(), 1));
    let raced = false;
    const racing: HistoryStore = Object.assign(Object.create(store) as HistoryStore, {
      putStatus: async (status: BotStatus, etag?: string): Promise<Versioned<BotStatus>> => {
        if (!raced) {
          raced = true;
          await store.putStatus({ ...status, phase: 'other-writer' });
        }
        return store.putStatus(status, etag);
      },
    });

    const written = await writeStatus(racing, facts({ phase: 'IN_DEAL' }), () => 5);

    expect(written.phase).toBe('IN_DEAL');
    expect((await store.getStatus('team/a'))?.value.phase).toBe('IN_DEAL');
  });

  it('gives up after a few lost races with the conflict', async () => {
    const store = new MemoryHistoryStore();
    const alwaysLoses: HistoryStore = Object.assign(Object.create(store) as HistoryStore, {
      putStatus: () => Promise.reject(new ConflictError('changed')),
    });

    await expect(writeStatus(alwaysLoses, facts(), () => 1)).rejects.toBeInstanceOf(ConflictError);
  });
});
