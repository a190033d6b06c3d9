// Accounts, bearer tokens and cohorts for the classroom server (issue 6). Kept apart from the event store:
// the log of a session never depends on who may read it. Tokens are stored as hashes only.
export const ROLES = ['instructor', 'trainee'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  /** The sign-in name (a short handle). */
  name: string;
  role: Role;
  createdAt: string;
  /** How the instructor's screens name the trainee ("Officer Jones"), when they gave one. */
  displayName?: string;
  /** Set after an instructor reset the password: the one-time password must be changed before anything else. */
  mustChangePassword?: true;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

export interface Cohort {
  id: string;
  name: string;
  instructorId: string;
  joinCode: string;
  createdAt: string;
}

/** An exercise an instructor uploaded (its text is validated before it is stored). */
export interface StoredExercise {
  id: string;
  instructorId: string;
  fileName: string;
  text: string;
  createdAt: string;
}

/** How a cohort may take an exercise (DESIGN §10): in practice, in assessment, or both. */
export const ASSIGNMENT_MODES = ['practice', 'assessment', 'both'] as const;
export const PRACTICE_DEBRIEFS = ['on-release', 'at-close'] as const;
export type PracticeDebrief = (typeof PRACTICE_DEBRIEFS)[number];
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export interface Assignment {
  cohortId: string;
  exerciseId: string;
  assignedAt: string;
  mode: AssignmentMode;
  /** Assessment attempts each trainee has (before any the instructor grants one by one). */
  attempts: number;
  /** When a practice session's trainee reads its debrief: once the tip is closed, or once the instructor releases it. */
  practiceDebrief: PracticeDebrief;
}

/** An assignment as asked for: `mode` defaults to both, `attempts` to 1, `practiceDebrief` to on-release. */
export type NewAssignment = Omit<Assignment, 'mode' | 'attempts' | 'practiceDebrief'> & Partial<Pick<Assignment, 'mode' | 'attempts' | 'practiceDebrief'>>;

/** One more assessment attempt of an exercise that an instructor granted a trainee of a cohort. */
export interface AttemptGrant {
  cohortId: string;
  exerciseId: string;
  traineeId: string;
  grantedAt: string;
  grantedBy: string;
}

/**
 * A cohort's assessment clock (DESIGN §10): `pace` overrides its exercises' own (`paced`, or a factor: 6 is
 * six simulated minutes per real minute; null keeps each exercise's), `paused` stops a paced-by-factor
 * clock, and `since` is the wall-clock moment this setting took effect (real time before it is not counted).
 */
export interface CohortClock {
  cohortId: string;
  pace: 'paced' | number | null;
  paused: boolean;
  since: string;
}

/** A debrief release: exerciseId null releases every exercise of the cohort. */
export interface Release {
  cohortId: string;
  exerciseId: string | null;
  releasedAt: string;
}

/**
 * What deleting an upload did: nothing when it is not this instructor's (or does not exist), or when some of
 * their cohorts still have it assigned (those cohorts are named).
 */
export type ExerciseDeletion = { deleted: true } | { deleted: false; reason: 'not-found' } | { deleted: false; reason: 'assigned'; cohorts: Cohort[] };

/** A row of a cohort's improvement plan (HSEEP AAR/IP, DESIGN §14): a corrective action the instructor agreed. */
export interface ImprovementPlanRow {
  id: string;
  cohortId: string;
  action: string;
  capability: string;
  owner: string;
  /** A calendar date, YYYY-MM-DD, or null when not set yet. */
  due: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A plan row as the instructor saves it (the store keeps the times). */
export type NewPlanRow = Pick<ImprovementPlanRow, 'id' | 'action' | 'capability' | 'owner' | 'due'>;

export interface NewUser {
  id: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  displayName?: string;
}

export interface AccountStore {
  /** Throws StoreConflictError when the name is taken. */
  createUser(user: NewUser): Promise<User>;
  /** Creates a trainee and makes it a member of the cohort, both or neither. */
  createMember(user: NewUser, cohortId: string): Promise<User>;
  getUser(id: string): Promise<User | null>;
  findUserByName(name: string): Promise<UserWithPassword | null>;
  countUsers(role?: Role): Promise<number>;
  /** Every account with its password hash, oldest first (for `tipflow db copy`). */
  listUsers(): Promise<UserWithPassword[]>;

  createToken(token: { hash: string; userId: string; createdAt: string; expiresAt: string }): Promise<void>;
  /** The user a token hash belongs to, if the token has not expired at `now` (ISO). */
  userForToken(hash: string, now: string): Promise<User | null>;
  deleteToken(hash: string): Promise<void>;
  /**
   * Sets a new password and ends every other sign-in of the user (all their tokens but `keepHash`), in one
   * transaction: whoever knew the old password is signed out. Returns how many tokens were ended.
   */
  changePassword(userId: string, passwordHash: string, keepHash: string): Promise<number>;

  /** Throws StoreConflictError when the join code is taken. */
  createCohort(cohort: Cohort): Promise<Cohort>;
  getCohort(id: string): Promise<Cohort | null>;
  cohortByJoinCode(code: string): Promise<Cohort | null>;
  cohortsOfInstructor(instructorId: string): Promise<Cohort[]>;
  cohortsOfMember(userId: string): Promise<Cohort[]>;
  /** Every cohort, oldest first (for `tipflow db copy`). */
  listCohorts(): Promise<Cohort[]>;
  addMember(cohortId: string, userId: string): Promise<void>;
  members(cohortId: string): Promise<User[]>;

  /** Throws StoreConflictError when this instructor already has an exercise with this id (ids are per instructor). */
  createExercise(exercise: StoredExercise): Promise<StoredExercise>;
  /** An instructor's upload by its id; another instructor's exercise of the same id is not theirs. */
  getExercise(instructorId: string, id: string): Promise<StoredExercise | null>;
  exercisesOfInstructor(instructorId: string): Promise<StoredExercise[]>;
  /**
   * Deletes an instructor's upload unless one of their cohorts has it assigned, checked in the same
   * transaction. Sessions started from it keep their own copy of its text; its releases are kept.
   */
  deleteExercise(instructorId: string, exerciseId: string): Promise<ExerciseDeletion>;
  /** Assigning again keeps the first time and takes the new mode and attempts. */
  assign(assignment: NewAssignment): Promise<Assignment>;
  assignments(cohortId: string): Promise<Assignment[]>;
  /** Takes an exercise off a cohort (sessions already started keep going); false when it was not assigned. */
  unassign(cohortId: string, exerciseId: string): Promise<boolean>;
  /** Keeps one more assessment attempt for a trainee (each grant is its own row, never changed). */
  grantAttempt(grant: AttemptGrant): Promise<AttemptGrant>;
  /** The attempts granted in a cohort, oldest first. */
  grants(cohortId: string): Promise<AttemptGrant[]>;
  /** Idempotent: releasing twice keeps the first time. */
  release(release: Release): Promise<Release>;
  releases(cohortId: string): Promise<Release[]>;
  /** Withdraws a release (exerciseId null: the release of every exercise, not the others); false when there was none. */
  withdrawRelease(cohortId: string, exerciseId: string | null): Promise<boolean>;
  /** The cohort's clock setting, or null when the instructor never set one (each exercise's own pace, running). */
  cohortClock(cohortId: string): Promise<CohortClock | null>;
  setCohortClock(clock: CohortClock): Promise<void>;
  /**
   * Takes one attempt (a login, a join code, a password change) for `key`, counted atomically in the store (one
   * statement or transaction), so a restart does not forget it and attempts on every server instance count: false, and nothing recorded, when `max` attempts were
   * already taken within `windowMs` before `nowMs`.
   */
  takeAttempt(key: string, nowMs: number, windowMs: number, max: number): Promise<boolean>;
  /** A cohort's improvement plan, in the instructor's order. */
  improvementPlan(cohortId: string): Promise<ImprovementPlanRow[]>;
  /**
   * Replaces a cohort's plan with `rows`, in that order, in one transaction (`now` is ISO): a row whose id
   * the plan had keeps its createdAt, and its updatedAt unless it changed. Ids are the caller's; an id of
   * another cohort's row is a StoreConflictError. Returns the plan as stored.
   */
  replaceImprovementPlan(cohortId: string, rows: readonly NewPlanRow[], now: string): Promise<ImprovementPlanRow[]>;
  /** Forgets the attempts of a key (a login succeeded). */
  clearAttempts(key: string): Promise<void>;
  /**
   * Sets a one-time password (an instructor's reset): it must be changed at the next sign-in, and every
   * sign-in of the user ends, in one transaction. Returns how many tokens were ended; null for no such user.
   */
  resetPassword(userId: string, passwordHash: string): Promise<number | null>;
  close(): Promise<void>;
}
