// Which session replaced one by a practice undo (DESIGN §10, issue 14): a replaced session is read-only
// everywhere, and every change to it is answered 409 with the id of the session that goes on. The store
// is the truth (the new session's meta.forkOf); a yes is cached, and the undo route notes each new fork (on
// any instance: the replaced notice reaches the others through the store's signals).
import type { EventStore, StoredSession } from '../store/event-store.js';
import { HttpError } from './http-errors.js';
import { forkIdOf } from './passwords.js';

const MAX_CACHED = 10_000;

/** The 409 of a change to a replaced session, naming the session that goes on (the store's refusal says the same). */
export const replacedSession = (by: string): HttpError =>
  new HttpError(409, { error: `this session was replaced by an undo and is read-only: go on in session ${by}`, replacedBy: by });

export interface Replacements {
  /** The id of the session an undo replaced this one with, or null while it is current. */
  replacedBy(stored: StoredSession): Promise<string | null>;
  /** Throws 409 `{ error, replacedBy }` when the session was replaced. */
  assertCurrent(stored: StoredSession): Promise<void>;
  /** Notes a fork the undo route just created. */
  noteReplaced(oldId: string, newId: string): void;
}

export function createReplacements(events: EventStore): Replacements {
  // A replacement never ends: a yes is kept. A no is not (another server instance on the same store may
  // fork the session at any time); what is kept is that the slow search for forks made before fork ids were
  // the session's own (forkIdOf) found none, so a later no costs one lookup by id.
  const known = new Map<string, string>();
  const noLegacyFork = new Set<string>();

  async function replacedBy(stored: StoredSession): Promise<string | null> {
    // Only a practice undo forks a session.
    if (stored.mode !== 'practice') return null;
    const cached = known.get(stored.id);
    if (cached !== undefined) return cached;
    const forkId = forkIdOf(stored.id);
    const fork = await events.getSession(forkId);
    let found: string | null = fork !== null && fork.meta.forkOf === stored.id ? forkId : null;
    if (found === null && !noLegacyFork.has(stored.id)) {
      const filter = { ...(stored.owner === null ? {} : { owner: stored.owner }), ...(stored.exerciseId === null ? {} : { exerciseId: stored.exerciseId }) };
      found = (await events.listSessions(filter)).find((s) => s.meta.forkOf === stored.id)?.id ?? null;
      if (found === null) {
        if (noLegacyFork.size >= MAX_CACHED) noLegacyFork.clear();
        noLegacyFork.add(stored.id);
      }
    }
    // An undo may have noted its fork while the store was read (from before the fork): the note wins.
    const noted = known.get(stored.id);
    if (noted !== undefined) return noted;
    if (found === null) return null;
    if (known.size >= MAX_CACHED) known.clear();
    known.set(stored.id, found);
    return found;
  }

  async function assertCurrent(stored: StoredSession): Promise<void> {
    const by = await replacedBy(stored);
    if (by !== null) throw replacedSession(by);
  }

  return { replacedBy, assertCurrent, noteReplaced: (oldId, newId) => void known.set(oldId, newId) };
}
