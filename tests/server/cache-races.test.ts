// The server's caches over an asynchronous store: an answer read before a change that lands while it is
// being read (an upload deleted, a session forked by an undo) must not be kept over that change.
import { describe, expect, it, vi } from 'vitest';
import { createExerciseCatalog } from '../../src/server/exercise-routes.js';
import { createReplacements } from '../../src/server/replacements.js';
import type { AccountStore, StoredExercise } from '../../src/store/account-store.js';
import type { StoredSession } from '../../src/store/event-store.js';
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

  it('keeps the fork an undo noted though the session was read before the fork was stored', () => {
    const stored: StoredSession = { id: 'old', input: {} as StoredSession['input'], exerciseId: 'x', owner: 'alice', mode: 'practice', meta: {}, createdAt: AT, lastSeq: 3, clockAt: null, replacedBy: null };
    const replacements = createReplacements();
    expect(replacements.replacedBy(stored)).toBeNull();
    replacements.noteReplaced('old', 'new');
    expect(replacements.replacedBy(stored)).toBe('new');
    expect(() => replacements.assertCurrent(stored)).toThrow(expect.objectContaining({ status: 409 }));
    // The store's mark is the truth for a session read after its fork.
    expect(createReplacements().replacedBy({ ...stored, replacedBy: 'new' })).toBe('new');
  });
});
