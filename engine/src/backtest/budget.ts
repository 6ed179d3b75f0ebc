/**
 * A bot's budget: what its ledger starts with. Taken from the params the strategy documents define
 * (`investment` for the grid family, `budget.maxQuote` for DCA), else from the account's balance of
 * the quote asset. Read generically, so the kernel never branches on strategy kind.
 */
import { dec, isDec, str, type Dec } from '../core/decimal.ts';
import type { StrategyDefinition } from '../kernel/strategy.ts';

function decimalAt(value: unknown): Dec | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return str(String(value));
  if (typeof value === 'string' && isDec(value)) return str(value);
  return undefined;
}

/** The quote budget of a bot from its params, or `fallback` (the account balance) when none is given. */
export function budgetOf(params: unknown, fallback: Dec): Dec {
  const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
  const investment = decimalAt(p['investment']);
  if (investment !== undefined && dec(investment).greaterThan(0)) return investment;
  const budget = p['budget'];
  const maxQuote =
    typeof budget === 'object' && budget !== null
      ? decimalAt((budget as Record<string, unknown>)['maxQuote'])
      : decimalAt(budget);
  if (maxQuote !== undefined && dec(maxQuote).greaterThan(0)) return maxQuote;
  return fallback;
}

/**
 * The ledger a bot starts with: the strategy's own reading of its params when it has one (a base
 * investment, say), else the quote budget of `budgetOf`.
 */
export function startingBudget(
  strategy: StrategyDefinition<unknown, unknown>,
  params: unknown,
  fallbackQuote: Dec,
): { readonly quote: Dec; readonly base?: Dec } {
  return strategy.budget?.(strategy.normalizeParams(params)) ?? { quote: budgetOf(params, fallbackQuote) };
}
