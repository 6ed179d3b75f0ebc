import { describe, expect, it } from '@jest/globals';
import type { StrategyDefinition } from '../kernel/strategy.ts';
import { budgetOf, startingBudget } from './budget.ts';

const plain: StrategyDefinition<unknown, unknown> = {
  kind: 'grid',
  futures: false,
  normalizeParams: (raw) => raw,
  validate: () => [],
  init: () => ({}),
  phase: () => 'X',
  onEvent: (state) => ({ state, intents: [] }),
};

describe('bot budget', () => {
  it('reads investment, then budget.maxQuote, then falls back to the account quote balance', () => {
    expect(budgetOf({ investment: 2800 }, '10000')).toBe('2800');
    expect(budgetOf({ budget: { maxQuote: '750' } }, '10000')).toBe('750');
    expect(budgetOf({ budget: { maxQuote: '0' } }, '10000')).toBe('10000');
    expect(budgetOf({}, '10000')).toBe('10000');
  });

  it('uses the strategy’s own reading of its params when it declares one (a base investment)', () => {
    const baseInvestor = {
      ...plain,
      budget: (p: unknown) => ({ quote: '0', base: String((p as { investment: number }).investment) }),
    };

    expect(startingBudget(baseInvestor, { investment: 0.05 }, '10000')).toEqual({ quote: '0', base: '0.05' });
    expect(startingBudget(plain, { investment: 0.05 }, '10000')).toEqual({ quote: '0.05' });
  });
});
