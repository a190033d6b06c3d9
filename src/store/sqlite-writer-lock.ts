// The lock of a SQLite file's one writer of sessions (`tipflow serve`, the target of `tipflow db copy`):
// SQLite serves one instance (DESIGN §13; several instances share PostgreSQL), and a second server on the
// same file would neither hear the first one's steps nor be heard. The lock is an exclusive SQLite lock
// held on a small file beside the database (`<file>-writer.lock`) for as long as the writer runs: the
// operating system drops it when the process ends, however it ends, so nothing stale is ever left to clear.
import Database from 'better-sqlite3';

export class WriterLockedError extends Error {
  override name = 'WriterLockedError';
}

export interface WriterLock {
  release(): void;
}

const writerLockFile = (file: string): string => `${file}-writer.lock`;

/** Takes the writer lock of `file` at once, or throws WriterLockedError when another writer holds it. */
export function takeWriterLock(file: string): WriterLock {
  const lockFile = writerLockFile(file);
  const db = new Database(lockFile, { timeout: 0 });
  try {
    // EXCLUSIVE locking mode: the lock the write below takes is kept until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS writer (since TEXT NOT NULL); BEGIN EXCLUSIVE; DELETE FROM writer; INSERT INTO writer VALUES (datetime()); COMMIT;');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new WriterLockedError(`${file} is in use by another tipflow serve (or db copy): one server per SQLite file; stop the other one, or run several instances on PostgreSQL (--db postgres://…)`);
    }
    throw error;
  }
  return { release: () => db.close() };
}
