/**
 * The strategy registry: the kernel, the backtester and validation look strategies up by kind here and
 * never branch on kind themselves. Each strategy module adds one line.
 */
import type { StrategyDefinition, StrategyKind } from '../kernel/strategy.ts';
import { btdStrategy } from './btd/index.ts';
import { futuresGridStrategy } from './futures-grid/index.ts';
import { gridStrategy } from './grid/index.ts';
import { loopStrategy } from './loop/index.ts';
import { comboStrategy } from './combo/index.ts';
import { dcaStrategy } from './dca/index.ts';
import { dcaFuturesStrategy } from './dca-futures/index.ts';
import { twapStrategy } from './twap/index.ts';

/** Every registered strategy by kind. */
export const STRATEGIES: Partial<Record<StrategyKind, StrategyDefinition<never, never>>> = {
  grid: gridStrategy as unknown as StrategyDefinition<never, never>,
  btd: btdStrategy as unknown as StrategyDefinition<never, never>,
  loop: loopStrategy as unknown as StrategyDefinition<never, never>,
  'futures-grid': futuresGridStrategy as unknown as StrategyDefinition<never, never>,
  dca: dcaStrategy as unknown as StrategyDefinition<never, never>,
  'dca-futures': dcaFuturesStrategy as unknown as StrategyDefinition<never, never>,
  twap: twapStrategy as unknown as StrategyDefinition<never, never>,
  combo: comboStrategy as unknown as StrategyDefinition<never, never>,
};

/** The strategy of a kind, or undefined when it is not registered. */
export function strategyOf(kind: StrategyKind): StrategyDefinition<unknown, unknown> | undefined {
  return STRATEGIES[kind];
}
