/**
 * Grid-family foundations shared by Grid, BTD, Loop, Futures Grid, Combo and DCA Futures: the lattice, fee
 * and profit formulas, linear-perpetual maths, order book bookkeeping, stop rules, pump protection and
 * validation building blocks. These exports are a stable surface for other strategies.
 */
export * from './lattice.ts';
export * from './profit.ts';
export * from './futures.ts';
export * from './book.ts';
export * from './stops.ts';
export * from './pump.ts';
export * from './params.ts';
export * from './spot-exit.ts';
export * from './validation.ts';
export * from './step.ts';
