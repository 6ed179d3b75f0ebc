import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteHistoryStore } from '../../src/adapters/store/sqlite.ts';
import { MIGRATIONS } from '../../src/adapters/store/sqlite-schema.ts';
import { aRun } from './builders.ts';
import { describeStoreContract, readAll } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'tower-sqlite-'));
let count = 0;
const paths = new Map<object, string>();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freshPath(): string {
  count += 1;
  return join(dir, `s${count}`, 'state.db');
}

describeStoreContract('sqlite', {
  open: () => {
    const path = freshPath();
    const store = new SqliteHistoryStore(path);
    paths.set(store, path);
    return Promise.resolve(store);
  },
  writeStatusV1: (store, botKey, doc) => {
    const db = new DatabaseSync(paths.get(store)!);
    db.prepare(
      'INSERT INTO statuses (bot_key, namespace, version, schema_version, doc) VALUES (?, ?, 1, 1, ?)',
    ).run(botKey, botKey.split('/')[0]!, JSON.stringify(doc));
    db.close();
    return Promise.resolve();
  },
  propertyRuns: 25,
});

describe('sqlite store file', () => {
  it('creates the file and its folder on first use, in WAL mode, with every migration recorded', async () => {
    const path = freshPath();

    const store = new SqliteHistoryStore(path);
    await store.close();

    const db = new DatabaseSync(path);
    const mode = db.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(mode.journal_mode).toBe('wal');
    expect(versions.map((v) => ({ ...v }))).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('keeps appended events and statuses across a reopen', async () => {
    const path = freshPath();
    const first = new SqliteHistoryStore(path);
    await first.append(aRun(1, 4));
    await first.close();

    const second = new SqliteHistoryStore(path, { durability: 'power' });
    await second.append(aRun(4, 6));

    expect((await readAll(second, 'alpha/grid-1', 'run-1')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    await second.close();
  });

  it('refuses a database written by a newer schema than it knows', async () => {
    const path = freshPath();
    await new SqliteHistoryStore(path).close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(
      MIGRATIONS.length + 1,
    );
    db.close();

    expect(() => new SqliteHistoryStore(path)).toThrow(/schema version \d+ is newer than this code/);
  });

  it('refuses an event document written by a newer event schema', async () => {
    const path = freshPath();
    const store = new SqliteHistoryStore(path);
    await store.append(aRun(1, 1));
    const db = new DatabaseSync(path);
    db.prepare("UPDATE events SET doc = json_set(doc, '$.schemaVersion', 99)").run();
    db.close();

    await expect(store.readRun('alpha/grid-1', 'run-1')).rejects.toThrow(/schema version 99 is not readable/);
    await store.close();
  });
});
