/** Market data feeds: CSV bar series, the bundled data sets and replay (reads files: not in the engine index). */
export * from './columns.ts';
export * from './files.ts';
export * from './datasets.ts';
export * from './replay.ts';
