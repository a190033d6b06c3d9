// Who may see a stored session: its trainee, and an instructor of a cohort the trainee belongs to.
// Anyone else gets the same 404 as for a session that does not exist.
import type { AccountStore, User } from '../store/account-store.js';
import type { EventStore, StoredSession } from '../store/event-store.js';
import { ID_PARAM, notFound } from './http-errors.js';

/** The stored session if the user may see it; throws the API's 404 otherwise. */
export type Readable = (user: User, id: unknown) => StoredSession;

export function sessionReader({ events, accounts }: { events: EventStore; accounts: AccountStore }): Readable {
  const instructs = (instructor: User, ownerId: string | null): boolean =>
    instructor.role === 'instructor' && ownerId !== null && accounts.cohortsOfMember(ownerId).some((c) => c.instructorId === instructor.id);

  /** The stored session if the user may see it; 404 otherwise, so nobody learns another's session exists. */
  return function readable(user: User, id: unknown): StoredSession {
    if (typeof id !== 'string' || !ID_PARAM.test(id)) throw notFound();
    const stored = events.getSession(id);
    if (stored === null) throw notFound();
    if (stored.owner === user.id || instructs(user, stored.owner)) return stored;
    throw notFound();
  };
}
