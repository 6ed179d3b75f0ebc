import { FakeEngine } from './helpers/fake-engine.ts';
import { engineControlContract } from './helpers/engine-contract.ts';

// The loop's tests drive this fake; the same contract must hold for the paper engine (engine/src/live):
// add `engineControlContract('paper engine', () => createLiveEngine({ store }))` here when it lands.
engineControlContract('fake engine of the reconcile tests', () => Promise.resolve(new FakeEngine()));
