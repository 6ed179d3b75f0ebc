/** Ports: the interfaces adapters implement (store, engine control; exchange and feeds live beside them). */
export * from './store.ts';
export * from './control.ts';
export * from './exchange.ts';
export * from './feed.ts';
