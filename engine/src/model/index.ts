/** Orders, market data, history events: readonly data shared by every layer. */
export * from './market.ts';
export * from './orders.ts';
export * from './order-lifecycle.ts';
export * from './events.ts';
