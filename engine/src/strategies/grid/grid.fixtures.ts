/** Builders for the grid's tests: example G of grid-family.md §2.7 and a simulation started from it. */
import type { PlaceIntent } from '../../kernel/strategy.ts';
import { startSim } from '../shared/test-kit.ts';
import type { Sim } from '../shared/test-kit.ts';
import { gridStrategy, normalizeGridParams } from './index.ts';
import type { GridParams, GridState } from './index.ts';

/** Example G's params (§2.7) with overrides. */
export const aGridParams = (overrides: Record<string, unknown> = {}): GridParams =>
  normalizeGridParams({
    lowPrice: '100',
    highPrice: '200',
    gridCount: 4,
    gridMode: 'arithmetic',
    investment: '1000',
    ...overrides,
  });

/** Every place intent of a simulation, in order. */
export const places = (sim: Sim<GridState>): PlaceIntent[] =>
  sim.intents.filter((i): i is PlaceIntent => i.type === 'place');

/** The last place intent of a simulation. */
export const lastPlace = (sim: Sim<GridState>): PlaceIntent => places(sim).at(-1)!;

/** Example G started at `price` (140 by default). */
export const started = (overrides: Record<string, unknown> = {}, price = '140'): Sim<GridState> =>
  startSim(gridStrategy, aGridParams(overrides), price);
