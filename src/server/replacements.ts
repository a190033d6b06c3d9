// Which session replaced one by a practice undo (DESIGN §10, issue 14): a replaced session is read-only
// everywhere, and every change to it is answered 409 with the id of the session that goes on. The store
// is the truth (the new session's meta.forkOf); answers are cached, and the undo route notes each new fork.
import type { EventStore, StoredSession } from '../store/event-store.js';
import { HttpError } from './http-errors.js';

const MAX_CACHED = 10_000;

export interface Replacements {
  /** The id of the session an undo replaced this one with, or null while it is current. */
  replacedBy(stored: StoredSession): Promise<string | null>;
  /** Throws 409 `{ error, replacedBy }` when the session was replaced. */
  assertCurrent(stored: StoredSession): Promise<void>;
  /** Notes a fork the undo route just created. */
  noteReplaced(oldId: string, newId: string): void;
}

export function createReplacements(events: EventStore): Replacements {
  const known = new Map<string, string | null>();

  async function replacedBy(stored: StoredSession): Promise<string | null> {
    // Only a practice undo forks a session.
    if (stored.mode !== 'practice') return null;
    const cached = known.get(stored.id);
    if (cached !== undefined) return cached;
    const filter = { ...(stored.owner === null ? {} : { owner: stored.owner }), ...(stored.exerciseId === null ? {} : { exerciseId: stored.exerciseId }) };
    const fork = (await events.listSessions(filter)).find((s) => s.meta.forkOf === stored.id);
    // An undo may have noted its fork while the list was read (from before the fork): the note wins.
    const noted = known.get(stored.id);
    if (noted !== undefined && noted !== null) return noted;
    const found = fork?.id ?? null;
    if (known.size >= MAX_CACHED) known.clear();
    known.set(stored.id, found);
    return found;
  }

  async function assertCurrent(stored: StoredSession): Promise<void> {
    const by = await replacedBy(stored);
    if (by !== null) throw new HttpError(409, { error: `this session was replaced by an undo and is read-only: go on in session ${by}`, replacedBy: by });
  }

  return { replacedBy, assertCurrent, noteReplaced: (oldId, newId) => void known.set(oldId, newId) };
}
