import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.ts';
import { EventLog } from '../../src/kernel/event-log.ts';
import { openStore } from '../../src/adapters/store/index.ts';
import { PAYLOADS } from './builders.ts';
import { readAll } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'tower-wiring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kernel event log through the configured store', () => {
  it('stores the kernel batches and lets a restarted run continue its sequence', async () => {
    const setting = `sqlite:${join(dir, 'state.db')}`;
    const clock = new ManualClock(1_700_000_000_000);
    const store = await openStore(setting);
    const log = new EventLog({ botKey: 'alpha/grid-1', runId: 'r1', revision: 'abc', clock });
    log.emit('BotRunStarted', PAYLOADS.BotRunStarted);
    log.emit('OrderIntent', PAYLOADS.OrderIntent);
    await store.append(log.take());
    await store.close();

    const reopened = await openStore(setting);
    const [run] = await reopened.listRuns('alpha/grid-1');
    const resumed = new EventLog({
      botKey: 'alpha/grid-1',
      runId: 'r1',
      revision: 'abc',
      clock,
      lastSeq: run!.lastSeq,
    });
    clock.advance(1000);
    resumed.emit('OrderSubmitted', PAYLOADS.OrderSubmitted);
    await reopened.append(resumed.take());

    const events = await readAll(reopened, 'alpha/grid-1', 'r1');
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'BotRunStarted'],
      [2, 'OrderIntent'],
      [3, 'OrderSubmitted'],
    ]);
    await reopened.close();
  });
});
