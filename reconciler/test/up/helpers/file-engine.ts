/**
 * An engine module for `tower up` process tests (loaded through TOWER_ENGINE_MODULE): the fake engine
 * of the reconcile tests, with its bots persisted to a JSON file after every call (synchronously, so a
 * SIGKILL loses nothing) and every call appended to a log, so a test can restart the process and prove
 * that no bot was created twice.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { EngineControl } from '@tradingtower/engine';
import type { EngineSetup, RunnableEngine } from '../../../src/server/engine-factory.ts';
import { FakeEngine } from '../../reconcile/helpers/fake-engine.ts';

const MUTATIONS = ['create', 'update', 'recreate', 'pause', 'resume', 'stop'] as const;

/** Creates the file-backed fake engine named by TOWER_TEST_ENGINE_FILE. */
export function createLiveEngine(_setup: EngineSetup): Promise<RunnableEngine> {
  const file = process.env['TOWER_TEST_ENGINE_FILE'];
  if (!file) throw new Error('file-engine: TOWER_TEST_ENGINE_FILE is not set');
  const fake = new FakeEngine();
  if (existsSync(file)) {
    for (const [key, bot] of JSON.parse(readFileSync(file, 'utf8')) as [string, never][])
      fake.bots.set(key, bot);
  }
  const engine: RunnableEngine = {
    observe: () => fake.observe(),
    close: () => Promise.resolve(),
  } as RunnableEngine;
  for (const method of MUTATIONS) {
    (engine as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      await (fake[method] as (...a: unknown[]) => Promise<void>)(...args);
      const call = fake.calls.at(-1)!;
      appendFileSync(
        `${file}.calls`,
        `${JSON.stringify({ method: call.method, botKey: call.botKey, pid: process.pid })}\n`,
      );
      writeFileSync(file, JSON.stringify([...fake.bots.entries()]));
    };
  }
  return Promise.resolve(engine satisfies EngineControl);
}
