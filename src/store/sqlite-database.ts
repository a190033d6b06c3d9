// Opening a tipflow database file: WAL, the durability asked for, foreign keys, and the migrations up to
// this version. Its own module because both sides of the store open the file: the store (sqlite-store.ts)
// and its writer thread (sqlite-writer-worker.ts), which must not load the store that starts it.
import Database from 'better-sqlite3';
import { StoreIntegrityError } from './event-store.js';
import { MIGRATIONS } from './sqlite-migrations.js';

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreIntegrityError(`the database was written by a newer tipflow (schema ${current}; this one knows ${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      const step = MIGRATIONS[version] ?? '';
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/**
 * How hard a commit waits for the disk. `full` (the default): every acknowledged write survives a crash of
 * the process and of the machine (power loss). `normal`: it survives a crash of the process (kill -9), but the
 * last commits before a power loss may roll back; SQLite's recommended setting for WAL, and faster (each
 * commit skips an fsync). docs/server.md gives the measured difference.
 */
export const DURABILITIES = ['full', 'normal'] as const;
export type Durability = (typeof DURABILITIES)[number];

/** Opens (and migrates) a tipflow database in WAL mode, synchronous FULL unless asked otherwise. */
export function openDatabase(file: string, durability: Durability = 'full'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
