import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from './backoff.ts';
import { WorkQueue, type KeyOutcome } from './work-queue.ts';
import { ManualTimers } from '../../test/reconcile/helpers/manual-timers.ts';

const policy = { baseMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 };

function queueWith(outcome: (key: string) => KeyOutcome, timers = new ManualTimers()) {
  const batches: string[][] = [];
  const queue = new WorkQueue({
    worker: (keys) => {
      batches.push([...keys]);
      return Promise.resolve(new Map(keys.map((k) => [k, outcome(k)])));
    },
    backoff: policy,
    timers,
  });
  return { queue, batches, timers };
}

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { ...policy, jitter: 0 }));

    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes up to the jitter fraction off the delay', () => {
    const low = backoffDelay(3, { ...policy, random: () => 0.999 });
    const high = backoffDelay(3, { ...policy, random: () => 0 });

    expect(high).toBe(400);
    expect(low).toBeGreaterThanOrEqual(200);
    expect(low).toBeLessThan(high);
  });
});

describe('WorkQueue', () => {
  it('processes a key added several times before a pass exactly once', async () => {
    const { queue, batches } = queueWith(() => ({ kind: 'done' }));

    queue.add('a');
    queue.add('a');
    queue.add('b');
    await queue.idle();

    expect(batches).toEqual([['a', 'b']]);
  });

  it('processes a key again when it is added while its pass is running', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const firstStarted = new Promise<void>((r) => (started = r));
    const queue = new WorkQueue({
      worker: async (keys) => {
        batches.push([...keys]);
        started();
        if (batches.length === 1) await new Promise<void>((r) => (release = r));
        return new Map();
      },
      backoff: policy,
      timers: new ManualTimers(),
    });

    queue.add('a');
    await firstStarted;
    queue.add('a');
    release();
    await queue.idle();

    expect(batches).toEqual([['a'], ['a']]);
  });

  it('retries a failing key after a growing delay, never at once', async () => {
    const { queue, batches, timers } = queueWith(() => ({ kind: 'retry', error: new Error('down') }));

    queue.add('a');
    await queue.idle();
    expect(timers.delays).toEqual([100]);
    timers.advance(99);
    expect(batches).toHaveLength(1);
    timers.advance(1);
    await queue.idle();

    expect(batches).toHaveLength(2);
    expect(timers.delays).toEqual([200]);
    expect(queue.failuresOf('a')).toBe(2);
  });

  it('forgets the failures of a key once it succeeds', async () => {
    let fail = true;
    const { queue, timers } = queueWith(() => (fail ? { kind: 'retry', error: 'x' } : { kind: 'done' }));

    queue.add('a');
    await queue.idle();
    fail = false;
    timers.advance(100);
    await queue.idle();

    expect(queue.failuresOf('a')).toBe(0);
    expect(timers.delays).toEqual([]);
  });

  it('wakes a key waiting in backoff at once when it is added again', async () => {
    const { queue, batches, timers } = queueWith(() => ({ kind: 'retry', error: 'x' }));

    queue.add('a');
    await queue.idle();
    queue.add('a');
    await queue.idle();

    expect(batches).toHaveLength(2);
    expect(timers.delays).toEqual([200]);
  });

  it('requeues a key after the delay a pass asks for', async () => {
    const { queue, batches, timers } = queueWith(() => ({ kind: 'requeueAfter', ms: 5000 }));

    queue.add('a');
    await queue.idle();
    timers.advance(5000);
    await queue.idle();

    expect(batches).toEqual([['a'], ['a']]);
  });

  it('retries every key of a batch whose worker throws', async () => {
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    const queue = new WorkQueue({
      worker: () => Promise.reject(new Error('observe failed')),
      backoff: policy,
      timers,
      onError: (e) => errors.push(e),
    });

    queue.add('a');
    queue.add('b');
    await queue.idle();

    expect(errors).toHaveLength(1);
    expect(timers.delays).toEqual([100, 100]);
  });

  it('accepts no work after shutdown and cancels waiting retries', async () => {
    const { queue, batches, timers } = queueWith(() => ({ kind: 'retry', error: 'x' }));

    queue.add('a');
    await queue.idle();
    await queue.shutdown();
    queue.add('b');
    timers.advance(10_000);
    await queue.idle();

    expect(batches).toEqual([['a']]);
    expect(timers.delays).toEqual([]);
  });
});
