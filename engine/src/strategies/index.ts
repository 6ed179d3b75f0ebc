/**
 * The strategy registry: the kernel, the backtester and validation look strategies up by kind here and
 * never branch on kind themselves. Each strategy module adds one line.
 */
import type { StrategyDefinition, StrategyKind } from '../kernel/strategy.ts';

/** Every registered strategy by kind. */
export const STRATEGIES: Partial<Record<StrategyKind, StrategyDefinition<never, never>>> = {};

/** The strategy of a kind, or undefined when it is not registered. */
export function strategyOf(kind: StrategyKind): StrategyDefinition<unknown, unknown> | undefined {
  return STRATEGIES[kind] as StrategyDefinition<unknown, unknown> | undefined;
}
