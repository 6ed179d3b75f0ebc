/** The production Planning: the project's loader and planner (change classes from the project's schemas). */
import { loadSnapshot } from '../manifest/index.ts';
import { planChanges } from '../plan/index.ts';
import type { Planning } from './planning.ts';

/** Loads with `loadSnapshot` and plans with `planChanges` and its default, schema-based classifier. */
export function projectPlanning(): Planning {
  return {
    load: (snapshot) => loadSnapshot(snapshot),
    plan: (current, desired) => planChanges(current, desired).bots,
  };
}
