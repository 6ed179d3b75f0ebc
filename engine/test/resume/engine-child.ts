/**
 * The engine process the SIGKILL test kills: opens the SQLite store at argv[2], creates (or resumes)
 * the two bots and prints `bar <n>` after each replayed bar has been settled and stored.
 */
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { DCA, GRID, startEngine } from './specs.ts';

const path = process.argv[2];
if (path !== undefined && process.argv[1]?.endsWith('engine-child.ts')) {
  const store = new SqliteHistoryStore(path);
  const { engine } = await startEngine(store, (bars) => process.stdout.write(`bar ${bars}\n`));
  await engine.create(GRID);
  await engine.create(DCA);
  process.stdout.write('ready\n');
}
