import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../src/store/event-store.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-accounts-'));
  file = join(dir, 'tipflow.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const AT = '2026-11-29T09:00:00.000Z';
const LATER = '2026-11-29T10:00:00.000Z';

describe('SQLite account store: exercises, assignments, releases (migration 3)', () => {
  it('keeps uploaded exercises, assignments and releases across a reopen; ids are unique, repeats idempotent', async () => {
    const store = new SqliteAccountStore(file);
    await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createCohort({ id: 'c1', name: 'Class', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    await store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    await expect(store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'b.yaml', text: '', createdAt: AT })).rejects.toThrow(StoreConflictError);
    // An assignment defaults to both modes and one assessment attempt (migration 6).
    expect(await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'both', attempts: 1, practiceDebrief: 'on-release' });
    expect((await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER })).assignedAt).toBe(AT);
    // Assigning again takes the new mode and attempts, and keeps the first time.
    expect(await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' });
    await store.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: AT, grantedBy: 'u1' });
    await store.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: LATER, grantedBy: 'u1' });
    await store.release({ cohortId: 'c1', exerciseId: null, releasedAt: AT });
    await store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });
    await store.close();

    const again = new SqliteAccountStore(file);
    expect(await again.getExercise('u1', 'mine')).toEqual({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    expect(await again.getExercise('u1', 'other')).toBeNull();
    expect((await again.exercisesOfInstructor('u1')).map((e) => e.id)).toEqual(['mine']);
    expect(await again.assignments('c1')).toEqual([{ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' }]);
    expect(await again.grants('c1')).toEqual([
      { cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: AT, grantedBy: 'u1' },
      { cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: LATER, grantedBy: 'u1' },
    ]);
    expect(await again.grants('c2')).toEqual([]);
    expect(await again.releases('c1')).toEqual([
      { cohortId: 'c1', exerciseId: null, releasedAt: AT },
      { cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER },
    ]);
    await again.close();
  });
});

describe('SQLite account store: deleting uploads and withdrawing releases', () => {
  it("deletes an instructor's own upload only, and never one still assigned to their cohorts", async () => {
    const store = new SqliteAccountStore(file);
    await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createUser({ id: 'u2', name: 'other', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createCohort({ id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    await store.createCohort({ id: 'c2', name: 'Evening', instructorId: 'u1', joinCode: 'BCDEFGHJ', createdAt: LATER });
    await store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT });
    await store.assign({ cohortId: 'c2', exerciseId: 'mine', assignedAt: AT });
    await store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: AT });

    expect(await store.deleteExercise('u2', 'mine')).toEqual({ deleted: false, reason: 'not-found' });
    expect(await store.deleteExercise('u1', 'nope')).toEqual({ deleted: false, reason: 'not-found' });
    const blocked = await store.deleteExercise('u1', 'mine');
    expect(blocked.deleted === false && blocked.reason === 'assigned' ? blocked.cohorts.map((c) => c.name) : null).toEqual(['Morning', 'Evening']);
    expect(await store.getExercise('u1', 'mine')).not.toBeNull();

    await store.unassign('c1', 'mine');
    await store.unassign('c2', 'mine');
    expect(await store.deleteExercise('u1', 'mine')).toEqual({ deleted: true });
    expect(await store.getExercise('u1', 'mine')).toBeNull();
    expect(await store.exercisesOfInstructor('u1')).toEqual([]);
    expect((await store.releases('c1')).map((r) => r.exerciseId)).toEqual(['mine']); // releases are the cohort's, kept
    // The id is free again.
    await store.createExercise({ id: 'mine', instructorId: 'u2', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: LATER });
    expect((await store.getExercise('u2', 'mine'))?.instructorId).toBe('u2');
    await store.close();
  });

  it('withdraws one release, the release of every exercise only when asked for it, and says when there was none', async () => {
    const store = new SqliteAccountStore(file);
    await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createCohort({ id: 'c1', name: 'Class', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    await store.release({ cohortId: 'c1', exerciseId: null, releasedAt: AT });
    await store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });

    expect(await store.withdrawRelease('c1', 'other')).toBe(false);
    expect(await store.withdrawRelease('c1', 'mine')).toBe(true);
    expect(await store.withdrawRelease('c1', 'mine')).toBe(false);
    expect(await store.releases('c1')).toEqual([{ cohortId: 'c1', exerciseId: null, releasedAt: AT }]);
    await store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });
    expect(await store.withdrawRelease('c1', null)).toBe(true);
    expect(await store.withdrawRelease('c1', null)).toBe(false);
    expect((await store.releases('c1')).map((r) => r.exerciseId)).toEqual(['mine']);
    await store.close();
  });
});

describe('SQLite account store: exercise ids per instructor, attempts kept across a restart', () => {
  it('lets two instructors use the same exercise id, each seeing only their own', async () => {
    const store = new SqliteAccountStore(file);
    await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createUser({ id: 'u2', name: 'other', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createExercise({ id: 'same', instructorId: 'u1', fileName: 'a.yaml', text: 'a', createdAt: AT });
    await store.createExercise({ id: 'same', instructorId: 'u2', fileName: 'b.yaml', text: 'b', createdAt: AT });
    expect((await store.getExercise('u1', 'same'))?.text).toBe('a');
    expect((await store.getExercise('u2', 'same'))?.text).toBe('b');
    await expect(store.createExercise({ id: 'same', instructorId: 'u1', fileName: 'c.yaml', text: 'c', createdAt: AT })).rejects.toThrow(StoreConflictError);
    await store.close();
  });

  it('counts attempts before they are used, per key and window, and keeps them when reopened', async () => {
    const store = new SqliteAccountStore(file);
    const taken: boolean[] = [];
    for (let i = 0; i < 5; i += 1) taken.push(await store.takeAttempt('login:alice', 1_000, 60_000, 3));
    expect(taken).toEqual([true, true, true, false, false]);
    expect(await store.takeAttempt('login:bob', 1_000, 60_000, 3)).toBe(true);
    await store.close();
    const again = new SqliteAccountStore(file);
    expect(await again.takeAttempt('login:alice', 2_000, 60_000, 3)).toBe(false);
    // Past the window the old attempts no longer count.
    expect(await again.takeAttempt('login:alice', 62_000, 60_000, 3)).toBe(true);
    await again.clearAttempts('login:alice');
    const afterClearing: boolean[] = [];
    for (let i = 0; i < 3; i += 1) afterClearing.push(await again.takeAttempt('login:alice', 62_001, 60_000, 3));
    expect(afterClearing).toEqual([true, true, true]);
    await again.close();
  });
});
