/** Performance metrics: one implementation shared by backtest, paper, live and the site export. */
export * from './metrics.ts';
