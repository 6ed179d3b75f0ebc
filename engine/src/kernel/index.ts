/** The kernel: per-bot runtime (strategy stepping, order manager, ledger, event log) and its runner. */
export * from './bot-kernel.ts';
export * from './event-log.ts';
export * from './ledger.ts';
export * from './order-book.ts';
export * from './order-flow.ts';
export * from './requests.ts';
export * from './runner.ts';
export * from './positions.ts';
export * from './step-queue.ts';
export * from './wake.ts';
