import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { createLiveEngine } from '@tradingtower/engine/live/index.ts';
import { FakeEngine } from './helpers/fake-engine.ts';
import { engineControlContract } from './helpers/engine-contract.ts';

/** A replay that never advances (until closed): the contract is about control calls, not market moves. */
const holdReplay = (_ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));

engineControlContract('fake engine of the reconcile tests', () => Promise.resolve(new FakeEngine()));
engineControlContract('paper engine (engine/src/live)', () =>
  createLiveEngine({ store: new MemoryHistoryStore(), sleep: holdReplay }),
);
