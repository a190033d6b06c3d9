// The PostgreSQL account store: users, token hashes, cohorts, uploads, assignments, grants, releases, clocks
// and attempts, with the same checks and errors as the SQLite one (sqlite-accounts.ts), shared by every
// instance on the database.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { AccountStore, Assignment, AssignmentMode, AttemptGrant, Cohort, CohortClock, ExerciseDeletion, ImprovementPlanRow, NewAssignment, NewPlanRow, NewUser, PracticeDebrief, Release, Role, StoredExercise, User, UserWithPassword } from './account-store.js';
import { StoreConflictError } from './event-store.js';
import { inTransaction, isUniqueViolation, openPgPool, type PgOptions } from './pg-database.js';

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  display_name: string | null;
  must_change_password: boolean;
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

const ALL_EXERCISES = '*';
/** An attempt key as stored: its UTF-8 bytes (the server joins its parts with NUL, which TEXT cannot hold). */
const attemptKey = (key: string): Buffer => Buffer.from(key, 'utf8');
/** The advisory lock of one key, the same on every instance: the first 8 bytes of its SHA-256, signed. */
const lockOf = (key: Buffer): string => createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
  ...(row.display_name === null ? {} : { displayName: row.display_name }),
  ...(row.must_change_password ? { mustChangePassword: true as const } : {}),
});
const toPlanRow = (r: PlanRowRow): ImprovementPlanRow => ({ id: r.id, cohortId: r.cohort_id, action: r.action, capability: r.capability, owner: r.owner, due: r.due, createdAt: r.created_at, updatedAt: r.updated_at });
/** The user as created: what `createUser` and `createMember` answer. */
const createdUser = (user: NewUser): User => ({ id: user.id, name: user.name, role: user.role, createdAt: user.createdAt, ...(user.displayName === undefined ? {} : { displayName: user.displayName }) });
const toCohort = (row: CohortRow): Cohort => ({ id: row.id, name: row.name, instructorId: row.instructor_id, joinCode: row.join_code, createdAt: row.created_at });
const toExercise = (row: ExerciseRow): StoredExercise => ({ id: row.id, instructorId: row.instructor_id, fileName: row.file_name, text: row.text, createdAt: row.created_at });
const COHORT_COLUMNS = 'c.id, c.name, c.instructor_id, c.join_code, c.created_at';
const USER_COLUMNS = 'u.id, u.name, u.role, u.password_hash, u.created_at, u.display_name, u.must_change_password';

/** How many attempts are taken between two sweeps of every key's old ones. */
const PRUNE_EVERY = 1_000;

export class PgAccountStore implements AccountStore {
  private attemptsTaken = 0;

  /** Opens its own pool on `connectionString` (migrating the database); closing the store ends it. */
  static async open(connectionString: string, options: PgOptions = {}): Promise<PgAccountStore> {
    return new PgAccountStore(await openPgPool(connectionString, options), true);
  }

  /** On a migrated pool (openPgPool); `ownsPool`: close() ends it. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool = false,
  ) {}

  async createUser(user: NewUser): Promise<User> {
    await this.insertUser(this.pool, user);
    return createdUser(user);
  }

  async createMember(user: NewUser, cohortId: string): Promise<User> {
    return inTransaction(this.pool, async (client) => {
      await this.insertUser(client, user);
      await client.query('INSERT INTO memberships (cohort_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [cohortId, user.id]);
      return createdUser(user);
    });
  }

  async getUser(id: string): Promise<User | null> {
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
    return row === undefined ? null : toUser(row);
  }

  async findUserByName(name: string): Promise<UserWithPassword | null> {
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE name = $1', [name])).rows[0];
    return row === undefined ? null : { ...toUser(row), passwordHash: row.password_hash };
  }

  async countUsers(role?: Role): Promise<number> {
    const result = role === undefined ? await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM users') : await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM users WHERE role = $1', [role]);
    return result.rows[0]?.n ?? 0;
  }

  async listUsers(): Promise<UserWithPassword[]> {
    return (await this.pool.query<UserRow>('SELECT * FROM users ORDER BY created_at, id')).rows.map((row) => ({ ...toUser(row), passwordHash: row.password_hash }));
  }

  async createToken(token: { hash: string; userId: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.pool.query('INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [token.hash, token.userId, token.createdAt, token.expiresAt]);
  }

  async userForToken(hash: string, now: string): Promise<User | null> {
    const row = (await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND t.expires_at > $2`, [hash, now])).rows[0];
    return row === undefined ? null : toUser(row);
  }

  async deleteToken(hash: string): Promise<void> {
    await this.pool.query('DELETE FROM tokens WHERE hash = $1', [hash]);
  }

  async changePassword(userId: string, passwordHash: string, keepHash: string): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      await client.query('UPDATE users SET password_hash = $1, must_change_password = FALSE WHERE id = $2', [passwordHash, userId]);
      return (await client.query('DELETE FROM tokens WHERE user_id = $1 AND hash != $2', [userId, keepHash])).rowCount ?? 0;
    });
  }

  async createCohort(cohort: Cohort): Promise<Cohort> {
    try {
      await this.pool.query('INSERT INTO cohorts (id, name, instructor_id, join_code, created_at) VALUES ($1, $2, $3, $4, $5)', [cohort.id, cohort.name, cohort.instructorId, cohort.joinCode, cohort.createdAt]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreConflictError('the cohort id or join code is taken');
      throw error;
    }
    return { ...cohort };
  }

  async getCohort(id: string): Promise<Cohort | null> {
    const row = (await this.pool.query<CohortRow>('SELECT * FROM cohorts WHERE id = $1', [id])).rows[0];
    return row === undefined ? null : toCohort(row);
  }

  async cohortByJoinCode(code: string): Promise<Cohort | null> {
    const row = (await this.pool.query<CohortRow>('SELECT * FROM cohorts WHERE join_code = $1', [code])).rows[0];
    return row === undefined ? null : toCohort(row);
  }

  async cohortsOfInstructor(instructorId: string): Promise<Cohort[]> {
    return (await this.pool.query<CohortRow>('SELECT * FROM cohorts WHERE instructor_id = $1 ORDER BY created_at, id', [instructorId])).rows.map(toCohort);
  }

  async cohortsOfMember(userId: string): Promise<Cohort[]> {
    return (await this.pool.query<CohortRow>(`SELECT ${COHORT_COLUMNS} FROM memberships m JOIN cohorts c ON c.id = m.cohort_id WHERE m.user_id = $1 ORDER BY c.created_at, c.id`, [userId])).rows.map(toCohort);
  }

  async listCohorts(): Promise<Cohort[]> {
    return (await this.pool.query<CohortRow>('SELECT * FROM cohorts ORDER BY created_at, id')).rows.map(toCohort);
  }

  async addMember(cohortId: string, userId: string): Promise<void> {
    await this.pool.query('INSERT INTO memberships (cohort_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [cohortId, userId]);
  }

  async members(cohortId: string): Promise<User[]> {
    return (await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.cohort_id = $1 ORDER BY u.name`, [cohortId])).rows.map(toUser);
  }

  async createExercise(exercise: StoredExercise): Promise<StoredExercise> {
    try {
      await this.pool.query('INSERT INTO exercises (id, instructor_id, file_name, text, created_at) VALUES ($1, $2, $3, $4, $5)', [exercise.id, exercise.instructorId, exercise.fileName, exercise.text, exercise.createdAt]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreConflictError(`you already have an exercise with the id ${exercise.id}`);
      throw error;
    }
    return { ...exercise };
  }

  async getExercise(instructorId: string, id: string): Promise<StoredExercise | null> {
    const row = (await this.pool.query<ExerciseRow>('SELECT * FROM exercises WHERE instructor_id = $1 AND id = $2', [instructorId, id])).rows[0];
    return row === undefined ? null : toExercise(row);
  }

  async exercisesOfInstructor(instructorId: string): Promise<StoredExercise[]> {
    return (await this.pool.query<ExerciseRow>('SELECT * FROM exercises WHERE instructor_id = $1 ORDER BY created_at, id', [instructorId])).rows.map(toExercise);
  }

  async deleteExercise(instructorId: string, exerciseId: string): Promise<ExerciseDeletion> {
    return inTransaction(this.pool, async (client): Promise<ExerciseDeletion> => {
      // Locked, so an assignment made meanwhile by another instance waits for this answer.
      const stored = (await client.query('SELECT 1 FROM exercises WHERE instructor_id = $1 AND id = $2 FOR UPDATE', [instructorId, exerciseId])).rowCount;
      if (stored !== 1) return { deleted: false, reason: 'not-found' };
      const cohorts = (
        await client.query<CohortRow>(`SELECT ${COHORT_COLUMNS} FROM assignments a JOIN cohorts c ON c.id = a.cohort_id WHERE a.exercise_id = $1 AND c.instructor_id = $2 ORDER BY c.created_at, c.id`, [exerciseId, instructorId])
      ).rows.map(toCohort);
      if (cohorts.length > 0) return { deleted: false, reason: 'assigned', cohorts };
      await client.query('DELETE FROM exercises WHERE id = $1 AND instructor_id = $2', [exerciseId, instructorId]);
      return { deleted: true };
    });
  }

  async assign(assignment: NewAssignment): Promise<Assignment> {
    const full: Assignment = { ...assignment, mode: assignment.mode ?? 'both', attempts: assignment.attempts ?? 1, practiceDebrief: assignment.practiceDebrief ?? 'on-release' };
    const row = (
      await this.pool.query<AssignmentRow>(
        'INSERT INTO assignments (cohort_id, exercise_id, assigned_at, mode, attempts, practice_debrief) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (cohort_id, exercise_id) DO UPDATE SET mode = excluded.mode, attempts = excluded.attempts, practice_debrief = excluded.practice_debrief RETURNING *',
        [full.cohortId, full.exerciseId, full.assignedAt, full.mode, full.attempts, full.practiceDebrief],
      )
    ).rows[0];
    return row === undefined ? full : toAssignment(row);
  }

  async assignments(cohortId: string): Promise<Assignment[]> {
    return (await this.pool.query<AssignmentRow>('SELECT * FROM assignments WHERE cohort_id = $1 ORDER BY assigned_at, exercise_id', [cohortId])).rows.map(toAssignment);
  }

  async unassign(cohortId: string, exerciseId: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM assignments WHERE cohort_id = $1 AND exercise_id = $2', [cohortId, exerciseId])).rowCount === 1;
  }

  async grantAttempt(grant: AttemptGrant): Promise<AttemptGrant> {
    await this.pool.query('INSERT INTO attempt_grants (cohort_id, exercise_id, trainee_id, granted_at, granted_by) VALUES ($1, $2, $3, $4, $5)', [grant.cohortId, grant.exerciseId, grant.traineeId, grant.grantedAt, grant.grantedBy]);
    return { ...grant };
  }

  async grants(cohortId: string): Promise<AttemptGrant[]> {
    const rows = (await this.pool.query<{ cohort_id: string; exercise_id: string; trainee_id: string; granted_at: string; granted_by: string }>('SELECT * FROM attempt_grants WHERE cohort_id = $1 ORDER BY granted_at, n', [cohortId])).rows;
    return rows.map((r) => ({ cohortId: r.cohort_id, exerciseId: r.exercise_id, traineeId: r.trainee_id, grantedAt: r.granted_at, grantedBy: r.granted_by }));
  }

  async release(release: Release): Promise<Release> {
    const key = release.exerciseId ?? ALL_EXERCISES;
    await this.pool.query('INSERT INTO releases (cohort_id, exercise_id, released_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [release.cohortId, key, release.releasedAt]);
    return (await this.releases(release.cohortId)).find((r) => (r.exerciseId ?? ALL_EXERCISES) === key) ?? { ...release };
  }

  async releases(cohortId: string): Promise<Release[]> {
    const rows = (await this.pool.query<{ cohort_id: string; exercise_id: string; released_at: string }>('SELECT * FROM releases WHERE cohort_id = $1 ORDER BY released_at, exercise_id', [cohortId])).rows;
    return rows.map((r) => ({ cohortId: r.cohort_id, exerciseId: r.exercise_id === ALL_EXERCISES ? null : r.exercise_id, releasedAt: r.released_at }));
  }

  async withdrawRelease(cohortId: string, exerciseId: string | null): Promise<boolean> {
    return (await this.pool.query('DELETE FROM releases WHERE cohort_id = $1 AND exercise_id = $2', [cohortId, exerciseId ?? ALL_EXERCISES])).rowCount === 1;
  }

  async cohortClock(cohortId: string): Promise<CohortClock | null> {
    const row = (await this.pool.query<{ cohort_id: string; pace: string | null; paused: boolean; since: string }>('SELECT * FROM cohort_clocks WHERE cohort_id = $1', [cohortId])).rows[0];
    if (row === undefined) return null;
    return { cohortId: row.cohort_id, pace: row.pace === null || row.pace === 'paced' ? row.pace : Number(row.pace), paused: row.paused, since: row.since };
  }

  async setCohortClock(clock: CohortClock): Promise<void> {
    await this.pool.query(
      'INSERT INTO cohort_clocks (cohort_id, pace, paused, since) VALUES ($1, $2, $3, $4) ON CONFLICT (cohort_id) DO UPDATE SET pace = excluded.pace, paused = excluded.paused, since = excluded.since',
      [clock.cohortId, clock.pace === null ? null : String(clock.pace), clock.paused, clock.since],
    );
  }

  /**
   * One transaction holding a lock on the key (every instance takes the same one), so two attempts at once
   * cannot both see room for one more.
   */
  async takeAttempt(key: string, nowMs: number, windowMs: number, max: number): Promise<boolean> {
    this.attemptsTaken += 1;
    const sweep = this.attemptsTaken % PRUNE_EVERY === 0;
    const bytes = attemptKey(key);
    return inTransaction(this.pool, async (client) => {
      const cutoff = nowMs - windowMs;
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockOf(bytes)]);
      // Old attempts go: this key's at once, everyone's now and then, so the table stays the size of one window.
      await client.query('DELETE FROM attempts WHERE key = $1 AND at_ms <= $2', [bytes, cutoff]);
      if (sweep) await client.query('DELETE FROM attempts WHERE at_ms <= $1', [cutoff]);
      const taken = (await client.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM attempts WHERE key = $1 AND at_ms > $2', [bytes, cutoff])).rows[0]?.n ?? 0;
      if (taken >= max) return false;
      await client.query('INSERT INTO attempts (key, at_ms) VALUES ($1, $2)', [bytes, nowMs]);
      return true;
    });
  }

  async clearAttempts(key: string): Promise<void> {
    await this.pool.query('DELETE FROM attempts WHERE key = $1', [attemptKey(key)]);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  async resetPassword(userId: string, passwordHash: string): Promise<number | null> {
    return inTransaction(this.pool, async (client) => {
      if (((await client.query('UPDATE users SET password_hash = $1, must_change_password = TRUE WHERE id = $2', [passwordHash, userId])).rowCount ?? 0) === 0) return null;
      return (await client.query('DELETE FROM tokens WHERE user_id = $1', [userId])).rowCount ?? 0;
    });
  }

  async improvementPlan(cohortId: string): Promise<ImprovementPlanRow[]> {
    return (await this.pool.query<PlanRowRow>('SELECT * FROM improvement_plan WHERE cohort_id = $1 ORDER BY position', [cohortId])).rows.map(toPlanRow);
  }

  async replaceImprovementPlan(cohortId: string, rows: readonly NewPlanRow[], now: string): Promise<ImprovementPlanRow[]> {
    return inTransaction(this.pool, async (client) => {
      // The cohort's plan is replaced by one instructor at a time: the cohort's row is the lock.
      await client.query('SELECT id FROM cohorts WHERE id = $1 FOR UPDATE', [cohortId]);
      const before = new Map((await client.query<PlanRowRow>('SELECT * FROM improvement_plan WHERE cohort_id = $1', [cohortId])).rows.map((r) => [r.id, r]));
      await client.query('DELETE FROM improvement_plan WHERE cohort_id = $1', [cohortId]);
      for (const [position, row] of rows.entries()) {
        const old = before.get(row.id);
        if (old === undefined && (await client.query('SELECT 1 FROM improvement_plan WHERE id = $1', [row.id])).rowCount !== 0) throw new StoreConflictError(`plan row ${row.id} belongs to another cohort`);
        const same = old !== undefined && old.action === row.action && old.capability === row.capability && old.owner === row.owner && old.due === row.due;
        await client.query('INSERT INTO improvement_plan (id, cohort_id, position, action, capability, owner, due, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          row.id,
          cohortId,
          position,
          row.action,
          row.capability,
          row.owner,
          row.due,
          old?.created_at ?? now,
          same ? old.updated_at : now,
        ]);
      }
      return (await client.query<PlanRowRow>('SELECT * FROM improvement_plan WHERE cohort_id = $1 ORDER BY position', [cohortId])).rows.map(toPlanRow);
    });
  }

  private async insertUser(client: pg.Pool | pg.PoolClient, user: NewUser): Promise<void> {
    try {
      await client.query('INSERT INTO users (id, name, role, password_hash, created_at, display_name) VALUES ($1, $2, $3, $4, $5, $6)', [user.id, user.name, user.role, user.passwordHash, user.createdAt, user.displayName ?? null]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreConflictError(`the name ${user.name} is taken`);
      throw error;
    }
  }
}

interface AssignmentRow {
  cohort_id: string;
  exercise_id: string;
  assigned_at: string;
  mode: AssignmentMode;
  attempts: number;
  practice_debrief: PracticeDebrief;
}
const toAssignment = (r: AssignmentRow): Assignment => ({ cohortId: r.cohort_id, exerciseId: r.exercise_id, assignedAt: r.assigned_at, mode: r.mode, attempts: r.attempts, practiceDebrief: r.practice_debrief });
