// The account store contract (DESIGN §13), on every store: users, tokens, password changes, cohorts and
// their members, and the attempt limits every instance shares.
import { expect, it } from 'vitest';
import { StoreConflictError } from '../../../src/store/event-store.js';
import { describeContract } from './stores.js';

const AT = '2026-11-29T09:00:00.000Z';
const LATER = '2026-11-29T10:00:00.000Z';
const teacher = { id: 'u1', name: 'teacher', role: 'instructor' as const, passwordHash: 'hash-1', createdAt: AT };
const trainee = { id: 't1', name: 'alice', role: 'trainee' as const, passwordHash: 'hash-2', createdAt: LATER };

describeContract('account store: users and tokens', (db) => {
  it('keeps users with their password hashes, finds them by id and name, and counts them by role', async () => {
    const { accounts } = await db().open();
    expect(await accounts.createUser(teacher)).toEqual({ id: 'u1', name: 'teacher', role: 'instructor', createdAt: AT });
    await accounts.createUser(trainee);
    await expect(accounts.createUser({ ...trainee, id: 't2' })).rejects.toThrow(StoreConflictError);
    const { accounts: again } = await db().open();
    expect(await again.getUser('t1')).toEqual({ id: 't1', name: 'alice', role: 'trainee', createdAt: LATER });
    expect(await again.getUser('nope')).toBeNull();
    expect(await again.findUserByName('teacher')).toEqual({ id: 'u1', name: 'teacher', role: 'instructor', createdAt: AT, passwordHash: 'hash-1' });
    expect(await again.findUserByName('nobody')).toBeNull();
    expect([await again.countUsers(), await again.countUsers('instructor'), await again.countUsers('trainee')]).toEqual([2, 1, 1]);
  });

  it('knows a token until it expires or is deleted', async () => {
    const { accounts } = await db().open();
    await accounts.createUser(teacher);
    await accounts.createToken({ hash: 'tok-a', userId: 'u1', createdAt: AT, expiresAt: LATER });
    expect(await accounts.userForToken('tok-a', AT)).toEqual({ id: 'u1', name: 'teacher', role: 'instructor', createdAt: AT });
    expect(await accounts.userForToken('tok-a', LATER)).toBeNull();
    expect(await accounts.userForToken('tok-b', AT)).toBeNull();
    await accounts.deleteToken('tok-a');
    expect(await accounts.userForToken('tok-a', AT)).toBeNull();
  });

  it('changes a password and ends every other sign-in of that user, and only theirs', async () => {
    const { accounts } = await db().open();
    await accounts.createUser(teacher);
    await accounts.createUser(trainee);
    for (const hash of ['keep', 'other-1', 'other-2']) await accounts.createToken({ hash, userId: 'u1', createdAt: AT, expiresAt: LATER });
    await accounts.createToken({ hash: 'alices', userId: 't1', createdAt: AT, expiresAt: LATER });
    expect(await accounts.changePassword('u1', 'hash-new', 'keep')).toBe(2);
    expect((await accounts.findUserByName('teacher'))?.passwordHash).toBe('hash-new');
    expect(await accounts.userForToken('keep', AT)).not.toBeNull();
    expect(await accounts.userForToken('other-1', AT)).toBeNull();
    expect(await accounts.userForToken('alices', AT)).not.toBeNull();
  });
});

describeContract('account store: cohorts and members', (db) => {
  it('keeps cohorts by id and join code, per instructor, and refuses a taken join code', async () => {
    const { accounts } = await db().open();
    await accounts.createUser(teacher);
    const morning = { id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT };
    const evening = { id: 'c2', name: 'Evening', instructorId: 'u1', joinCode: 'BCDEFGHJ', createdAt: LATER };
    expect(await accounts.createCohort(evening)).toEqual(evening);
    await accounts.createCohort(morning);
    await expect(accounts.createCohort({ ...morning, id: 'c3' })).rejects.toThrow(StoreConflictError);
    await expect(accounts.createCohort({ ...morning, joinCode: 'CDEFGHJK' })).rejects.toThrow(StoreConflictError);
    expect(await accounts.getCohort('c1')).toEqual(morning);
    expect(await accounts.getCohort('nope')).toBeNull();
    expect(await accounts.cohortByJoinCode('BCDEFGHJ')).toEqual(evening);
    expect(await accounts.cohortByJoinCode('ZZZZZZZZ')).toBeNull();
    expect((await accounts.cohortsOfInstructor('u1')).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(await accounts.cohortsOfInstructor('t1')).toEqual([]);
  });

  it('adds members once, lists them by name, and makes a trainee a member with its account, both or neither', async () => {
    const { accounts } = await db().open();
    await accounts.createUser(teacher);
    await accounts.createCohort({ id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    await accounts.createUser({ ...trainee, id: 't2', name: 'zoe' });
    await accounts.addMember('c1', 't2');
    await accounts.addMember('c1', 't2');
    expect(await accounts.createMember(trainee, 'c1')).toEqual({ id: 't1', name: 'alice', role: 'trainee', createdAt: LATER });
    expect((await accounts.members('c1')).map((u) => u.name)).toEqual(['alice', 'zoe']);
    expect((await accounts.cohortsOfMember('t1')).map((c) => c.id)).toEqual(['c1']);
    // A taken name: neither the account nor the membership.
    await expect(accounts.createMember({ ...trainee, id: 't3' }, 'c1')).rejects.toThrow(StoreConflictError);
    expect(await accounts.getUser('t3')).toBeNull();
    expect(await accounts.members('c1')).toHaveLength(2);
  });
});

describeContract('account store: uploads, assignments, grants, releases, clocks', (db) => {
  it('keeps uploaded exercises, assignments and releases across a reopen; ids are unique, repeats idempotent', async () => {
    const { accounts: store } = await db().open();
    await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createCohort({ id: 'c1', name: 'Class', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    await store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    await expect(store.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'b.yaml', text: '', createdAt: AT })).rejects.toThrow(StoreConflictError);
    expect(await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'both', attempts: 1, practiceDebrief: 'on-release' });
    expect((await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER })).assignedAt).toBe(AT);
    // Assigning again takes the new mode and attempts, and keeps the first time.
    expect(await store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'assessment', attempts: 3, practiceDebrief: 'at-close' });
    await store.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: AT, grantedBy: 'u1' });
    await store.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 'u1', grantedAt: LATER, grantedBy: 'u1' });
    await store.release({ cohortId: 'c1', exerciseId: null, releasedAt: AT });
    expect(await store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER })).toEqual({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });
    expect(await store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: '2026-11-30T00:00:00.000Z' })).toEqual({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });

    const { accounts: again } = await db().open();
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
    await expect(db().exec('DELETE FROM attempt_grants')).rejects.toThrow(/append-only/);
  });

  it("deletes an instructor's own upload only, and never one still assigned to their cohorts", async () => {
    const { accounts: store } = await db().open();
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

    expect(await store.unassign('c1', 'mine')).toBe(true);
    expect(await store.unassign('c1', 'mine')).toBe(false);
    await store.unassign('c2', 'mine');
    expect(await store.deleteExercise('u1', 'mine')).toEqual({ deleted: true });
    expect(await store.getExercise('u1', 'mine')).toBeNull();
    expect(await store.exercisesOfInstructor('u1')).toEqual([]);
    expect((await store.releases('c1')).map((r) => r.exerciseId)).toEqual(['mine']); // releases are the cohort's, kept
    await store.createExercise({ id: 'mine', instructorId: 'u2', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: LATER });
    expect((await store.getExercise('u2', 'mine'))?.instructorId).toBe('u2');
  });

  it('lets two instructors use the same exercise id, each seeing only their own', async () => {
    const { accounts: store } = await db().open();
    await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createUser({ id: 'u2', name: 'other', role: 'instructor', passwordHash: 'x', createdAt: AT });
    await store.createExercise({ id: 'same', instructorId: 'u1', fileName: 'a.yaml', text: 'a', createdAt: AT });
    await store.createExercise({ id: 'same', instructorId: 'u2', fileName: 'b.yaml', text: 'b', createdAt: AT });
    expect((await store.getExercise('u1', 'same'))?.text).toBe('a');
    expect((await store.getExercise('u2', 'same'))?.text).toBe('b');
    await expect(store.createExercise({ id: 'same', instructorId: 'u1', fileName: 'c.yaml', text: 'c', createdAt: AT })).rejects.toThrow(StoreConflictError);
  });

  it('withdraws one release, the release of every exercise only when asked for it, and says when there was none', async () => {
    const { accounts: store } = await db().open();
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
  });

  it("keeps a cohort's clock: a pace, paced, or none, paused or running, set again in place", async () => {
    const { accounts: store } = await db().open();
    await store.createUser(teacher);
    await store.createCohort({ id: 'c1', name: 'Class', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
    expect(await store.cohortClock('c1')).toBeNull();
    await store.setCohortClock({ cohortId: 'c1', pace: 6, paused: false, since: AT });
    expect(await store.cohortClock('c1')).toEqual({ cohortId: 'c1', pace: 6, paused: false, since: AT });
    await store.setCohortClock({ cohortId: 'c1', pace: 'paced', paused: true, since: LATER });
    expect(await store.cohortClock('c1')).toEqual({ cohortId: 'c1', pace: 'paced', paused: true, since: LATER });
    await store.setCohortClock({ cohortId: 'c1', pace: null, paused: false, since: LATER });
    const { accounts: again } = await db().open();
    expect(await again.cohortClock('c1')).toEqual({ cohortId: 'c1', pace: null, paused: false, since: LATER });
  });
});

describeContract('account store: limits', (db) => {
  it('counts attempts before they are used, per key and window, and keeps them when reopened', async () => {
    const { accounts: store } = await db().open();
    const taken: boolean[] = [];
    for (let i = 0; i < 5; i += 1) taken.push(await store.takeAttempt('login:alice', 1_000, 60_000, 3));
    expect(taken).toEqual([true, true, true, false, false]);
    expect(await store.takeAttempt('login:bob', 1_000, 60_000, 3)).toBe(true);
    const { accounts: again } = await db().open();
    expect(await again.takeAttempt('login:alice', 2_000, 60_000, 3)).toBe(false);
    // Past the window the old attempts no longer count.
    expect(await again.takeAttempt('login:alice', 62_000, 60_000, 3)).toBe(true);
    await again.clearAttempts('login:alice');
    const after: boolean[] = [];
    for (let i = 0; i < 3; i += 1) after.push(await again.takeAttempt('login:alice', 62_001, 60_000, 3));
    expect(after).toEqual([true, true, true]);
  });

  it('counts attempts taken at the same moment on two instances as one limit', async () => {
    const a = await db().open();
    const b = await db().open();
    const taken = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).accounts.takeAttempt('login:mallory', 5_000, 60_000, 5)));
    expect(taken.filter(Boolean)).toHaveLength(5);
  });
});

describeContract('account store: limit keys', (db) => {
  it('keeps any key the server makes, NUL separators and all, apart from its look-alikes', async () => {
    const { accounts } = await db().open();
    expect(await accounts.takeAttempt('login\u0000alice\u0000127.0.0.1', 1_000, 60_000, 1)).toBe(true);
    expect(await accounts.takeAttempt('login\u0000alice\u0000127.0.0.1', 1_000, 60_000, 1)).toBe(false);
    expect(await accounts.takeAttempt('login\u0000alice\u0000127.0.0.2', 1_000, 60_000, 1)).toBe(true);
    expect(await accounts.takeAttempt('login alice 127.0.0.1', 1_000, 60_000, 1)).toBe(true);
    await accounts.clearAttempts('login\u0000alice\u0000127.0.0.1');
    expect(await accounts.takeAttempt('login\u0000alice\u0000127.0.0.1', 1_000, 60_000, 1)).toBe(true);
  });
});
