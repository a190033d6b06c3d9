// Which session replaced one by a practice undo (DESIGN §10, issue 14): a replaced session is read-only
// everywhere, and every change to it is answered 409 with the id of the session that goes on. The store
// is the truth: the undo's fork marks the session it replaces in the transaction that creates it (SQLite
// migration 12, PostgreSQL migration 4 filled the mark in for older forks), and every read of a session
// carries the mark, so asking costs nothing more than the read. The undo route notes each new fork (on any
// instance: the replaced notice reaches the others through the store's signals), for a session read just
// before its fork was stored.
import type { StoredSession } from '../store/event-store.js';
import { HttpError } from './http-errors.js';

const MAX_CACHED = 10_000;

/** The 409 of a change to a replaced session, naming the session that goes on (the store's refusal says the same). */
export const replacedSession = (by: string): HttpError =>
  new HttpError(409, { error: `this session was replaced by an undo and is read-only: go on in session ${by}`, replacedBy: by });

export interface Replacements {
  /** The id of the session an undo replaced this one with, or null while it is current. */
  replacedBy(stored: StoredSession): string | null;
  /** Throws 409 `{ error, replacedBy }` when the session was replaced. */
  assertCurrent(stored: StoredSession): void;
  /** Notes a fork the undo route just created, or another instance's undo heard through the store. */
  noteReplaced(oldId: string, newId: string): void;
}

export function createReplacements(): Replacements {
  // A replacement never ends: a noted one is kept.
  const noted = new Map<string, string>();

  const replacedBy = (stored: StoredSession): string | null => noted.get(stored.id) ?? stored.replacedBy;

  return {
    replacedBy,
    assertCurrent(stored) {
      const by = replacedBy(stored);
      if (by !== null) throw replacedSession(by);
    },
    noteReplaced(oldId, newId) {
      if (noted.size >= MAX_CACHED) noted.clear();
      noted.set(oldId, newId);
    },
  };
}
