/** Pure building blocks: decimals, results, clock and id sources. */
export * from './decimal.ts';
export * from './result.ts';
export * from './clock.ts';
export * from './ids.ts';
