import { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import { describeStoreContract } from './contract.ts';

describeStoreContract('memory', {
  open: () => Promise.resolve(new MemoryHistoryStore()),
  propertyRuns: 50,
});
