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
    expect(store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT })).toEqual({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT });
    expect(store.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: LATER }).assignedAt).toBe(AT);
    store.release({ cohortId: 'c1', exerciseId: null, releasedAt: AT });
    store.release({ cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER });
    store.close();

    const again = new SqliteAccountStore(file);
    expect(again.getExercise('mine')).toEqual({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: 'id: mine\n', createdAt: AT });
    expect(again.getExercise('other')).toBeNull();
    expect(again.exercisesOfInstructor('u1').map((e) => e.id)).toEqual(['mine']);
    expect(again.assignments('c1')).toEqual([{ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT }]);
    expect(again.releases('c1')).toEqual([
      { cohortId: 'c1', exerciseId: null, releasedAt: AT },
      { cohortId: 'c1', exerciseId: 'mine', releasedAt: LATER },
    ]);
    again.close();
  });
});
