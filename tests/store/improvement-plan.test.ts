// A cohort's improvement plan in the SQLite account store (migration 10, issue 18): replaced as a whole in
// the instructor's order, kept across a reopen, a kept row keeps its creation time, and one cohort's row
// cannot be taken over by another cohort's plan.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../src/store/event-store.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-plan-'));
  file = join(dir, 'tipflow.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const AT = '2026-12-04T09:00:00.000Z';
const LATER = '2026-12-04T10:00:00.000Z';

async function withCohorts(): Promise<SqliteAccountStore> {
  const store = new SqliteAccountStore(file);
  await store.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'x', createdAt: AT });
  await store.createCohort({ id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
  await store.createCohort({ id: 'c2', name: 'Evening', instructorId: 'u1', joinCode: 'HGFEDCBA', createdAt: AT });
  return store;
}

describe('SQLite account store: the improvement plan (migration 10)', () => {
  it('replaces the plan in order, keeps it across a reopen, and keeps the times of an unchanged row', async () => {
    const store = await withCohorts();
    expect(await store.improvementPlan('c1')).toEqual([]);
    await store.replaceImprovementPlan('c1', [{ id: 'r1', action: 'Caveat refresher', capability: 'geolocation', owner: 'Training unit', due: '2027-01-15' }, { id: 'r2', action: 'Referral drill', capability: 'referral', owner: '', due: null }], AT);
    const later = await store.replaceImprovementPlan('c1', [{ id: 'r2', action: 'Referral drill', capability: 'referral', owner: 'Sgt. Example', due: null }, { id: 'r1', action: 'Caveat refresher', capability: 'geolocation', owner: 'Training unit', due: '2027-01-15' }, { id: 'r3', action: 'Deadline drill', capability: 'triage', owner: '', due: null }], LATER);
    expect(later.map((r) => [r.id, r.createdAt, r.updatedAt])).toEqual([
      ['r2', AT, LATER],
      ['r1', AT, AT],
      ['r3', LATER, LATER],
    ]);
    await store.close();
    const again = new SqliteAccountStore(file);
    expect(await again.improvementPlan('c1')).toEqual(later);
    expect(await again.improvementPlan('c2')).toEqual([]);
    // Rows left out are gone.
    expect((await again.replaceImprovementPlan('c1', [{ id: 'r3', action: 'Deadline drill', capability: 'triage', owner: '', due: null }], LATER)).map((r) => r.id)).toEqual(['r3']);
    await again.close();
  });

  it('refuses another cohort’s row id, and leaves both plans as they were', async () => {
    const store = await withCohorts();
    await store.replaceImprovementPlan('c1', [{ id: 'r1', action: 'Caveat refresher', capability: '', owner: '', due: null }], AT);
    await store.replaceImprovementPlan('c2', [{ id: 'r9', action: 'Kept', capability: '', owner: '', due: null }], AT);
    await expect(store.replaceImprovementPlan('c2', [{ id: 'r1', action: 'Taken over', capability: '', owner: '', due: null }], LATER)).rejects.toThrow(StoreConflictError);
    expect((await store.improvementPlan('c1')).map((r) => r.action)).toEqual(['Caveat refresher']);
    expect((await store.improvementPlan('c2')).map((r) => r.action)).toEqual(['Kept']);
    await store.close();
  });
});
