import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BTD_CHANGE_CLASSES } from '../btd/index.ts';
import { FUTURES_GRID_CHANGE_CLASSES } from '../futures-grid/index.ts';
import { GRID_CHANGE_CLASSES } from '../grid/index.ts';
import { LOOP_CHANGE_CLASSES } from '../loop/index.ts';

const schemaOf = (kind: string): { properties: Record<string, { 'x-change'?: string }> } =>
  JSON.parse(
    readFileSync(
      new URL(`../../../../schemas/strategies/${kind}.params.schema.json`, import.meta.url),
      'utf8',
    ),
  ) as {
    properties: Record<string, { 'x-change'?: string }>;
  };

describe('change classes agree with the params schemas the planner reads (§2.6, §3.6, §4.6, §5.6)', () => {
  it.each([
    ['grid', GRID_CHANGE_CLASSES],
    ['btd', BTD_CHANGE_CLASSES],
    ['loop', LOOP_CHANGE_CLASSES],
    ['futures-grid', FUTURES_GRID_CHANGE_CLASSES],
  ])('%s: every params field has the same class in the strategy and in its schema', (kind, table) => {
    const schema = Object.fromEntries(
      Object.entries(schemaOf(kind).properties).map(([name, p]) => [name, p['x-change']]),
    );

    expect(table).toEqual(schema);
  });
});
