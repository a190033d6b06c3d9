// Sessions over the API: a trainee starts one from an offered exercise, then steps it (events, the
// instructor's injects, the practice clock, hints and undo), reads its view, its debrief once released, and
// follows it as a server-sent event stream. Also the rule book's reference the pages show beside a session.
import type { Express, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { isMachineRecord, type Engine, type Refusal, type RoutingSession } from '../engine/index.js';
import { gradeSession } from '../scenario/debrief.js';
import { practiceHint } from '../scenario/hint.js';
import { ExerciseRunner, type DecideResult, type InjectResult } from '../scenario/runner.js';
import type { AccountStore, User } from '../store/account-store.js';
import { StoreConflictError, StoreStaleError, type EventStore, type StoredSession } from '../store/event-store.js';
import { persistNewRecords, storeStartedSession } from '../store/sessions.js';
import { authOf } from './auth.js';
import type { ExerciseCatalog } from './exercise-routes.js';
import { forbidden, HttpError, notFound, parse, readOnlySession, stale } from './http-errors.js';
import { checkClockSpan, checkNotForked, checkSessionCaps } from './limits.js';
import type { LiveSessions } from './live-sessions.js';
import { KeyedLock } from './keyed-lock.js';
import { forkIdOf, newId } from './passwords.js';
import { clientReference } from './reference-api.js';
import type { Readable } from './session-access.js';
import type { Attempts } from './attempts.js';
import type { Replacements } from './replacements.js';
import { current, summaryOf } from './session-lists.js';
import { INJECT_ID_PREFIX, MAX_ADVANCE_MS, startMsOf, viewOf as baseViewOf, type Live, type SessionView, type ViewClock } from './session-view.js';
import { sessionClock, tickPacedClock } from './paced-clock.js';
import type { Streams } from './streams.js';
import { noteShown, shownAt, viewChanges } from './view-changes.js';
import { assertRoom, assertTraineeDecision, assessmentRefusal, checkDecision, decisionsOnly, notAllowedRefusal } from './trainee-events.js';

const SESSION_MODES = ['practice', 'assessment'] as const;
/** Starts of one assessment attempt that another server instance took first, before the answer is an error. */
const MAX_ATTEMPT_TRIES = 5;

const startSchema = z.strictObject({ exerciseId: z.string().min(1).max(40), mode: z.enum(SESSION_MODES) });
const eventSchema = z.strictObject({
  event: z.looseObject({ type: z.string().min(1).max(60) }),
  eventId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,80}$/, { error: '1 to 80 letters, digits and . _ : -' })
    .refine((id) => !id.startsWith(INJECT_ID_PREFIX), { error: `ids starting with ${INJECT_ID_PREFIX} are the exercise's injects` }),
  expectedSeq: z.int().min(0),
});
const stepQuerySchema = z.looseObject({ view: z.enum(['full', 'changes']).default('full') });
const injectSchema = z.strictObject({ injectId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "an inject id of the session's exercise" }), expectedSeq: z.int().min(0) });
const undoSchema = z.strictObject({ expectedSeq: z.int().min(0) });
/** How long to wait: `ms` of simulated time, or `until: "next"` for the next scheduled thing (DESIGN §10). */
const advanceSchema = z.union([
  z.strictObject({ ms: z.int().min(1).max(MAX_ADVANCE_MS), expectedSeq: z.int().min(0).optional() }),
  z.strictObject({ until: z.literal('next'), expectedSeq: z.int().min(0).optional() }),
]);
const checkSchema = z.strictObject({ event: z.looseObject({ type: z.string().min(1).max(60) }) });

export interface SessionRouteDeps extends LiveSessions, Pick<ExerciseCatalog, 'isBundled' | 'exerciseOfInstructor' | 'offeredTo'>, Pick<Streams, 'openStream' | 'notice'> {
  engine: Engine;
  events: EventStore;
  accounts: AccountStore;
  now: () => number;
  authenticate: RequestHandler;
  readable: Readable;
  replacements: Replacements;
  attempts: Attempts;
}

export function registerSessionRoutes(app: Express, deps: SessionRouteDeps): void {
  const { engine, events, accounts, now, authenticate, readable, isBundled, exerciseOfInstructor, offeredTo, openStream, notice, replacements, attempts } = deps;
  const { liveOf, liveSession, remember, rememberExercise, exerciseOfSession, persistOrFail, liveFor, exclusive } = deps;
  /** A trainee's starts take turns: the caps and assessment attempts are checked and the session created in one turn. */
  const starts = new KeyedLock();
  const reference = clientReference(engine.reference);
  /** The session's view, and which session replaced it by an undo (the page moves there). */
  const viewOf = async (entry: Live, stored: StoredSession, pace?: ViewClock): Promise<SessionView> => {
    const base = baseViewOf(entry, stored, pace);
    // Whether the page may ask for the debrief (it does not ask before, so no 403 fills the console).
    const shownView = { ...base, replacedBy: replacements.replacedBy(stored), debriefReleased: base.closed && (await released(stored)) };
    noteShown(entry, shownView);
    return shownView;
  };
  const refuse = (res: Response, refusal: Refusal): void => {
    res.status(422).json({ error: refusal.message, ...(refusal.code === undefined ? {} : { code: refusal.code }), allowed: refusal.allowed, ...(refusal.issues === undefined ? {} : { issues: refusal.issues }) });
  };

  /** The answer to an information-only inject: the message as the trainee's inbox shows it (its agency filled in). */
  const messageReply = (inject: { id: string; message: string }, shown: SessionView, delivered: boolean) => ({
    message: { injectId: inject.id, message: shown.inbox.findLast((m) => m.injectId === inject.id)?.message ?? inject.message, delivered },
    view: shown,
  });

  /** The view, with how the session's clock runs now (its exercise's pace, or its cohort's). */
  const view = async (entry: Live, stored: StoredSession) => viewOf(entry, stored, await sessionClock(accounts, entry, stored));

  /**
   * Lets a paced-by-factor assessment clock catch up with real time before anything else happens to the
   * session (its ticks are records, stored first); the stored session as it then stands.
   */
  async function ticked(entry: Live, stored: StoredSession): Promise<StoredSession> {
    const records = await tickPacedClock(accounts, entry, stored, now());
    if (records.length === 0) return stored;
    const persisted = await persistOrFail(entry.session, stored);
    return { ...stored, lastSeq: persisted.lastSeq };
  }

  /**
   * Answers a step the runner took, once what it recorded is stored: 422 with the refusal (and the allowed
   * events; the refused attempt itself is a record of the log), or its audit record and the session's view.
   */
  async function answerStep(res: Response, entry: Live, stored: StoredSession, result: DecideResult, base: SessionView | null): Promise<void> {
    const persisted = result.records.length === 0 ? { lastSeq: stored.lastSeq } : await persistOrFail(entry.session, stored);
    if (!result.ok) {
      res.status(422).json({ error: result.refusal.message, allowed: decisionsOnly(result.refusal.allowed), ...(result.refusal.issues === undefined ? {} : { issues: result.refusal.issues }), lastSeq: persisted.lastSeq });
      return;
    }
    const shown = await view(entry, { ...stored, lastSeq: persisted.lastSeq });
    res.json(base === null ? { audit: result.record, view: shown } : { audit: result.record, changes: viewChanges(base, shown) });
  }

  // A step first: most requests are steps, and express tries the routes in the order they were registered.
  app.post('/api/sessions/:id/events', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    const body = parse(eventSchema, req.body);
    // `?view=changes`: the answer carries the changes to the sender's view (view-changes.ts), not the whole view.
    const { view: answerWith } = parse(stepQuerySchema, req.query);
    assertTraineeDecision(user, visible, body.event.type);
    await exclusive(visible, async (stored) => {
      const entry = await liveOf(stored);
      if (entry.readOnly !== null) throw readOnlySession(entry.readOnly);
      const { session } = entry;
      // A retry of an acknowledged event gets the same answer, whatever its (now stale) expectedSeq says.
      const earlier = session.recordFor(body.eventId);
      if (earlier !== undefined) {
        res.json({ audit: earlier, view: await view(entry, stored) });
        return;
      }
      replacements.assertCurrent(stored);
      assertAtExpected(body.expectedSeq, stored, session);
      assertRoom(stored);
      const refusal = notAllowedRefusal(session, body.event.type) ?? assessmentRefusal(stored, session, body.event);
      if (refusal !== null) {
        refuse(res, refusal);
        return;
      }
      // The trainee decided on what they saw; the paced clock's ticks since then come first, at their times.
      // The sender holds the view at expectedSeq: the base of the changes, taken before the step changes it.
      const base = answerWith === 'changes' ? shownAt(entry, body.expectedSeq) : null;
      const current = await ticked(entry, stored);
      await answerStep(res, entry, current, entry.runner.decide(body.event, { eventId: body.eventId, actor: 'trainee' }), base);
    });
  });

  app.post('/api/sessions', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const body = parse(startSchema, req.body);
    if (user.role !== 'trainee') throw forbidden('sessions are started by trainees');
    const exercise = (await offeredTo(user)).find((e) => e.id === body.exerciseId);
    if (exercise === undefined) {
      // The trainee may know it exists (bundled, or their instructor's): then it is not assigned to them.
      const known = isBundled(body.exerciseId) || (await isInstructorsExercise(user, body.exerciseId));
      if (known) throw forbidden('this exercise is not assigned to your cohort');
      throw new HttpError(404, { error: 'no such exercise' });
    }
    // Two starts of one trainee at once would both pass the checks (the last assessment attempt, the caps)
    // before either session is stored: in this process they take turns; between server instances a counted
    // attempt's session has the attempt's own id, so the store takes one of two starts of the same attempt
    // and the other counts again.
    const { entry, stored } = await starts.run(user.id, async () => {
      const { exercise: e, tip, file } = exercise.loaded;
      for (let tries = 1; ; tries += 1) {
        const attemptId = await attempts.assertMayStart(user, exercise.id, body.mode);
        await checkSessionCaps(events, user.id, e.id);
        const exerciseSha256 = await events.putExerciseText(exercise.text);
        const runner = ExerciseRunner.start(engine, e, tip, { sessionId: attemptId ?? newId() });
        let started: Awaited<ReturnType<typeof storeStartedSession>>;
        try {
          started = await storeStartedSession(events, runner.session, {
            createdAt: new Date(now()).toISOString(),
            owner: user.id,
            exerciseId: e.id,
            mode: body.mode,
            // The exercise's text is kept once by its hash, however many sessions start from it.
            meta: { exerciseSha256, exerciseFile: file },
          });
        } catch (error) {
          if (error instanceof StoreConflictError && attemptId !== null && tries < MAX_ATTEMPT_TRIES) continue;
          throw error;
        }
        const persisted = await persistNewRecords(events, started.session, 0);
        if (!persisted.ok) throw new Error(`internal: a new session could not be written (${persisted.reason})`);
        const live = liveFor(runner);
        rememberExercise(started.session.id, e);
        remember(live);
        return { entry: live, stored: { ...started.stored, lastSeq: persisted.lastSeq } };
      }
    });
    res.status(201).json({ view: await view(entry, stored) });
  });

  /** Whether the exercise is one of the trainee's instructors' (bundled ones aside). */
  async function isInstructorsExercise(user: User, exerciseId: string): Promise<boolean> {
    for (const c of await accounts.cohortsOfMember(user.id)) if ((await exerciseOfInstructor(c.instructorId, exerciseId)) !== null) return true;
    return false;
  }

  app.get('/api/sessions', authenticate, async (_req, res) => {
    const { user } = authOf(res);
    const mine = current(await events.listSessions({ owner: user.id }));
    res.json({ sessions: await Promise.all(mine.map(async (s) => summaryOf(s, await liveSession(s)))) });
  });

  app.get('/api/sessions/:id', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    // Reading a paced assessment ticks its clock (records): a step of the session like any other.
    const shown = await exclusive(visible, async (stored) => {
      const entry = await liveOf(stored);
      try {
        return await view(entry, await ticked(entry, stored));
      } catch (error) {
        // Another server instance on the store ticked the clock first: a read shows what it stored, not 409.
        if (!(error instanceof HttpError && error.status === 409 && error.body.error === 'stale')) throw error;
        const current = await events.getSession(stored.id);
        if (current === null) throw notFound();
        return view(await liveOf(current), current);
      }
    });
    res.json({ view: shown });
  });

  // Whether a decision would be taken now, without taking it: the page asks before "this decision is final".
  app.post('/api/sessions/:id/check', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    const body = parse(checkSchema, req.body);
    assertTraineeDecision(user, visible, body.event.type);
    // Nothing is written, but the check reads the live session a step of it may be changing: it waits its turn.
    await exclusive(visible, async (stored) => {
      replacements.assertCurrent(stored);
      const { session } = await liveOf(stored);
      const refusal = assessmentRefusal(stored, session, body.event) ?? checkDecision(engine, session, body.event);
      if (refusal !== null) {
        refuse(res, refusal);
        return;
      }
      res.json({ ok: true, lastSeq: stored.lastSeq });
    });
  });

  // An instructor sends one of the exercise's injects now (a contingency, or a scripted one early).
  app.post('/api/sessions/:id/injects', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    if (user.role !== 'instructor') throw forbidden('injects are sent by instructors');
    await exclusive(visible, async (stored) => {
      const body = parse(injectSchema, req.body);
      replacements.assertCurrent(stored);
      const exercise = await exerciseOfSession(stored);
      const inject = exercise?.injects?.find((i) => i.id === body.injectId);
      if (exercise === null || inject === undefined) throw new HttpError(404, { error: 'no such inject in this exercise' });
      const entry = await liveOf(stored);
      if (entry.readOnly !== null) throw readOnlySession(entry.readOnly);
      const { session } = entry;
      // Sent already: the same answer again, whatever the (now stale) expectedSeq says.
      const earlier = session.recordFor(`${INJECT_ID_PREFIX}${inject.id}`);
      if (earlier !== undefined) {
        res.json({ audit: earlier, view: await view(entry, stored) });
        return;
      }
      if (entry.runner.wasDelivered(inject.id)) {
        res.json(messageReply(inject, await view(entry, stored), true));
        return;
      }
      assertAtExpected(body.expectedSeq, stored, session);
      assertRoom(stored);
      const current = await ticked(entry, stored);
      const result: InjectResult = entry.runner.sendInject(inject.id, { actor: 'instructor' });
      const persisted = result.records.length === 0 ? { lastSeq: current.lastSeq } : await persistOrFail(session, current);
      if (!result.ok) {
        refuse(res, result.refusal);
        return;
      }
      const shown = await view(entry, { ...stored, lastSeq: persisted.lastSeq });
      const machine = result.records.find((r) => r.eventId === `${INJECT_ID_PREFIX}${inject.id}`);
      // An information-only inject has no machine record: its message is the record the trainee reads.
      res.json(machine === undefined ? messageReply(inject, shown, result.delivered) : { audit: machine, view: shown });
    });
  });

  app.post('/api/sessions/:id/advance', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    const body = parse(advanceSchema, req.body);
    await exclusive(visible, async (stored) => {
      const byInstructor = user.role === 'instructor' && user.id !== stored.owner;
      // An assessment's clock is paced (DESIGN §10): its trainee may only wait for the next scheduled thing.
      if (stored.mode !== 'practice' && !byInstructor && 'ms' in body) throw forbidden('in an assessment you can only wait for the next scheduled message or deadline ({"until": "next"})');
      replacements.assertCurrent(stored);
      if (body.expectedSeq !== undefined && body.expectedSeq !== stored.lastSeq) throw stale(stored.lastSeq);
      assertRoom(stored);
      const entry = await liveOf(stored);
      if (entry.readOnly !== null) throw readOnlySession(entry.readOnly);
      const current = await ticked(entry, stored);
      // The clock stops ten years after the tip (a wait to the next scheduled thing never goes that far).
      if ('ms' in body) checkClockSpan(entry.session.now, startMsOf(entry.session), body.ms);
      const waited = entry.runner.wait('ms' in body ? { ms: body.ms } : { until: 'next' }, { actor: byInstructor ? 'instructor' : 'trainee', cause: byInstructor ? 'advance' : 'wait' });
      const persisted = waited.records.length === 0 ? { lastSeq: current.lastSeq } : await persistOrFail(entry.session, current);
      res.json({ fired: waited.records, stoppedAt: waited.stoppedAt, reason: waited.reason, view: await view(entry, { ...stored, lastSeq: persisted.lastSeq }) });
    });
  });

  // Practice help: the exercise's hint for the decision at hand, or the expected decision itself.
  // A hint shown is a record of the log (HINT.USED), so the debrief shows it and the rubric may cost it.
  app.get('/api/sessions/:id/hint', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    if (visible.mode !== 'practice') throw forbidden('hints are for practice mode only');
    await exclusive(visible, async (stored) => {
      await attempts.assertMayPractise(stored.owner, stored.exerciseId);
      const entry = await liveOf(stored);
      if (entry.readOnly !== null) throw readOnlySession(entry.readOnly);
      if (entry.exercise === null) throw new HttpError(404, { error: 'this session has no exercise to give hints from' });
      const hint = practiceHint(engine, entry.exercise, entry.session);
      if (hint.point !== null && user.id === stored.owner && entry.runner.hintShown() !== null) await persistOrFail(entry.session, stored);
      res.json({ hint });
    });
  });

  // Practice undo. The log is append-only, so taking a decision back starts a new session from the log up
  // to just before the trainee's last decision (its clock at that moment); the old one is kept, marked by
  // the new one's meta.forkOf, and left out of lists and results.
  app.post('/api/sessions/:id/undo', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = await readable(user, req.params.id);
    const body = parse(undoSchema, req.body);
    await exclusive(visible, async (stored) => {
      if (stored.mode !== 'practice') throw forbidden('undo is for practice mode only');
      if (stored.owner !== user.id) throw forbidden('only the trainee of a session can take a decision back');
      replacements.assertCurrent(stored);
      if (body.expectedSeq !== stored.lastSeq) throw stale(stored.lastSeq);
      // One fork per session: the undos of this process take turns, and the fork's id is the session's own
      // (forkIdOf), so the store refuses a second fork made anywhere else at the same time.
      await checkNotForked(events, stored);
      const undoing = await liveOf(stored);
      if (undoing.readOnly !== null) throw readOnlySession(undoing.readOnly);
      const { session } = undoing;
      const last = [...session.log].reverse().find((r) => r.actor === 'trainee' && isMachineRecord(r));
      if (last === undefined) throw new HttpError(422, { error: 'there is no decision to take back', allowed: decisionsOnly(session.allowedEvents()) });
      const kept = session.log.slice(0, last.seq);
      const first = kept[0];
      if (first === undefined) throw new Error('internal: a session without its first record');
      const forkId = forkIdOf(stored.id);
      let forked: StoredSession;
      try {
        forked = await events.createSession({
          id: forkId,
          input: session.input,
          first,
          createdAt: new Date(now()).toISOString(),
          exerciseId: stored.exerciseId,
          owner: stored.owner,
          mode: stored.mode,
          meta: { ...stored.meta, forkOf: stored.id, undone: last.eventId },
          forkedAtSeq: stored.lastSeq,
        });
      } catch (error) {
        // A step on another instance got there first: the undo would leave it behind.
        if (error instanceof StoreStaleError) throw stale(error.lastSeq);
        if (error instanceof StoreConflictError) throw new HttpError(409, { error: 'this session was already replaced by an undo', replacedBy: forkId });
        throw error;
      }
      const appended = await events.append(forked.id, 0, kept.slice(1), last.at);
      if (!appended.ok) throw new Error(`internal: the undone session could not be written (${appended.reason})`);
      const fresh = await events.getSession(forked.id);
      if (fresh === null) throw new Error('internal: the undone session vanished');
      replacements.noteReplaced(stored.id, fresh.id);
      const entry = await liveOf(fresh);
      // Whoever follows the old session (the inspector, another tab) is told where it goes on.
      notice({ kind: 'replaced', sessionId: stored.id, by: fresh.id });
      res.status(201).json({ undone: last, view: await view(entry, fresh) });
    });
  });

  app.get('/api/reference', authenticate, (_req, res) => {
    res.json(reference);
  });

  app.get('/api/sessions/:id/debrief', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const stored = await readable(user, req.params.id);
    const session = await liveSession(stored);
    if (user.id === stored.owner && user.role !== 'instructor') {
      if (!session.closed) throw forbidden('the debrief is available once the tip is closed');
      if (!(await released(stored))) throw forbidden('the debrief is available once your instructor releases it');
    }
    const exercise = await exerciseOfSession(stored);
    if (exercise === null) throw new HttpError(404, { error: 'this session has no exercise to grade against' });
    res.json({ debrief: gradeSession(engine, exercise, session.toRecord()) });
  });

  /**
   * Whether a cohort of the session's owner has released the debriefs of its exercise (or all of them), or,
   * for a practice session, assigned the exercise with its practice debrief shown at the tip's close.
   */
  async function released(stored: StoredSession): Promise<boolean> {
    if (stored.owner === null) return false;
    const atClose = async (cohortId: string) => stored.mode === 'practice' && (await accounts.assignments(cohortId)).some((a) => a.exerciseId === stored.exerciseId && a.practiceDebrief === 'at-close');
    for (const c of await accounts.cohortsOfMember(stored.owner)) {
      if ((await atClose(c.id)) || (await accounts.releases(c.id)).some((r) => r.exerciseId === null || r.exerciseId === stored.exerciseId)) return true;
    }
    return false;
  }

  app.get('/api/sessions/:id/stream', authenticate, async (req, res) => {
    const stored = await readable(authOf(res).user, req.params.id);
    // The trainee hears when their cohort's instructor releases this exercise's debrief, or withdraws it.
    const owner = stored.owner;
    openStream(
      req,
      res,
      { lastSeq: stored.lastSeq },
      (appended) => appended.sessionId === stored.id,
      (n) =>
        n.kind === 'replaced'
          ? n.sessionId === stored.id
          : (n.kind === 'released' || n.kind === 'withdrawn') && owner !== null && (n.exerciseId === null || n.exerciseId === stored.exerciseId) && accounts.cohortsOfMember(owner).then((cohorts) => cohorts.some((c) => c.id === n.cohortId)),
    );
  });
}

/**
 * The sender's expectedSeq must be the stored one, and the live session must be at it too: a session rebuilt
 * from the log may have read a record another instance appended after `stored` was read, and a step on it
 * would be refused by the chart (422) where the sender is only behind (409).
 */
function assertAtExpected(expectedSeq: number, stored: StoredSession, session: RoutingSession): void {
  const at = session.log.length - 1;
  if (expectedSeq !== stored.lastSeq || at !== stored.lastSeq) throw stale(Math.max(at, stored.lastSeq));
}
