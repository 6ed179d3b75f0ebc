/** The TradingTower engine's public surface. */
export * from './core/index.ts';
export * from './model/index.ts';
export * from './ports/index.ts';
export * from './kernel/strategy.ts';
export * from './markets/venues.ts';
