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
  it('keeps uploaded exercises, assignments and releases across a reopen; ids are unique, repeats idempotent', () => {
    const store = new SqliteAccountStore(file);
    store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    store.createCohort({ id: 'c1', name: 'Class', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    expect(() => store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'b.yaml', text: '', createdAt: AT })).toThrow(StoreConflictError);
    // An assignment defaults to both modes and one assessment attempt (migration 6).
    expect(store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'both', attempts: 1, practiceDebrief: 'on-release' });
    expect(store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER }).assignedAt).toBe(AT);
    // Assigning again takes the new mode and attempts, and keeps the first time.
    expect(store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' });
    store.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: AT, grantedBy: 'u1' });
    store.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: LATER, grantedBy: 'u1' });
    store.release({ cohortId: 'c1', exerciseId: null, releasedAt: AT });
    store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });
    store.close();

    const again = new SqliteAccountStore(file);
    expect(again.getExercise('u1', 'mine')).toEqual({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    expect(again.getExercise('u1', 'other')).toBeNull();
    expect(again.exercisesOfInstructor('u1').map((e) => e.id)).toEqual(['mine']);
    expect(again.assignments('c1')).toEqual([{ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' }]);
    expect(again.grants('c1')).toEqual([
      { cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: AT, grantedBy: 'u1' },
      { cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: LATER, grantedBy: 'u1' },
    ]);
    expect(again.grants('c2')).toEqual([]);
    expect(again.releases('c1')).toEqual([
      { cohortId: 'c1', exerciseId: null, releasedAt: AT },
      { cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER },
    ]);
    again.close();
  });
});

describe('SQLite account store: deleting uploads and withdrawing releases', () => {
  it("deletes an instructor's own upload only, and never one still assigned to their cohorts", () => {
    const store = new SqliteAccountStore(file);
    store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    store.createUser({ id: 'u2', name: 'other', role: 'instructor', passwordHash: 'x', createdAt: AT });
    store.createCohort({ id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    store.createCohort({ id: 'c2', name: 'Evening', instructorId: 'u1', joinCode: 'BCDEFGHJ', createdAt: LATER });
    store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT });
    store.assign({ cohortId: 'c2', exerciseId: 'mine', assignedAt: AT });
    store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: AT });

    expect(store.deleteExercise('u2', 'mine')).toEqual({ deleted: false, reason: 'not-found' });
    expect(store.deleteExercise('u1', 'nope')).toEqual({ deleted: false, reason: 'not-found' });
    const blocked = store.deleteExercise('u1', 'mine');
    expect(blocked.deleted === false && blocked.reason === 'assigned' ? blocked.cohorts.map((c) => c.name) : null).toEqual(['Morning', 'Evening']);
    expect(store.getExercise('u1', 'mine')).not.toBeNull();

    store.unassign('c1', 'mine');
    store.unassign('c2', 'mine');
    expect(store.deleteExercise('u1', 'mine')).toEqual({ deleted: true });
    expect(store.getExercise('u1', 'mine')).toBeNull();
    expect(store.exercisesOfInstructor('u1')).toEqual([]);
    expect(store.releases('c1').map((r) => r.exerciseId)).toEqual(['mine']); // releases are the cohort's, kept
    // The id is free again.
    store.createExercise({ id: 'mine', instructorId: 'u2', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: LATER });
    expect(store.getExercise('u2', 'mine')?.instructorId).toBe('u2');
    store.close();
  });

  it('withdraws one release, the release of every exercise only when asked for it, and says when there was none', () => {
    const store = new SqliteAccountStore(file);
    store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    store.createCohort({ id: 'c1', name: 'Class', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    store.release({ cohortId: 'c1', exerciseId: null, releasedAt: AT });
    store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });

    expect(store.withdrawRelease('c1', 'other')).toBe(false);
    expect(store.withdrawRelease('c1', 'mine')).toBe(true);
    expect(store.withdrawRelease('c1', 'mine')).toBe(false);
    expect(store.releases('c1')).toEqual([{ cohortId: 'c1', exerciseId: null, releasedAt: AT }]);
    store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });
    expect(store.withdrawRelease('c1', null)).toBe(true);
    expect(store.withdrawRelease('c1', null)).toBe(false);
    expect(store.releases('c1').map((r) => r.exerciseId)).toEqual(['mine']);
    store.close();
  });
});

describe('SQLite account store: exercise ids per instructor, attempts kept across a restart', () => {
  it('lets two instructors use the same exercise id, each seeing only their own', () => {
    const store = new SqliteAccountStore(file);
    store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    store.createUser({ id: 'u2', name: 'other', role: 'instructor', passwordHash: 'x', createdAt: AT });
    store.createExercise({ id: 'same', instructorId: 'u1', fileName: 'a.yaml', text: 'a', createdAt: AT });
    store.createExercise({ id: 'same', instructorId: 'u2', fileName: 'b.yaml', text: 'b', createdAt: AT });
    expect(store.getExercise('u1', 'same')?.text).toBe('a');
    expect(store.getExercise('u2', 'same')?.text).toBe('b');
    expect(() => store.createExercise({ id: 'same', instructorId: 'u1', fileName: 'c.yaml', text: 'c', createdAt: AT })).toThrow(StoreConflictError);
    store.close();
  });

  it('counts attempts before they are used, per key and window, and keeps them when reopened', () => {
    const store = new SqliteAccountStore(file);
    const taken = Array.from({ length: 5 }, () => store.takeAttempt('login:alice', 1_000, 60_000, 3));
    expect(taken).toEqual([true, true, true, false, false]);
    expect(store.takeAttempt('login:bob', 1_000, 60_000, 3)).toBe(true);
    store.close();
    const again = new SqliteAccountStore(file);
    expect(again.takeAttempt('login:alice', 2_000, 60_000, 3)).toBe(false);
    // Past the window the old attempts no longer count.
    expect(again.takeAttempt('login:alice', 62_000, 60_000, 3)).toBe(true);
    again.clearAttempts('login:alice');
    expect([1, 2, 3].map(() => again.takeAttempt('login:alice', 62_001, 60_000, 3))).toEqual([true, true, true]);
    again.close();
  });
});
