// The SQLite account store: users, token hashes, cohorts, memberships (migration 2), in the same file as
// the event store, on its own connection. better-sqlite3 answers synchronously; the methods are async only to
// keep the AccountStore contract (a PostgreSQL store cannot answer at once), and each one's work is still
// done in one statement or one transaction, so nothing another request does can fall between its steps.
import Database from 'better-sqlite3';
import type { AccountStore, Assignment, AssignmentMode, AttemptGrant, CohortClock, PracticeDebrief, Cohort, ExerciseDeletion, ImprovementPlanRow, NewAssignment, NewPlanRow, NewUser, Release, Role, StoredExercise, User, UserWithPassword } from './account-store.js';
import { StoreConflictError } from './event-store.js';
import { openDatabase, type Durability } from './sqlite-database.js';

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  display_name: string | null;
  must_change_password: number;
}

interface CohortRow {
  id: string;
  name: string;
  instructor_id: string;
  join_code: string;
  created_at: string;
}

interface ExerciseRow {
  id: string;
  instructor_id: string;
  file_name: string;
  text: string;
  created_at: string;
}

interface PlanRowRow {
  id: string;
  cohort_id: string;
  position: number;
  action: string;
  capability: string;
  owner: string;
  due: string | null;
  created_at: string;
  updated_at: string;
}

const toPlanRow = (r: PlanRowRow): ImprovementPlanRow => ({ id: r.id, cohortId: r.cohort_id, action: r.action, capability: r.capability, owner: r.owner, due: r.due, createdAt: r.created_at, updatedAt: r.updated_at });

const ALL_EXERCISES = '*';
const toExercise = (row: ExerciseRow): StoredExercise => ({ id: row.id, instructorId: row.instructor_id, fileName: row.file_name, text: row.text, createdAt: row.created_at });

const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
  ...(row.display_name === null ? {} : { displayName: row.display_name }),
  ...(row.must_change_password === 1 ? { mustChangePassword: true as const } : {}),
});
const toCohort = (row: CohortRow): Cohort => ({ id: row.id, name: row.name, instructorId: row.instructor_id, joinCode: row.join_code, createdAt: row.created_at });

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export class SqliteAccountStore implements AccountStore {
  private readonly db: Database.Database;
  private readonly statements;

  /** `file` is a path, or ':memory:' for tests (then a database of its own). */
  constructor(file: string, durability: Durability = 'full') {
    this.db = openDatabase(file, durability);
    const db = this.db;
    this.statements = {
      insertUser: db.prepare('INSERT INTO users (id, name, role, password_hash, created_at, display_name) VALUES (@id, @name, @role, @passwordHash, @createdAt, @displayName)'),
      userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?'),
      setPassword: db.prepare<[string, string]>('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?'),
      resetPassword: db.prepare<[string, string]>('UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?'),
      deleteAllTokens: db.prepare<[string]>('DELETE FROM tokens WHERE user_id = ?'),
      countAll: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
      allUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id'),
      allCohorts: db.prepare<[], CohortRow>('SELECT * FROM cohorts ORDER BY created_at, id'),
      countRole: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM users WHERE role = ?'),
      insertToken: db.prepare('INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (@hash, @userId, @createdAt, @expiresAt)'),
      userForToken: db.prepare<[string, string], UserRow>('SELECT u.* FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.expires_at > ?'),
      deleteToken: db.prepare<[string]>('DELETE FROM tokens WHERE hash = ?'),
      deleteOtherTokens: db.prepare<[string, string]>('DELETE FROM tokens WHERE user_id = ? AND hash != ?'),
      insertCohort: db.prepare('INSERT INTO cohorts (id, name, instructor_id, join_code, created_at) VALUES (@id, @name, @instructorId, @joinCode, @createdAt)'),
      cohortById: db.prepare<[string], CohortRow>('SELECT * FROM cohorts WHERE id = ?'),
      cohortByCode: db.prepare<[string], CohortRow>('SELECT * FROM cohorts WHERE join_code = ?'),
      cohortsOfInstructor: db.prepare<[string], CohortRow>('SELECT * FROM cohorts WHERE instructor_id = ? ORDER BY created_at, id'),
      cohortsOfMember: db.prepare<[string], CohortRow>('SELECT c.* FROM memberships m JOIN cohorts c ON c.id = m.cohort_id WHERE m.user_id = ? ORDER BY c.created_at, c.id'),
      insertMember: db.prepare<[string, string]>('INSERT OR IGNORE INTO memberships (cohort_id, user_id) VALUES (?, ?)'),
      members: db.prepare<[string], UserRow>('SELECT u.* FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.cohort_id = ? ORDER BY u.name'),
      insertExercise: db.prepare('INSERT INTO exercises (id, instructor_id, file_name, text, created_at) VALUES (@id, @instructorId, @fileName, @text, @createdAt)'),
      exerciseById: db.prepare<[string, string], ExerciseRow>('SELECT * FROM exercises WHERE instructor_id = ? AND id = ?'),
      exercisesOfInstructor: db.prepare<[string], ExerciseRow>('SELECT * FROM exercises WHERE instructor_id = ? ORDER BY created_at, id'),
      deleteExercise: db.prepare<[string, string]>('DELETE FROM exercises WHERE id = ? AND instructor_id = ?'),
      cohortsAssigned: db.prepare<[string, string], CohortRow>(
        'SELECT c.* FROM assignments a JOIN cohorts c ON c.id = a.cohort_id WHERE a.exercise_id = ? AND c.instructor_id = ? ORDER BY c.created_at, c.id',
      ),
      insertAssignment: db.prepare<[string, string, string, string, number, string]>(
        'INSERT INTO assignments (cohort_id, exercise_id, assigned_at, mode, attempts, practice_debrief) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cohort_id, exercise_id) DO UPDATE SET mode = excluded.mode, attempts = excluded.attempts, practice_debrief = excluded.practice_debrief',
      ),
      insertGrant: db.prepare('INSERT INTO attempt_grants (cohort_id, exercise_id, trainee_id, granted_at, granted_by) VALUES (@cohortId, @exerciseId, @traineeId, @grantedAt, @grantedBy)'),
      grants: db.prepare<[string], { cohort_id: string; exercise_id: string; trainee_id: string; granted_at: string; granted_by: string }>('SELECT * FROM attempt_grants WHERE cohort_id = ? ORDER BY granted_at, rowid'),
      deleteAssignment: db.prepare<[string, string]>('DELETE FROM assignments WHERE cohort_id = ? AND exercise_id = ?'),
      assignments: db.prepare<[string], { cohort_id: string; exercise_id: string; assigned_at: string; mode: AssignmentMode; attempts: number; practice_debrief: PracticeDebrief }>('SELECT * FROM assignments WHERE cohort_id = ? ORDER BY assigned_at, exercise_id'),
      insertRelease: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO releases (cohort_id, exercise_id, released_at) VALUES (?, ?, ?)'),
      deleteRelease: db.prepare<[string, string]>('DELETE FROM releases WHERE cohort_id = ? AND exercise_id = ?'),
      releases: db.prepare<[string], { cohort_id: string; exercise_id: string; released_at: string }>('SELECT * FROM releases WHERE cohort_id = ? ORDER BY released_at, exercise_id'),
      cohortClock: db.prepare<[string], { cohort_id: string; pace: string | null; paused: number; since: string }>('SELECT * FROM cohort_clocks WHERE cohort_id = ?'),
      upsertCohortClock: db.prepare<[string, string | null, number, string]>(
        'INSERT INTO cohort_clocks (cohort_id, pace, paused, since) VALUES (?, ?, ?, ?) ON CONFLICT (cohort_id) DO UPDATE SET pace = excluded.pace, paused = excluded.paused, since = excluded.since',
      ),
      countAttempts: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM attempts WHERE key = ? AND at_ms > ?'),
      insertAttempt: db.prepare<[string, number]>('INSERT INTO attempts (key, at_ms) VALUES (?, ?)'),
      pruneKey: db.prepare<[string, number]>('DELETE FROM attempts WHERE key = ? AND at_ms <= ?'),
      pruneAll: db.prepare<[number]>('DELETE FROM attempts WHERE at_ms <= ?'),
      clearAttempts: db.prepare<[string]>('DELETE FROM attempts WHERE key = ?'),
      planRows: db.prepare<[string], PlanRowRow>('SELECT * FROM improvement_plan WHERE cohort_id = ? ORDER BY position'),
      planRowById: db.prepare<[string], PlanRowRow>('SELECT * FROM improvement_plan WHERE id = ?'),
      deletePlan: db.prepare<[string]>('DELETE FROM improvement_plan WHERE cohort_id = ?'),
      insertPlanRow: db.prepare('INSERT INTO improvement_plan (id, cohort_id, position, action, capability, owner, due, created_at, updated_at) VALUES (@id, @cohortId, @position, @action, @capability, @owner, @due, @createdAt, @updatedAt)'),
    };
  }

  async createUser(user: NewUser): Promise<User> {
    return this.insertUser(user);
  }

  /** The insert of a user, synchronous so that `createMember` can hold it in its transaction. */
  private insertUser(user: NewUser): User {
    try {
      this.statements.insertUser.run({ ...user, displayName: user.displayName ?? null });
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreConflictError(`the name ${user.name} is taken`);
      throw error;
    }
    return { id: user.id, name: user.name, role: user.role, createdAt: user.createdAt, ...(user.displayName === undefined ? {} : { displayName: user.displayName }) };
  }

  async createMember(user: NewUser, cohortId: string): Promise<User> {
    return this.db
      .transaction(() => {
        const created = this.insertUser(user);
        this.statements.insertMember.run(cohortId, user.id);
        return created;
      })
      .immediate();
  }

  async getUser(id: string): Promise<User | null> {
    const row = this.statements.userById.get(id);
    return row === undefined ? null : toUser(row);
  }

  async findUserByName(name: string): Promise<UserWithPassword | null> {
    const row = this.statements.userByName.get(name);
    return row === undefined ? null : { ...toUser(row), passwordHash: row.password_hash };
  }

  async countUsers(role?: Role): Promise<number> {
    return (role === undefined ? this.statements.countAll.get() : this.statements.countRole.get(role))?.n ?? 0;
  }

  async listUsers(): Promise<UserWithPassword[]> {
    return this.statements.allUsers.all().map((row) => ({ ...toUser(row), passwordHash: row.password_hash }));
  }

  async createToken(token: { hash: string; userId: string; createdAt: string; expiresAt: string }): Promise<void> {
    this.statements.insertToken.run(token);
  }

  async userForToken(hash: string, now: string): Promise<User | null> {
    const row = this.statements.userForToken.get(hash, now);
    return row === undefined ? null : toUser(row);
  }

  async deleteToken(hash: string): Promise<void> {
    this.statements.deleteToken.run(hash);
  }

  async changePassword(userId: string, passwordHash: string, keepHash: string): Promise<number> {
    return this.db
      .transaction(() => {
        this.statements.setPassword.run(passwordHash, userId);
        return this.statements.deleteOtherTokens.run(userId, keepHash).changes;
      })
      .immediate();
  }

  async createCohort(cohort: Cohort): Promise<Cohort> {
    try {
      this.statements.insertCohort.run(cohort);
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreConflictError('the cohort id or join code is taken');
      throw error;
    }
    return { ...cohort };
  }

  async getCohort(id: string): Promise<Cohort | null> {
    const row = this.statements.cohortById.get(id);
    return row === undefined ? null : toCohort(row);
  }

  async cohortByJoinCode(code: string): Promise<Cohort | null> {
    const row = this.statements.cohortByCode.get(code);
    return row === undefined ? null : toCohort(row);
  }

  async cohortsOfInstructor(instructorId: string): Promise<Cohort[]> {
    return this.statements.cohortsOfInstructor.all(instructorId).map(toCohort);
  }

  async cohortsOfMember(userId: string): Promise<Cohort[]> {
    return this.statements.cohortsOfMember.all(userId).map(toCohort);
  }

  async listCohorts(): Promise<Cohort[]> {
    return this.statements.allCohorts.all().map(toCohort);
  }

  async addMember(cohortId: string, userId: string): Promise<void> {
    this.statements.insertMember.run(cohortId, userId);
  }

  async members(cohortId: string): Promise<User[]> {
    return this.statements.members.all(cohortId).map(toUser);
  }

  async createExercise(exercise: StoredExercise): Promise<StoredExercise> {
    try {
      this.statements.insertExercise.run(exercise);
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreConflictError(`you already have an exercise with the id ${exercise.id}`);
      throw error;
    }
    return { ...exercise };
  }

  async getExercise(instructorId: string, id: string): Promise<StoredExercise | null> {
    const row = this.statements.exerciseById.get(instructorId, id);
    return row === undefined ? null : toExercise(row);
  }

  async exercisesOfInstructor(instructorId: string): Promise<StoredExercise[]> {
    return this.statements.exercisesOfInstructor.all(instructorId).map(toExercise);
  }

  async deleteExercise(instructorId: string, exerciseId: string): Promise<ExerciseDeletion> {
    return this.db
      .transaction((): ExerciseDeletion => {
        const stored = this.statements.exerciseById.get(instructorId, exerciseId);
        if (stored === undefined) return { deleted: false, reason: 'not-found' };
        const cohorts = this.statements.cohortsAssigned.all(exerciseId, instructorId).map(toCohort);
        if (cohorts.length > 0) return { deleted: false, reason: 'assigned', cohorts };
        this.statements.deleteExercise.run(exerciseId, instructorId);
        return { deleted: true };
      })
      .immediate();
  }

  async assign(assignment: NewAssignment): Promise<Assignment> {
    const full: Assignment = { ...assignment, mode: assignment.mode ?? 'both', attempts: assignment.attempts ?? 1, practiceDebrief: assignment.practiceDebrief ?? 'on-release' };
    this.statements.insertAssignment.run(full.cohortId, full.exerciseId, full.assignedAt, full.mode, full.attempts, full.practiceDebrief);
    return this.assignmentsOf(full.cohortId).find((a) => a.exerciseId === full.exerciseId) ?? full;
  }

  async grantAttempt(grant: AttemptGrant): Promise<AttemptGrant> {
    this.statements.insertGrant.run(grant);
    return { ...grant };
  }

  async grants(cohortId: string): Promise<AttemptGrant[]> {
    return this.statements.grants.all(cohortId).map((r) => ({ cohortId: r.cohort_id, exerciseId: r.exercise_id, traineeId: r.trainee_id, grantedAt: r.granted_at, grantedBy: r.granted_by }));
  }

  async unassign(cohortId: string, exerciseId: string): Promise<boolean> {
    return this.statements.deleteAssignment.run(cohortId, exerciseId).changes > 0;
  }

  async assignments(cohortId: string): Promise<Assignment[]> {
    return this.assignmentsOf(cohortId);
  }

  private assignmentsOf(cohortId: string): Assignment[] {
    return this.statements.assignments.all(cohortId).map((r) => ({ cohortId: r.cohort_id, exerciseId: r.exercise_id, assignedAt: r.assigned_at, mode: r.mode, attempts: r.attempts, practiceDebrief: r.practice_debrief }));
  }

  async release(release: Release): Promise<Release> {
    const key = release.exerciseId ?? ALL_EXERCISES;
    this.statements.insertRelease.run(release.cohortId, key, release.releasedAt);
    return this.releasesOf(release.cohortId).find((r) => (r.exerciseId ?? ALL_EXERCISES) === key) ?? { ...release };
  }

  async releases(cohortId: string): Promise<Release[]> {
    return this.releasesOf(cohortId);
  }

  private releasesOf(cohortId: string): Release[] {
    return this.statements.releases.all(cohortId).map((r) => ({ cohortId: r.cohort_id, exerciseId: r.exercise_id === ALL_EXERCISES ? null : r.exercise_id, releasedAt: r.released_at }));
  }

  async withdrawRelease(cohortId: string, exerciseId: string | null): Promise<boolean> {
    return this.statements.deleteRelease.run(cohortId, exerciseId ?? ALL_EXERCISES).changes > 0;
  }

  async cohortClock(cohortId: string): Promise<CohortClock | null> {
    const row = this.statements.cohortClock.get(cohortId);
    if (row === undefined) return null;
    return { cohortId: row.cohort_id, pace: row.pace === null || row.pace === 'paced' ? row.pace : Number(row.pace), paused: row.paused === 1, since: row.since };
  }

  async setCohortClock(clock: CohortClock): Promise<void> {
    this.statements.upsertCohortClock.run(clock.cohortId, clock.pace === null ? null : String(clock.pace), clock.paused ? 1 : 0, clock.since);
  }

  private attemptsTaken = 0;

  async takeAttempt(key: string, nowMs: number, windowMs: number, max: number): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const cutoff = nowMs - windowMs;
        // Old attempts go: this key's at once, everyone's now and then, so the table stays the size of one window.
        this.statements.pruneKey.run(key, cutoff);
        this.attemptsTaken += 1;
        if (this.attemptsTaken % 1_000 === 0) this.statements.pruneAll.run(cutoff);
        if ((this.statements.countAttempts.get(key, cutoff)?.n ?? 0) >= max) return false;
        this.statements.insertAttempt.run(key, nowMs);
        return true;
      })
      .immediate();
  }

  async clearAttempts(key: string): Promise<void> {
    this.statements.clearAttempts.run(key);
  }

  async improvementPlan(cohortId: string): Promise<ImprovementPlanRow[]> {
    return this.statements.planRows.all(cohortId).map(toPlanRow);
  }

  async replaceImprovementPlan(cohortId: string, rows: readonly NewPlanRow[], now: string): Promise<ImprovementPlanRow[]> {
    this.db
      .transaction(() => {
        const before = new Map(this.statements.planRows.all(cohortId).map((r) => [r.id, r]));
        this.statements.deletePlan.run(cohortId);
        rows.forEach((row, position) => {
          const old = before.get(row.id);
          if (old === undefined && this.statements.planRowById.get(row.id) !== undefined) throw new StoreConflictError(`plan row ${row.id} belongs to another cohort`);
          const same = old !== undefined && old.action === row.action && old.capability === row.capability && old.owner === row.owner && old.due === row.due;
          this.statements.insertPlanRow.run({ ...row, cohortId, position, createdAt: old?.created_at ?? now, updatedAt: same ? old.updated_at : now });
        });
      })
      .immediate();
    return this.statements.planRows.all(cohortId).map(toPlanRow);
  }

  async resetPassword(userId: string, passwordHash: string): Promise<number | null> {
    return this.db
      .transaction((): number | null => {
        if (this.statements.resetPassword.run(passwordHash, userId).changes === 0) return null;
        return this.statements.deleteAllTokens.run(userId).changes;
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
