/** The TradingTower engine's public surface. */
export * from './core/index.ts';
export * from './model/index.ts';
export * from './ports/index.ts';
export * from './kernel/strategy.ts';
export * from './markets/venues.ts';
export * from './kernel/index.ts';
export * from './risk/index.ts';
export * from './metrics/index.ts';
export * from './backtest/index.ts';
export * from './adapters/paper/index.ts';
