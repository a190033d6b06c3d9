// Instructor routes for the live dashboard (issue 7): an exercise's injects (to send contingencies) and
// each trainee's progress (one grid row: phase, last decision, simulated time, rating so far). Registered
// by createApp with the helpers it already has, so roles and 404s follow the same rules as the rest.
import type { Express, RequestHandler, Response } from 'express';
import type { AttemptRow, InjectSummary, Progress, ReplayStep, TraineeProgress } from '../api/contract.js';
import { phaseOf, routingPath, type AuditRecord, type Engine, type RoutingSession } from '../engine/index.js';
import { gradeSession } from '../scenario/debrief.js';
import { DEFAULT_THRESHOLDS, type Exercise } from '../scenario/format.js';
import { describeDecision, ratingFor, type Verdict } from '../scenario/grading.js';
import { ACTOR_WORDS, eventWords, injectKindWords, outcomeWords, pointWords, refusedWords, stateWords } from '../scenario/plain-words.js';
import type { AccountStore, Cohort, User } from '../store/account-store.js';
import type { StoredSession } from '../store/event-store.js';
import type { ServerExercise } from './exercises.js';
import { notFound } from './http-errors.js';
import { injectsInLog } from './session-view.js';

export interface InstructorRouteDeps {
  engine: Engine;
  accounts: AccountStore;
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
  /** The stored session if the user may see it; throws the API's 404 otherwise. */
  readable: (user: User, id: unknown) => Promise<StoredSession>;
  /** The caller's own cohort; throws the API's 404 otherwise. */
  ownCohort: (user: User, id: unknown) => Promise<Cohort>;
  /** A bundled exercise or one of this instructor's uploads, or null. */
  exerciseOfInstructor: (instructorId: string, id: string) => Promise<ServerExercise | null>;
  liveSession: (stored: StoredSession) => Promise<RoutingSession>;
  exerciseOfSession: (stored: StoredSession) => Promise<Exercise | null>;
  /** A trainee's sessions, without those replaced by an undo, oldest first. */
  sessionsOf: (ownerId: string) => Promise<StoredSession[]>;
  /** Ids of the information-only injects delivered to a session (kept beside its log). */
  messagesOf: (sessionId: string) => Promise<string[]>;
  /** A trainee's modes and assessment attempts for an exercise. */
  policyFor: (user: User, exerciseId: string) => Promise<{ attempts: { allowed: number; used: number } | null }>;
}

export type { InjectSummary, Progress };

const authOf = (res: Response): User => (res.locals.auth as { user: User }).user;

export function injectSummaries(exercise: Exercise): InjectSummary[] {
  return (exercise.injects ?? []).map((i) => ({
    id: i.id,
    kind: i.kind,
    // The trainee reads {agency} as the agency they referred to; the instructor reads what it stands for.
    message: i.message.replaceAll('{agency}', 'the agency referred to'),
    contingency: i.contingency === true,
    at: i.at ?? null,
    when: i.when === undefined ? null : { state: i.when.state, occurrence: i.when.occurrence ?? 1 },
    words: { kind: injectKindWords(i.kind), when: i.when === undefined ? null : stateWords(i.when.state) },
  }));
}

export function progressOf(engine: Engine, stored: StoredSession, session: RoutingSession, exercise: Exercise | null, messages: readonly string[] = []): Progress {
  const start = session.log[0]?.at ?? session.now;
  const debrief = exercise === null ? null : gradeSession(engine, exercise, session.toRecord());
  const decisions = debrief?.decisions ?? [];
  const last = decisions.at(-1);
  const reached = debrief?.objectives.filter((o) => o.decisions > 0) ?? [];
  const score = reached.length === 0 ? null : reached.reduce((sum, o) => sum + o.score, 0) / reached.length;
  const count = (verdict: Verdict) => decisions.filter((d) => d.verdict === verdict).length;
  return {
    sessionId: stored.id,
    exerciseId: stored.exerciseId,
    exerciseTitle: exercise?.title ?? null,
    mode: stored.mode,
    phase: phaseOf(session.snapshot.value),
    state: session.state,
    closed: session.closed,
    outcome: session.outcome,
    lastSeq: session.log.length - 1,
    clock: { start, now: session.now, elapsedMs: Date.parse(session.now) - Date.parse(start) },
    lastDecision: last === undefined ? null : { point: last.point, summary: describeDecision(last.yours), verdict: last.verdict, at: last.at },
    soFar: {
      rating: score === null || exercise === null ? null : ratingFor(score, exercise.rubric?.default ?? DEFAULT_THRESHOLDS),
      score,
      right: count('right'),
      partly: count('partly'),
      wrong: count('wrong'),
    },
    injectsSent: [...new Set([...injectsInLog(session), ...messages])],
    words: { where: stateWords(session.state), outcome: session.outcome === null ? null : outcomeWords(session.outcome), point: last === undefined ? null : pointWords(last.point) },
  };
}

/** One record of a session's log in the analyst's words (the instructor's replay timeline). */
export function replayStep(record: AuditRecord): ReplayStep {
  const { event } = record;
  const attempt = event.attempt as { type?: unknown } | undefined;
  const refused = event.type === 'DECISION.REFUSED' && typeof attempt?.type === 'string' && typeof event.message === 'string';
  const where = routingPath(record.to);
  return {
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    by: ACTOR_WORDS[record.actor] ?? record.actor,
    type: event.type,
    what: refused ? refusedWords(attempt as { type: string }, event.message as string) : eventWords(event),
    where: where === '' ? null : stateWords(where),
  };
}

/** Every attempt, newest first, numbered per exercise and mode from the oldest. */
function attemptRows(sessions: readonly StoredSession[], rows: ReadonlyMap<string, Progress>): AttemptRow[] {
  const counts = new Map<string, number>();
  const numbered = [...sessions]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .flatMap((s) => {
      const p = rows.get(s.id);
      if (p === undefined) return [];
      const key = `${s.exerciseId ?? ''}|${s.mode}`;
      const number = (counts.get(key) ?? 0) + 1;
      counts.set(key, number);
      return [{ sessionId: s.id, exerciseId: s.exerciseId, exerciseTitle: p.exerciseTitle, mode: s.mode, number, createdAt: s.createdAt, phase: p.phase, closed: p.closed, outcome: p.outcome, rating: p.soFar.rating, words: p.words }];
    });
  return numbered.reverse();
}

export function registerInstructorRoutes(app: Express, deps: InstructorRouteDeps): void {
  const { engine, accounts, authenticate, instructorOnly, readable, ownCohort, exerciseOfInstructor, liveSession, exerciseOfSession, sessionsOf, messagesOf, policyFor } = deps;
  const progress = async (stored: StoredSession): Promise<Progress> => progressOf(engine, stored, await liveSession(stored), await exerciseOfSession(stored), await messagesOf(stored.id));

  /**
   * The exercise that sessions of this instructor's trainees were started from, as they keep it: an upload
   * deleted since is no longer the instructor's, but its sessions go on and may still be sent its injects.
   */
  async function startedExercise(instructor: User, exerciseId: string): Promise<Exercise | null> {
    for (const cohort of await accounts.cohortsOfInstructor(instructor.id)) {
      for (const member of await accounts.members(cohort.id)) {
        const stored = (await sessionsOf(member.id)).find((s) => s.exerciseId === exerciseId);
        const exercise = stored === undefined ? null : await exerciseOfSession(stored);
        if (exercise !== null) return exercise;
      }
    }
    return null;
  }

  app.get('/api/exercises/:id/injects', authenticate, instructorOnly, async (req, res) => {
    const id = req.params.id;
    const user = authOf(res);
    const exercise = typeof id === 'string' ? ((await exerciseOfInstructor(user.id, id))?.loaded.exercise ?? (await startedExercise(user, id))) : null;
    if (exercise === null) throw notFound();
    res.json({ exerciseId: exercise.id, injects: injectSummaries(exercise) });
  });

  app.get('/api/sessions/:id/progress', authenticate, instructorOnly, async (req, res) => {
    res.json({ progress: await progress(await readable(authOf(res), req.params.id)) });
  });

  // The session's log, step by step, in the analyst's words: the replay timeline beside its debrief.
  app.get('/api/sessions/:id/timeline', authenticate, instructorOnly, async (req, res) => {
    const stored = await readable(authOf(res), req.params.id);
    const owner = stored.owner === null ? null : await accounts.getUser(stored.owner);
    const session = await liveSession(stored);
    res.json({ sessionId: stored.id, trainee: owner === null ? null : { id: owner.id, name: owner.name, displayName: owner.displayName ?? null }, steps: session.log.map(replayStep) });
  });

  app.get('/api/cohorts/:id/progress', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res), req.params.id);
    const assessed = (await accounts.assignments(cohort.id)).filter((a) => a.mode !== 'practice');
    const trainees = await Promise.all((await accounts.members(cohort.id)).map(async (m): Promise<TraineeProgress> => {
      const sessions = await sessionsOf(m.id);
      const newestOf = (list: readonly StoredSession[]) => list.reduce<StoredSession | null>((a, s) => (a === null || s.createdAt >= a.createdAt ? s : a), null);
      const latest = newestOf(sessions);
      const rows = new Map(await Promise.all(sessions.map(async (s) => [s.id, await progress(s)] as const)));
      const policies = await Promise.all(assessed.map(async (a) => ({ exerciseId: a.exerciseId, attempts: (await policyFor(m, a.exerciseId)).attempts })));
      const rowOf = (s: StoredSession | null): Progress | null => (s === null ? null : (rows.get(s.id) ?? null));
      return {
        id: m.id,
        name: m.name,
        displayName: m.displayName ?? null,
        sessions: sessions.length,
        progress: rowOf(latest),
        newest: { practice: rowOf(newestOf(sessions.filter((s) => s.mode === 'practice'))), assessment: rowOf(newestOf(sessions.filter((s) => s.mode === 'assessment'))) },
        attempts: attemptRows(sessions, rows),
        all: [...sessions]
          .sort((a, b) => Number(rows.get(a.id)?.closed ?? true) - Number(rows.get(b.id)?.closed ?? true) || b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
          .flatMap((s) => rows.get(s.id) ?? []),
        assessments: policies.flatMap(({ exerciseId, attempts }) => (attempts === null ? [] : [{ exerciseId, ...attempts }])),
      };
    }));
    res.json({ cohort: { id: cohort.id, name: cohort.name }, trainees });
  });
}
