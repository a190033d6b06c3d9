// Who may see a stored session: its trainee, and an instructor of a cohort the trainee belongs to.
// Anyone else gets the same 404 as for a session that does not exist.
import type { AccountStore, User } from '../store/account-store.js';
import type { EventStore, StoredSession } from '../store/event-store.js';
import { ID_PARAM, notFound } from './http-errors.js';

/** The stored session if the user may see it; throws the API's 404 otherwise. */
export type Readable = (user: User, id: unknown) => Promise<StoredSession>;

export function sessionReader({ events, accounts }: { events: EventStore; accounts: AccountStore }): Readable {
  const instructs = async (instructor: User, ownerId: string | null): Promise<boolean> =>
    instructor.role === 'instructor' && ownerId !== null && (await accounts.cohortsOfMember(ownerId)).some((c) => c.instructorId === instructor.id);

  /** The stored session if the user may see it; 404 otherwise, so nobody learns another's session exists. */
  return async function readable(user: User, id: unknown): Promise<StoredSession> {
    if (typeof id !== 'string' || !ID_PARAM.test(id)) throw notFound();
    const stored = await events.getSession(id);
    if (stored === null) throw notFound();
    if (stored.owner === user.id || (await instructs(user, stored.owner))) return stored;
    throw notFound();
  };
}
