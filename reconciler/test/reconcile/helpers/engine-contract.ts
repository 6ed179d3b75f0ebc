/**
 * The EngineControl contract as the reconcile loop relies on it, runnable against any implementation
 * (the fake of these tests now, the paper engine of engine/src/live once it exists).
 */
import { describe, expect, it } from '@jest/globals';
import type { BotRuntimeSpec, EngineControl, ObservedBot } from '@tradingtower/engine';
import { loadSnapshot } from '../../../src/manifest/index.ts';
import { botRuntimeSpec } from '../../../src/reconcile/runtime-spec.ts';
import { aDcaBot, aPaperAccount } from './manifests.ts';

/** A runtime spec of the test DCA bot at a revision (through the real loader). */
export function aDcaSpec(revision: string, takeProfitPct = '1.5'): BotRuntimeSpec {
  const files = new Map([
    ['team/account.yaml', aPaperAccount()],
    ['team/dca.yaml', aDcaBot({ takeProfitPct })],
  ]);
  const { desired, issues } = loadSnapshot({ revision, files });
  if (issues.length > 0) throw new Error(`contract spec invalid: ${JSON.stringify(issues)}`);
  return botRuntimeSpec(desired.bots[0]!, desired);
}

async function one(engine: EngineControl, key: string): Promise<ObservedBot | undefined> {
  return (await engine.observe()).find((b) => b.botKey === key);
}

/** Registers the contract suite for an engine factory. */
export function engineControlContract(
  name: string,
  make: () => Promise<EngineControl & { close?(): Promise<void> }>,
): void {
  describe(`EngineControl contract: ${name}`, () => {
    const key = 'team/dca-btc';

    async function withEngine(fn: (engine: EngineControl) => Promise<void>): Promise<void> {
      const engine = await make();
      try {
        await fn(engine);
      } finally {
        await engine.close?.();
      }
    }

    it('runs a created bot at the created revision and reports it running', () =>
      withEngine(async (engine) => {
        await engine.create(aDcaSpec('r1'));

        expect(await one(engine, key)).toMatchObject({
          botKey: key,
          strategy: 'dca',
          market: 'BTC/USDT',
          state: 'running',
          revision: 'r1',
        });
      }));

    it('treats a second create of the same revision as a no-op (one run)', () =>
      withEngine(async (engine) => {
        await engine.create(aDcaSpec('r1'));
        const first = await one(engine, key);
        await engine.create(aDcaSpec('r1'));

        expect((await one(engine, key))?.runId).toBe(first?.runId);
        expect((await engine.observe()).filter((b) => b.botKey === key)).toHaveLength(1);
      }));

    it('applies an update in place: new params and revision, same run', () =>
      withEngine(async (engine) => {
        await engine.create(aDcaSpec('r1'));
        const before = await one(engine, key);
        const next = aDcaSpec('r2', '2.5');
        await engine.update(key, next.params, [{ path: 'takeProfit.pct', class: 'amend' }], 'r2');
        const after = await one(engine, key);

        expect(after?.runId).toBe(before?.runId);
        expect(after?.revision).toBe('r2');
        expect((after?.params as { takeProfit: { pct: string } }).takeProfit.pct).toBe('2.5');
      }));

    it('pauses, resumes and stops the same run, idempotently', () =>
      withEngine(async (engine) => {
        await engine.create(aDcaSpec('r1'));
        const run = (await one(engine, key))?.runId;
        await engine.pause(key, 'r2');
        const paused = await one(engine, key);
        await engine.resume(key, 'r3');
        const resumed = await one(engine, key);
        await engine.stop(key, 'cancelOrders', 'test', 'r4');
        await engine.stop(key, 'cancelOrders', 'test', 'r4');
        const stopped = await one(engine, key);

        expect([paused?.state, resumed?.state, stopped?.state]).toEqual(['paused', 'running', 'stopped']);
        expect([paused?.runId, resumed?.runId]).toEqual([run, run]);
      }));

    it('starts a fresh run on recreate', () =>
      withEngine(async (engine) => {
        await engine.create(aDcaSpec('r1'));
        const before = await one(engine, key);
        await engine.recreate(aDcaSpec('r2', '3'));
        const after = await one(engine, key);

        expect(after?.runId).not.toBe(before?.runId);
        expect(after?.revision).toBe('r2');
      }));
  });
}
