// Cohorts (instructors only): create and list them, see each trainee's sessions, assign exercises (and take
// them off), release debriefs (and withdraw them), download the results, and follow the class as a
// server-sent event stream.
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { freeString } from '../domain/tip/schema.js';
import type { Engine, RoutingSession } from '../engine/index.js';
import { gradeSession, type Debrief } from '../scenario/debrief.js';
import { ASSIGNMENT_MODES, PRACTICE_DEBRIEFS, type AccountStore, type Assignment, type Cohort, type Release, type User } from '../store/account-store.js';
import type { Attempts } from './attempts.js';
import { StoreConflictError, type EventStore, type StoredSession } from '../store/event-store.js';
import { authOf } from './auth.js';
import { publicCohort } from './cohort-view.js';
import type { ExerciseCatalog } from './exercise-routes.js';
import { EXERCISE_ID, HttpError, ID_PARAM, notFound, parse } from './http-errors.js';
import type { LiveSessions } from './live-sessions.js';
import { newId, newJoinCode } from './passwords.js';
import { resultRows, resultsCsv } from './results.js';
import { current, summaryOf } from './session-lists.js';
import type { Streams } from './streams.js';

const cohortSchema = z.strictObject({ name: freeString });
const assignSchema = z.strictObject({
  exerciseId: EXERCISE_ID,
  mode: z.enum(ASSIGNMENT_MODES, { error: 'practice, assessment or both' }).default('both'),
  attempts: z.int({ error: 'a whole number of assessment attempts, 1 to 20' }).min(1, { error: 'at least 1 attempt' }).max(20, { error: 'at most 20 attempts' }).default(1),
  // A practice debrief at the tip's close, without a release (assessments always wait for the release).
  practiceDebrief: z.enum(PRACTICE_DEBRIEFS, { error: 'on-release or at-close' }).default('on-release'),
});
const grantSchema = z.strictObject({ traineeId: z.string().regex(ID_PARAM, { error: "a trainee's id" }) });
const publicAssignment = (a: Assignment) => ({ exerciseId: a.exerciseId, assignedAt: a.assignedAt, mode: a.mode, attempts: a.attempts, practiceDebrief: a.practiceDebrief });
/** The release's input: a JSON body to POST, the query of a DELETE (whose body some clients drop). */
const releaseSchema = z.strictObject({ exerciseId: EXERCISE_ID.optional() });

const publicRelease = (r: Release) => ({ exerciseId: r.exerciseId, releasedAt: r.releasedAt });
const isEmptyObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

/** The caller's own cohort; throws the API's 404 otherwise. */
export type OwnCohort = (user: User, id: unknown) => Promise<Cohort>;

export function ownCohortIn(accounts: AccountStore): OwnCohort {
  /** The caller's own cohort, or 404. */
  return async function ownCohort(user: User, id: unknown): Promise<Cohort> {
    const cohort = typeof id === 'string' && ID_PARAM.test(id) ? await accounts.getCohort(id) : null;
    if (cohort === null || cohort.instructorId !== user.id) throw notFound();
    return cohort;
  };
}

export interface CohortRouteDeps extends Pick<LiveSessions, 'liveSession' | 'exerciseOfSession'>, Pick<ExerciseCatalog, 'exerciseOfInstructor' | 'isBundled'>, Pick<Streams, 'openStream' | 'notice'> {
  engine: Engine;
  events: EventStore;
  accounts: AccountStore;
  now: () => number;
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
  ownCohort: OwnCohort;
  attempts: Attempts;
}

export function registerCohortRoutes(app: Express, deps: CohortRouteDeps): void {
  const { engine, events, accounts, now, authenticate, instructorOnly, ownCohort, liveSession, exerciseOfSession, exerciseOfInstructor, isBundled, openStream, notice, attempts } = deps;

  app.post('/api/cohorts', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const body = parse(cohortSchema, req.body);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        const cohort = await accounts.createCohort({ id: newId(), name: body.name, instructorId: user.id, joinCode: newJoinCode(), createdAt: new Date(now()).toISOString() });
        res.status(201).json({ cohort: publicCohort(cohort, user) });
        return;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
    throw new Error('could not find a free join code');
  });

  app.get('/api/cohorts', authenticate, instructorOnly, async (_req, res) => {
    const { user } = authOf(res);
    res.json({ cohorts: (await accounts.cohortsOfInstructor(user.id)).map((c) => publicCohort(c, user)) });
  });

  app.get('/api/cohorts/:id/sessions', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const cohort = await ownCohort(user, req.params.id);
    const members = await accounts.members(cohort.id);
    const sessionsOf = async (ownerId: string) => Promise.all(current(await events.listSessions({ owner: ownerId })).map(async (s) => summaryOf(s, await liveSession(s))));
    res.json({
      cohort: publicCohort(cohort, user),
      trainees: await Promise.all(members.map(async (m) => ({ id: m.id, name: m.name, sessions: await sessionsOf(m.id) }))),
    });
  });

  app.post('/api/cohorts/:id/assignments', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const cohort = await ownCohort(user, req.params.id);
    const body = parse(assignSchema, req.body);
    if ((await exerciseOfInstructor(user.id, body.exerciseId)) === null) throw new HttpError(404, { error: 'no such exercise' });
    // Assigning again changes the mode and attempts; the assignment keeps its first time (one upsert in the store).
    const assignment = await accounts.assign({ cohortId: cohort.id, exerciseId: body.exerciseId, assignedAt: new Date(now()).toISOString(), mode: body.mode, attempts: body.attempts, practiceDebrief: body.practiceDebrief });
    // An upload deleted meanwhile (its deletion checks the assignments in its transaction, before this one was
    // stored): the assignment is taken back, so no cohort keeps an exercise that is gone.
    if (!isBundled(body.exerciseId) && (await accounts.getExercise(user.id, body.exerciseId)) === null) {
      await accounts.unassign(cohort.id, body.exerciseId);
      throw new HttpError(404, { error: 'no such exercise' });
    }
    res.status(201).json({ assignment: publicAssignment(assignment) });
  });

  // One more assessment attempt for one trainee: a retake needs the instructor (every attempt is kept).
  app.post('/api/cohorts/:id/assignments/:exerciseId/grants', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const cohort = await ownCohort(user, req.params.id);
    const exerciseId = parse(EXERCISE_ID, req.params.exerciseId);
    const body = parse(grantSchema, req.body);
    const assignment = (await accounts.assignments(cohort.id)).find((a) => a.exerciseId === exerciseId);
    if (assignment === undefined) throw new HttpError(404, { error: 'that exercise is not assigned to this cohort' });
    if (assignment.mode === 'practice') throw new HttpError(409, { error: 'that exercise is assigned for practice only: it has no assessment attempts to grant' });
    const trainee = (await accounts.members(cohort.id)).find((m) => m.id === body.traineeId);
    if (trainee === undefined) throw new HttpError(404, { error: 'no such trainee in this cohort' });
    const grant = await accounts.grantAttempt({ cohortId: cohort.id, exerciseId, traineeId: trainee.id, grantedAt: new Date(now()).toISOString(), grantedBy: user.id });
    res.status(201).json({ grant: { exerciseId, traineeId: trainee.id, grantedAt: grant.grantedAt }, attempts: (await attempts.policyFor(trainee, exerciseId)).attempts });
  });

  // Taking an exercise off a cohort: trainees no longer see it; sessions already started keep going.
  app.delete('/api/cohorts/:id/assignments/:exerciseId', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    const exercise = parse(EXERCISE_ID, req.params.exerciseId);
    if (!(await accounts.unassign(cohort.id, exercise))) throw new HttpError(404, { error: 'that exercise is not assigned to this cohort' });
    res.status(204).end();
  });

  app.get('/api/cohorts/:id/assignments', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    res.json({ assignments: (await accounts.assignments(cohort.id)).map(publicAssignment) });
  });

  /** Whether the cohort's trainees started sessions from an exercise: an upload deleted since still has debriefs to release. */
  async function startedInCohort(cohortId: string, exercise: string): Promise<boolean> {
    for (const m of await accounts.members(cohortId)) if ((await events.listSessions({ owner: m.id, exerciseId: exercise })).length > 0) return true;
    return false;
  }

  app.post('/api/cohorts/:id/release', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const cohort = await ownCohort(user, req.params.id);
    const body = parse(releaseSchema, req.body ?? {});
    if (body.exerciseId !== undefined && (await exerciseOfInstructor(user.id, body.exerciseId)) === null && !(await startedInCohort(cohort.id, body.exerciseId))) throw new HttpError(404, { error: 'no such exercise' });
    // Releasing twice keeps the first time: one INSERT OR IGNORE in the store, whoever is first.
    const release = await accounts.release({ cohortId: cohort.id, exerciseId: body.exerciseId ?? null, releasedAt: new Date(now()).toISOString() });
    notice({ kind: 'released', cohortId: cohort.id, exerciseId: release.exerciseId });
    res.status(201).json({ release: publicRelease(release), releases: (await accounts.releases(cohort.id)).map(publicRelease) });
  });

  app.get('/api/cohorts/:id/releases', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    res.json({ releases: (await accounts.releases(cohort.id)).map(publicRelease) });
  });

  // Withdrawing a release: the trainees' debriefs are closed to them again (403) until the next release.
  // Without exerciseId it withdraws the release of every exercise, and only that one, as POST stored it.
  app.delete('/api/cohorts/:id/release', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    // A body is refused rather than ignored: ignoring { exerciseId } would withdraw every exercise's release.
    if (req.body !== undefined && !isEmptyObject(req.body)) {
      throw new HttpError(400, { error: 'invalid request', issues: [{ path: '', message: 'no body: name the exercise in the query, ?exerciseId=<id>' }] });
    }
    const query = parse(releaseSchema, { ...req.query });
    if (!(await accounts.withdrawRelease(cohort.id, query.exerciseId ?? null))) {
      throw new HttpError(404, { error: query.exerciseId === undefined ? 'the debriefs of every exercise are not released to this cohort' : `the debriefs of ${query.exerciseId} are not released to this cohort` });
    }
    // An open trainee page checks again and hides a debrief no longer released.
    notice({ kind: 'withdrawn', cohortId: cohort.id, exerciseId: query.exerciseId ?? null });
    res.status(204).end();
  });

  /** The debrief of a stored session, or null when it has no exercise to grade against. */
  async function debriefOf(stored: StoredSession, session: RoutingSession): Promise<Debrief | null> {
    const exercise = await exerciseOfSession(stored);
    return exercise === null ? null : gradeSession(engine, exercise, session.toRecord());
  }

  async function cohortResults(user: User, id: unknown) {
    const cohort = await ownCohort(user, id);
    const sessions: { trainee: string; stored: StoredSession }[] = [];
    for (const m of await accounts.members(cohort.id)) for (const s of current(await events.listSessions({ owner: m.id }))) sessions.push({ trainee: m.name, stored: s });
    const rows = await Promise.all(
      sessions.map(async ({ trainee, stored }) => {
        const session = await liveSession(stored);
        return { trainee, stored, closed: session.closed, debrief: await debriefOf(stored, session) };
      }),
    );
    return resultRows(rows);
  }

  app.get('/api/cohorts/:id/results.json', authenticate, instructorOnly, async (req, res) => {
    res.json({ results: await cohortResults(authOf(res).user, req.params.id) });
  });

  app.get('/api/cohorts/:id/results.csv', authenticate, instructorOnly, async (req, res) => {
    const rows = await cohortResults(authOf(res).user, req.params.id);
    res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="results.csv"' }).send(resultsCsv(rows));
  });

  app.get('/api/cohorts/:id/stream', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const cohort = await ownCohort(user, req.params.id);
    const owners = new Map<string, boolean>();
    openStream(req, res, { cohortId: cohort.id }, async (appended) => {
      const owner = (await events.getSession(appended.sessionId))?.owner ?? null;
      if (owner === null) return false;
      // Membership never ends, so a yes is cached; a no is asked again (the trainee may join later).
      if (owners.get(owner) === true) return true;
      const member = (await accounts.cohortsOfMember(owner)).some((c) => c.id === cohort.id);
      if (member) owners.set(owner, true);
      return member;
    }, (n) => n.kind !== 'replaced' && n.cohortId === cohort.id);
  });
}
