/** The paper venue: exchange, balances, order book and the bar-path market driver. */
export * from './exchange.ts';
export * from './balances.ts';
export * from './book.ts';
export * from './driver.ts';
