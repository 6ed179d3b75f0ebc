/** What one bot run needs from its runner (backtest, paper or live). */
import type { Clock } from '../core/clock.ts';
import type { Dec } from '../core/decimal.ts';
import type { MarketInfo } from '../model/market.ts';
import type { RiskGate } from '../risk/gate.ts';
import type { StrategyDefinition } from './strategy.ts';

/** Everything one run needs. */
export interface BotKernelOptions {
  readonly botKey: string;
  readonly runNumber: number;
  readonly revision: string;
  readonly account: string;
  readonly mode: 'backtest' | 'paper' | 'sandbox' | 'live';
  readonly strategy: StrategyDefinition<unknown, unknown>;
  /** Params as given (the strategy normalises them). */
  readonly params: unknown;
  readonly market: MarketInfo;
  readonly clock: Clock;
  /** The bot's own budget: quote (spot quote or futures wallet) and base (spot). */
  readonly budget: { readonly quote: Dec; readonly base?: Dec };
  readonly riskGate?: RiskGate;
  /** Fee rates the venue charges (for budgeting fees paid in quote). */
  readonly takerFeeRate?: Dec;
  /** Liquidate futures positions when the mark crosses the liquidation price (paper and backtests). */
  readonly simulateLiquidation?: boolean;
  /** Client id namespace prefix (2 base36 chars). */
  readonly ns?: string;
  readonly lastSeq?: number;
}
