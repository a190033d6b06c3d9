// The improvement plan and recoverable accounts in the store contract (issue 18; SQLite migrations 10 and 11,
// PostgreSQL migration 2), on every store: the plan replaced as a whole in the instructor's order, kept across
// a reopen, a kept row keeping its creation time, one cohort's row never taken over by another's plan; a reset
// password ends every sign-in and must be changed; a display name kept apart from the sign-in name.
import { expect, it } from 'vitest';
import { StoreConflictError } from '../../../src/store/event-store.js';
import type { AccountStore } from '../../../src/store/account-store.js';
import { describeContract } from './stores.js';

const AT = '2026-12-04T09:00:00.000Z';
const LATER = '2026-12-04T10:00:00.000Z';

async function withCohorts(accounts: AccountStore): Promise<void> {
  await accounts.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
  await accounts.createCohort({ id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
  await accounts.createCohort({ id: 'c2', name: 'Evening', instructorId: 'u1', joinCode: 'HGFEDCBA', createdAt: AT });
}

describeContract('account store: the improvement plan', (db) => {
  it('replaces the plan in order, keeps it across a reopen, and keeps the times of an unchanged row', async () => {
    const { accounts } = await db().open();
    await withCohorts(accounts);
    expect(await accounts.improvementPlan('c1')).toEqual([]);
    await accounts.replaceImprovementPlan('c1', [{ id: 'r1', action: 'Caveat refresher', capability: 'geolocation', owner: 'Training unit', due: '2027-01-15' }, { id: 'r2', action: 'Referral drill', capability: 'referral', owner: '', due: null }], AT);
    const later = await accounts.replaceImprovementPlan('c1', [{ id: 'r2', action: 'Referral drill', capability: 'referral', owner: 'Sgt. Example', due: null }, { id: 'r1', action: 'Caveat refresher', capability: 'geolocation', owner: 'Training unit', due: '2027-01-15' }, { id: 'r3', action: 'Deadline drill', capability: 'triage', owner: '', due: null }], LATER);
    expect(later.map((r) => [r.id, r.createdAt, r.updatedAt])).toEqual([
      ['r2', AT, LATER],
      ['r1', AT, AT],
      ['r3', LATER, LATER],
    ]);
    const { accounts: again } = await db().open();
    expect(await again.improvementPlan('c1')).toEqual(later);
    expect(await again.improvementPlan('c2')).toEqual([]);
    // Rows left out are gone.
    expect((await again.replaceImprovementPlan('c1', [{ id: 'r3', action: 'Deadline drill', capability: 'triage', owner: '', due: null }], LATER)).map((r) => r.id)).toEqual(['r3']);
  });

  it('refuses another cohort’s row id, and leaves both plans as they were', async () => {
    const { accounts } = await db().open();
    await withCohorts(accounts);
    await accounts.replaceImprovementPlan('c1', [{ id: 'r1', action: 'Caveat refresher', capability: '', owner: '', due: null }], AT);
    await accounts.replaceImprovementPlan('c2', [{ id: 'r9', action: 'Kept', capability: '', owner: '', due: null }], AT);
    await expect(accounts.replaceImprovementPlan('c2', [{ id: 'r1', action: 'Taken over', capability: '', owner: '', due: null }], LATER)).rejects.toThrow(StoreConflictError);
    expect((await accounts.improvementPlan('c1')).map((r) => r.action)).toEqual(['Caveat refresher']);
    expect((await accounts.improvementPlan('c2')).map((r) => r.action)).toEqual(['Kept']);
  });
});

describeContract('account store: recoverable accounts', (db) => {
  it('keeps a display name apart from the sign-in name', async () => {
    const { accounts } = await db().open();
    const jones = await accounts.createUser({ id: 't1', name: 'jones', displayName: 'Officer Jones', role: 'trainee', passwordHash: 'h', createdAt: AT });
    expect(jones).toEqual({ id: 't1', name: 'jones', displayName: 'Officer Jones', role: 'trainee', createdAt: AT });
    expect(await accounts.getUser('t1')).toEqual(jones);
    expect((await accounts.listUsers()).map((u) => u.displayName)).toEqual(['Officer Jones']);
  });

  it('resets a password: every sign-in ends, the new one must be changed, and a change clears that', async () => {
    const { accounts } = await db().open();
    await accounts.createUser({ id: 't1', name: 'alice', role: 'trainee', passwordHash: 'old', createdAt: AT });
    await accounts.createUser({ id: 't2', name: 'bob', role: 'trainee', passwordHash: 'bobs', createdAt: AT });
    for (const hash of ['a-1', 'a-2']) await accounts.createToken({ hash, userId: 't1', createdAt: AT, expiresAt: LATER });
    await accounts.createToken({ hash: 'b-1', userId: 't2', createdAt: AT, expiresAt: LATER });
    expect(await accounts.resetPassword('t1', 'one-time')).toBe(2);
    expect(await accounts.resetPassword('nobody', 'x')).toBeNull();
    const reset = await accounts.findUserByName('alice');
    expect(reset).toMatchObject({ passwordHash: 'one-time', mustChangePassword: true });
    expect(await accounts.userForToken('a-1', AT)).toBeNull();
    expect(await accounts.userForToken('b-1', AT)).not.toBeNull();
    await accounts.createToken({ hash: 'a-3', userId: 't1', createdAt: AT, expiresAt: LATER });
    expect(await accounts.userForToken('a-3', AT)).toMatchObject({ id: 't1', mustChangePassword: true });
    await accounts.changePassword('t1', 'chosen', 'a-3');
    expect(await accounts.getUser('t1')).toEqual({ id: 't1', name: 'alice', role: 'trainee', createdAt: AT });
  });
});
