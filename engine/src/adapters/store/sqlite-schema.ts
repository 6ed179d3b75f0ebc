/**
 * The SQLite schema as numbered migrations. `migrate` applies the missing ones in order, each in its
 * own transaction, and records it in `schema_migrations`; a database newer than this code is refused.
 */
import type { DatabaseSync } from 'node:sqlite';

/** Migrations by version; append new ones, never edit an applied one. */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        bot_key TEXT NOT NULL, run_id TEXT NOT NULL, seq INTEGER NOT NULL,
        ts INTEGER NOT NULL, type TEXT NOT NULL, namespace TEXT NOT NULL,
        audit_key TEXT, doc TEXT NOT NULL,
        PRIMARY KEY (bot_key, run_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX events_by_time ON events (bot_key, run_id, ts);
      CREATE TABLE runs (
        bot_key TEXT NOT NULL, run_id TEXT NOT NULL, started_at INTEGER NOT NULL,
        stopped_at INTEGER, last_seq INTEGER NOT NULL, revision TEXT NOT NULL,
        PRIMARY KEY (bot_key, run_id)
      ) WITHOUT ROWID;
      CREATE TABLE statuses (
        bot_key TEXT PRIMARY KEY, namespace TEXT NOT NULL, version INTEGER NOT NULL,
        schema_version INTEGER NOT NULL, doc TEXT NOT NULL
      );
      CREATE INDEX statuses_by_namespace ON statuses (namespace, bot_key);
    `,
  },
  {
    version: 2,
    // The newest snapshot per bot and type, kept in the append transaction: cheaper than an index on
    // (bot_key, type, ts), which every append would have to rewrite.
    sql: `
      CREATE INDEX events_audit ON events (namespace, audit_key) WHERE audit_key IS NOT NULL;
      CREATE TABLE snapshots (
        bot_key TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (bot_key, type)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    // The newest checkpoint per run, written in the append transaction of the events it follows.
    sql: `
      CREATE TABLE checkpoints (
        bot_key TEXT NOT NULL, run_id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (bot_key, run_id)
      ) WITHOUT ROWID;
    `,
  },
];

/** Brings the schema to the newest version; returns the version the database is at afterwards. */
export function migrate(db: DatabaseSync, where: string): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as
    { v: number | null } | undefined;
  const current = row?.v ?? 0;
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  if (current > newest) {
    throw new Error(`${where}: database schema version ${current} is newer than this code (${newest})`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (!done) {
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
          migration.version,
          Date.now(),
        );
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return newest;
}
