import { describe, expect, it } from '@jest/globals';
import type { HistoryEvent } from '@tradingtower/engine';
import { SqliteHistoryStore } from '@tradingtower/engine/adapters/store/sqlite.ts';
import { EventBus, type TowerEvent } from './events.ts';
import { tapAppends } from './store-tap.ts';

function anEvent(botKey: string, seq: number): HistoryEvent {
  return {
    schemaVersion: 1,
    botKey,
    runId: `${botKey}#1`,
    seq,
    ts: seq,
    revision: 'r1',
    type: 'StateTransition',
    data: { from: 'A', to: 'B', reason: 'test' },
  };
}

describe('tapAppends', () => {
  it('publishes events appended directly and through namespace handles, and stores them', async () => {
    const bus = new EventBus();
    const seen: TowerEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const store = tapAppends(new SqliteHistoryStore(':memory:'), bus);

    await store.append([anEvent('team/a', 1)]);
    await store.forNamespace('team').append([anEvent('team/a', 2)]);
    const page = await store.readRun('team/a', 'team/a#1');
    await store.close();

    expect(seen.map((e) => (e.type === 'history' ? e.event.seq : -1))).toEqual([1, 2]);
    expect(page.items.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('publishes nothing for an append the store rejects', async () => {
    const bus = new EventBus();
    const seen: TowerEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const store = tapAppends(new SqliteHistoryStore(':memory:'), bus);

    await expect(store.append([anEvent('team/a', 2)])).rejects.toThrow();
    await store.close();

    expect(seen).toEqual([]);
  });
});
