/** The backtester. */
export * from './backtest.ts';
export * from './budget.ts';
