// The server's caches over an asynchronous store: an answer read before a change that lands while it is
// being read (an upload deleted, a session forked by an undo) must not be kept over that change.
import { describe, expect, it, vi } from 'vitest';
import { createExerciseCatalog } from '../../src/server/exercise-routes.js';
import { createReplacements } from '../../src/server/replacements.js';
import type { AccountStore, StoredExercise } from '../../src/store/account-store.js';
import type { EventStore, StoredSession } from '../../src/store/event-store.js';
import { readFileSync } from 'node:fs';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';

const AT = '2026-12-04T09:00:00.000Z';

/** A promise the test settles by hand, to hold a store's answer while something else happens. */
function held<T>(): { promise: Promise<T>; give: (value: T) => void } {
  let give: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => (give = resolve));
  return { promise, give };
}

describe('the caches over a store that answers late', () => {
  it('does not keep an upload read while it was deleted, and reads it again next time', async () => {
    const text = readFileSync(`${BUNDLED_EXERCISES_DIR}/direct-london.yaml`, 'utf8').replace(/^id: direct-london$/m, 'id: mine');
    const row: StoredExercise = { id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text, createdAt: AT };
    const first = held<StoredExercise | null>();
    const getExercise = vi.fn<AccountStore['getExercise']>().mockReturnValueOnce(first.promise).mockResolvedValue(null);
    const accounts = { getExercise, deleteExercise: vi.fn<AccountStore['deleteExercise']>().mockResolvedValue({ deleted: true }) } as Partial<AccountStore> as AccountStore;
    const catalog = createExerciseCatalog({ accounts, exercises: [] });
    const reading = catalog.exerciseOfInstructor('u1', 'mine');
    expect(await catalog.deleteUpload('u1', 'mine')).toEqual({ deleted: true });
    first.give(row); // the row was read before the deletion
    expect((await reading)?.id).toBe('mine');
    expect(await catalog.exerciseOfInstructor('u1', 'mine')).toBeNull();
    expect(getExercise).toHaveBeenCalledTimes(2);
  });

  it('keeps the fork an undo noted while the list of sessions (from before the fork) was being read', async () => {
    const stored: StoredSession = { id: 'old', input: {} as StoredSession['input'], exerciseId: 'x', owner: 'alice', mode: 'practice', meta: {}, createdAt: AT, lastSeq: 3, clockAt: null };
    const list = held<StoredSession[]>();
    // No fork under the session's own fork id (an older fork): the slow search by listing is what is held.
    const events = { getSession: vi.fn<EventStore['getSession']>().mockResolvedValue(null), listSessions: vi.fn<EventStore['listSessions']>().mockReturnValueOnce(list.promise) } as Partial<EventStore> as EventStore;
    const replacements = createReplacements(events);
    const asking = replacements.replacedBy(stored);
    replacements.noteReplaced('old', 'new');
    list.give([stored]); // read before the fork was stored
    expect(await asking).toBe('new');
    expect(await replacements.replacedBy(stored)).toBe('new');
    await expect(replacements.assertCurrent(stored)).rejects.toMatchObject({ status: 409 });
  });
});
