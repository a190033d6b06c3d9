// The part of a stored session that never changes (its tip, owner, mode, meta…), kept parsed per store so a
// request reads only the session's sequence, clock and replacement mark (issue 6). Shared by the SQLite and PostgreSQL stores.
import type { StoredSession } from './event-store.js';

export type FixedPart = Omit<StoredSession, 'lastSeq' | 'clockAt' | 'replacedBy'>;

/** Sessions whose unchanging part is kept parsed (a class is 20–40 trainees; the cache starts over when full). */
const FIXED_CACHE_SIZE = 5_000;

export class FixedSessions {
  private readonly parts = new Map<string, FixedPart>();

  get(sessionId: string): FixedPart | undefined {
    return this.parts.get(sessionId);
  }

  /** Keeps the unchanging part of a session just read in full; returns the session as it is. */
  keep(stored: StoredSession): StoredSession {
    if (this.parts.size >= FIXED_CACHE_SIZE) this.parts.clear();
    const { lastSeq: _lastSeq, clockAt: _clockAt, replacedBy: _replacedBy, ...unchanging } = stored;
    this.parts.set(stored.id, unchanging);
    return stored;
  }
}
