// The classroom API (issue 6): express 5, bearer tokens, roles, the stepping API over the event store,
// and server-sent events. Every input is validated with zod; errors say what was wrong and leak nothing.
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { z } from 'zod';
import { phaseOf, type AuditRecord, type Engine, type RoutingSession } from '../engine/index.js';
import type { SessionSummary } from '../api/contract.js';
import { gradeSession, type Debrief } from '../scenario/debrief.js';
import { injectEvent, startTimeOf } from '../scenario/drive.js';
import { validateExerciseText } from '../scenario/validate.js';
import type { Exercise } from '../scenario/format.js';
import { practiceHint } from '../scenario/hint.js';
import { InjectSchedule } from '../scenario/inject-schedule.js';
import type { AccountStore, Cohort, User } from '../store/account-store.js';
import { StoreConflictError, type AppendedEvent, type AppendResult, type EventStore, type StoredSession } from '../store/event-store.js';
import { createStoredSession, persistNewRecords, rebuildSession } from '../store/sessions.js';
import { GroupCommit } from './group-commit.js';
import { TokenCache } from './token-cache.js';
import { exerciseFromText, serverExerciseFromText, type ServerExercise } from './exercises.js';
import { clientReference } from './reference-api.js';
import { registerInstructorRoutes } from './instructor-routes.js';
import { registerInspectRoutes } from './inspect-routes.js';
import { resultRows, resultsCsv } from './results.js';
import { webAssets, type WebAssets } from './web-static.js';
import { forbidden, HttpError, ID_PARAM, notFound, parse } from './http-errors.js';
import { INJECT_ID_PREFIX, MAX_ADVANCE_MS, startMsOf, viewOf, type Live } from './session-view.js';
import { dummyPasswordHash, hashPassword, newId, newJoinCode, newToken, tokenHash, verifyPassword } from './passwords.js';

export type { LookupRow, SessionView } from './session-view.js';

export interface AppOptions {
  engine: Engine;
  events: EventStore;
  accounts: AccountStore;
  exercises: readonly ServerExercise[];
  logger: Logger;
  /** Wall clock (ms), for token expiry and the login rate limit; tests may pass their own. */
  now?: () => number;
  /** Token lifetime, default 12 h (a training day). */
  tokenTtlMs?: number;
  /** Failed logins per name and address within the window before 429 (default 10 in 15 min). */
  loginLimit?: { failures: number; windowMs: number };
  /** The web app's files (default: the project's); false serves the API alone. */
  web?: WebAssets | false;
  /**
   * How steps reach the store: `group` (default) writes the steps of one event-loop turn in one transaction,
   * so one wait for the disk serves them all; `each` commits every step on its own (the older behaviour, kept
   * for comparison in `npm run bench:api`). Either way a step is answered only after its commit.
   */
  commit?: 'group' | 'each';
}

export interface TipflowApp extends Express {
  /** Ends every open event stream (graceful shutdown). */
  closeStreams(): void;
}

export const BODY_LIMIT = '64kb';
/** An uploaded exercise's text (UTF-8 bytes), and the body limit of the upload (its JSON escapes included). */
export const EXERCISE_TEXT_LIMIT = 200 * 1024;
const UPLOAD_BODY_LIMIT = '512kb';
const SESSION_MODES = ['practice', 'assessment'] as const;
/** Live sessions kept in memory; the others are rebuilt from the log when asked for. */
const MAX_LIVE_SESSIONS = 2_000;
/**
 * How long a checked bearer token is trusted without asking the database again. Logging out forgets it at
 * once; a change made by another process (`tipflow user`) takes effect within this time.
 */
const TOKEN_CACHE_MS = 2_000;

// ---- validation ----------------------------------------------------------------------------------------

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/, { error: '2 to 40 letters, digits, dots, hyphens or underscores' });
const password = z.string().min(10, { error: 'at least 10 characters' }).max(200, { error: 'at most 200 characters' });
const loginSchema = z.strictObject({ name: z.string().min(1).max(40), password: z.string().min(1).max(200) });
const joinSchema = z.strictObject({ code: z.string().regex(/^[A-Z0-9]{6,12}$/, { error: 'a join code such as K7M2Q9XA' }), name, password });
const passwordChangeSchema = z.strictObject({ current: z.string().min(1).max(200), next: password });
const startSchema = z.strictObject({ exerciseId: z.string().min(1).max(40), mode: z.enum(SESSION_MODES) });
const eventSchema = z.strictObject({
  event: z.looseObject({ type: z.string().min(1).max(60) }),
  eventId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,80}$/, { error: '1 to 80 letters, digits and . _ : -' })
    .refine((id) => !id.startsWith(INJECT_ID_PREFIX), { error: `ids starting with ${INJECT_ID_PREFIX} are the exercise's injects` }),
  expectedSeq: z.int().min(0),
});
const injectSchema = z.strictObject({ injectId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "an inject id of the session's exercise" }), expectedSeq: z.int().min(0) });
const undoSchema = z.strictObject({ expectedSeq: z.int().min(0) });
const advanceSchema = z.strictObject({ ms: z.int().min(1).max(MAX_ADVANCE_MS), expectedSeq: z.int().min(0).optional() });
const cohortSchema = z.strictObject({ name: z.string().min(1).max(80).refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32), { error: 'no control characters' }) });
const exerciseId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'an exercise id' });
const uploadSchema = z.strictObject({
  fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\.ya?ml$/, { error: 'a file name such as my-exercise.yaml (letters, digits, . _ -)' }),
  text: z.string().min(1),
});
const assignSchema = z.strictObject({ exerciseId });
const releaseSchema = z.strictObject({ exerciseId: exerciseId.optional() });

/** Streamed to the cohort's instructor (joined) and to its trainees' session streams (released). */
type ClassNotice = { kind: 'joined'; cohortId: string; trainee: { id: string; name: string } } | { kind: 'released'; cohortId: string; exerciseId: string | null };

// ---- the app -------------------------------------------------------------------------------------------

interface Authed {
  user: User;
  tokenHash: string;
}

const authOf = (res: Response): Authed => res.locals.auth as Authed;

export function createApp(options: AppOptions): TipflowApp {
  const { engine, events, accounts, exercises, logger } = options;
  const now = options.now ?? Date.now;
  const tokenTtlMs = options.tokenTtlMs ?? 12 * 60 * 60 * 1000;
  const limit = options.loginLimit ?? { failures: 10, windowMs: 15 * 60 * 1000 };
  const exerciseById = new Map(exercises.map((e) => [e.id, e]));
  const reference = clientReference(engine.reference);
  const live = new Map<string, Live>();
  const streams = new Set<Response>();
  // Class happenings that are not session records: a trainee joined a cohort, debriefs were released.
  const noticeListeners = new Set<(n: ClassNotice) => void>();
  const notice = (n: ClassNotice): void => {
    for (const listener of noticeListeners) listener(n);
  };
  const failures = new Map<string, number[]>();
  const tokens = new TokenCache((hash, at) => accounts.userForToken(hash, new Date(at).toISOString()), TOKEN_CACHE_MS);
  const groupCommit = options.commit === 'each' ? null : new GroupCommit(events);

  const app = express() as unknown as TipflowApp;
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // API answers change with every step: no ETag hashing of each body (conditional GETs would not hit anyway).
  app.set('etag', false);
  const web = options.web === false ? null : (options.web ?? webAssets());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: web?.scriptSources ?? ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // No upgrade-insecure-requests: a training room serves plain http on its LAN.
        },
      },
    }),
  );
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const auth = res.locals.auth as Authed | undefined;
      logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, user: auth?.user.id }, 'request');
    });
    next();
  });
  const json = express.json({ limit: BODY_LIMIT, strict: true });
  const uploadJson = express.json({ limit: UPLOAD_BODY_LIMIT, strict: true });
  app.use((req, res, next) => (req.method === 'POST' && req.path === '/api/exercises' ? uploadJson : json)(req, res, next));

  // -- helpers --

  const authenticate: RequestHandler = (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header)?.[1];
    const hash = token === undefined ? null : tokenHash(token);
    const user = hash === null ? null : tokens.userFor(hash, now());
    if (user === null || hash === null) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    res.locals.auth = { user, tokenHash: hash } satisfies Authed;
    next();
  };

  const instructorOnly: RequestHandler = (_req, res, next) => {
    if (authOf(res).user.role !== 'instructor') throw forbidden('instructors only');
    next();
  };

  const instructs = (instructor: User, ownerId: string | null): boolean =>
    instructor.role === 'instructor' && ownerId !== null && accounts.cohortsOfMember(ownerId).some((c) => c.instructorId === instructor.id);

  /** The stored session if the user may see it; 404 otherwise, so nobody learns another's session exists. */
  function readable(user: User, id: unknown): StoredSession {
    if (typeof id !== 'string' || !ID_PARAM.test(id)) throw notFound();
    const stored = events.getSession(id);
    if (stored === null) throw notFound();
    if (stored.owner === user.id || instructs(user, stored.owner)) return stored;
    throw notFound();
  }

  /**
   * The live session and its inject schedule, rebuilt from the log when not cached or when the log moved on
   * without us. The schedule is kept beside the session and fed each new record, so a step costs the same
   * whatever the length of the log.
   */
  function liveOf(stored: StoredSession): Live {
    const cached = live.get(stored.id);
    if (cached !== undefined && cached.session.log.length - 1 === stored.lastSeq) return cached;
    const session = rebuildSession(engine, events, stored.id);
    if (session === null) throw notFound();
    const exercise = exerciseOfSession(stored);
    const messages = new Set((events.readMessages(stored.id) ?? []).map((m) => m.injectId));
    const rebuilt: Live = { session, exercise, messages, schedule: exercise === null ? null : InjectSchedule.settled(exercise, startMsOf(session), session.log, session.clock.now) };
    remember(rebuilt);
    return rebuilt;
  }

  const liveSession = (stored: StoredSession): RoutingSession => liveOf(stored).session;

  /** Keeps a live session in the cache (most recently used last; the oldest go past the cap). */
  function remember(entry: Live): void {
    live.delete(entry.session.id);
    live.set(entry.session.id, entry);
    for (const oldest of live.keys()) {
      if (live.size <= MAX_LIVE_SESSIONS) break;
      live.delete(oldest);
    }
  }

  const exerciseCache = new Map<string, Exercise | null>();
  /** The exercise a session was started from (reloaded from the text stored with it), or null. */
  function exerciseOfSession(stored: StoredSession): Exercise | null {
    if (!exerciseCache.has(stored.id)) {
      const text = stored.meta.exerciseText;
      const file = stored.meta.exerciseFile;
      const loaded = typeof text === 'string' ? exerciseFromText(text, typeof file === 'string' ? file : 'exercise.yaml', stored.input.submission) : null;
      if (exerciseCache.size > 5_000) exerciseCache.clear();
      exerciseCache.set(stored.id, loaded?.exercise ?? null);
    }
    return exerciseCache.get(stored.id) ?? null;
  }

  /**
   * Stores what the engine appended since `stored.lastSeq`, before anything is answered (with the steps of
   * the same turn, in one commit, unless `commit: 'each'`). If another request got there first, or the write
   * fails, the in-memory session is dropped (it is rebuilt from the store next time) and the caller gets 409
   * with the current sequence, or the error.
   */
  async function persistOrFail(session: RoutingSession, stored: StoredSession): Promise<{ lastSeq: number }> {
    let persisted: AppendResult;
    try {
      persisted =
        groupCommit === null
          ? persistNewRecords(events, session, stored.lastSeq)
          : await groupCommit.append({ sessionId: session.id, expectedLastSeq: stored.lastSeq, records: session.log.slice(stored.lastSeq + 1), clockAt: session.now });
    } catch (error) {
      live.delete(stored.id);
      throw error;
    }
    if (persisted.ok) return persisted;
    live.delete(stored.id);
    if (persisted.reason === 'stale') throw new HttpError(409, { error: 'stale', lastSeq: persisted.lastSeq });
    throw notFound();
  }

  /**
   * The session as stored once its appends in flight are committed: a request that changes a session waits
   * for the one before it, so it never builds on records that are not yet stored.
   */
  async function settled(user: User, stored: StoredSession): Promise<StoredSession> {
    const pending = groupCommit?.pending(stored.id) ?? null;
    if (pending === null) return stored;
    await pending;
    return readable(user, stored.id);
  }

  /** Delivers the state-entry injects that the records from `fromIndex` on triggered (and those they trigger). */
  function deliverQueued(schedule: InjectSchedule, session: RoutingSession, fromIndex: number): void {
    schedule.note(session.log.slice(fromIndex));
    for (let inject = schedule.shiftQueued(), n = 0; inject !== undefined && n < 100; inject = schedule.shiftQueued(), n += 1) {
      schedule.markSent(inject);
      const event = injectEvent(inject);
      if (event === null || session.closed) continue;
      const before = session.log.length;
      engine.deliver(session, event, { actor: 'instructor', eventId: `${INJECT_ID_PREFIX}${inject.id}` });
      schedule.note(session.log.slice(before));
    }
  }

  /** Advances the clock by `ms`, firing timers and delivering timed and state-entry injects in time order. */
  function advanceWithInjects({ session, schedule }: Live, ms: number): AuditRecord[] {
    const first = session.log.length;
    const target = session.clock.now + ms;
    if (schedule === null) return engine.advance(session, ms);
    for (let step = 0; step < 1_000; step += 1) {
      const due = schedule.nextTimed();
      const timer = session.clock.next();
      if (due !== undefined && due.due <= target && (timer === null || due.due <= timer.due)) {
        const before = session.log.length;
        engine.advanceTo(session, due.due);
        deliverQueued(schedule, session, before);
        schedule.markSent(due.inject);
        const event = injectEvent(due.inject);
        const at = session.log.length;
        if (event !== null && !session.closed) engine.deliver(session, event, { actor: 'instructor', eventId: `${INJECT_ID_PREFIX}${due.inject.id}` });
        deliverQueued(schedule, session, at);
        continue;
      }
      if (timer !== null && timer.due <= target) {
        const before = session.log.length;
        engine.advanceTo(session, timer.due);
        deliverQueued(schedule, session, before);
        continue;
      }
      break;
    }
    engine.advanceTo(session, target);
    return session.log.slice(first);
  }

  function failureKey(name: string, req: Request): string {
    return `${name}\u0000${req.socket.remoteAddress ?? ''}`;
  }
  function recentFailures(key: string): number[] {
    const cutoff = now() - limit.windowMs;
    const recent = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (recent.length === 0) failures.delete(key);
    else failures.set(key, recent);
    return recent;
  }
  function noteFailure(key: string): void {
    if (failures.size > 10_000) for (const k of [...failures.keys()].slice(0, 1_000)) failures.delete(k);
    failures.set(key, [...recentFailures(key), now()]);
  }

  function issueToken(user: User): string {
    const token = newToken();
    const at = now();
    accounts.createToken({ hash: tokenHash(token), userId: user.id, createdAt: new Date(at).toISOString(), expiresAt: new Date(at + tokenTtlMs).toISOString() });
    return token;
  }

  // -- accounts --

  app.post('/api/login', async (req, res) => {
    const body = parse(loginSchema, req.body);
    const key = failureKey(body.name, req);
    if (recentFailures(key).length >= limit.failures) {
      res.status(429).json({ error: 'too many failed logins; try again later' });
      return;
    }
    const user = accounts.findUserByName(body.name);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (user === null || !ok) {
      noteFailure(key);
      res.status(401).json({ error: 'wrong name or password' });
      return;
    }
    failures.delete(key);
    const { passwordHash: _hidden, ...visible } = user;
    res.json({ token: issueToken(visible), user: visible });
  });

  app.post('/api/join', async (req, res) => {
    const body = parse(joinSchema, req.body);
    // Guessing join codes counts against the address, like failed logins.
    const key = failureKey('\u0000join', req);
    if (recentFailures(key).length >= limit.failures) throw new HttpError(429, { error: 'too many wrong join codes; try again later' });
    const cohort = accounts.cohortByJoinCode(body.code);
    if (cohort === null) {
      noteFailure(key);
      throw new HttpError(404, { error: 'no cohort has this join code' });
    }
    const passwordHash = await hashPassword(body.password);
    let user: User;
    try {
      user = accounts.createMember({ id: newId(), name: body.name, role: 'trainee', passwordHash, createdAt: new Date(now()).toISOString() }, cohort.id);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new HttpError(409, { error: 'this name is taken' });
      throw error;
    }
    notice({ kind: 'joined', cohortId: cohort.id, trainee: { id: user.id, name: user.name } });
    res.status(201).json({ token: issueToken(user), user, cohort: { id: cohort.id, name: cohort.name } });
  });

  app.post('/api/logout', authenticate, (_req, res) => {
    accounts.deleteToken(authOf(res).tokenHash);
    tokens.forget(authOf(res).tokenHash);
    res.status(204).end();
  });

  app.post('/api/password', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const body = parse(passwordChangeSchema, req.body);
    const key = failureKey(user.name, req);
    if (recentFailures(key).length >= limit.failures) throw new HttpError(429, { error: 'too many failed attempts; try again later' });
    const stored = accounts.findUserByName(user.name);
    if (stored === null || !(await verifyPassword(body.current, stored.passwordHash))) {
      noteFailure(key);
      throw new HttpError(403, { error: 'the current password is wrong' });
    }
    accounts.setPassword(user.id, await hashPassword(body.next));
    res.status(204).end();
  });

  app.get('/api/me', authenticate, (_req, res) => {
    const { user } = authOf(res);
    const cohorts = user.role === 'instructor' ? accounts.cohortsOfInstructor(user.id) : accounts.cohortsOfMember(user.id);
    res.json({ user, cohorts: cohorts.map((c) => publicCohort(c, user)) });
  });

  // -- exercises and sessions --

  const uploadedCache = new Map<string, ServerExercise | null>();
  /** An uploaded exercise (they never change once stored), or null. */
  function uploaded(id: string): { exercise: ServerExercise; instructorId: string } | null {
    const stored = accounts.getExercise(id);
    if (stored === null) return null;
    if (!uploadedCache.has(id)) {
      if (uploadedCache.size > 1_000) uploadedCache.clear();
      uploadedCache.set(id, serverExerciseFromText(stored.text, stored.fileName));
    }
    const exercise = uploadedCache.get(id) ?? null;
    return exercise === null ? null : { exercise, instructorId: stored.instructorId };
  }
  const uploadsOf = (instructorId: string): ServerExercise[] =>
    accounts.exercisesOfInstructor(instructorId).flatMap((e) => {
      const found = uploaded(e.id);
      return found === null ? [] : [found.exercise];
    });
  /** A bundled exercise, or one uploaded by this instructor; null otherwise. */
  const exerciseOfInstructor = (instructorId: string, id: string): ServerExercise | null => {
    const bundled = exerciseById.get(id);
    if (bundled !== undefined) return bundled;
    const found = uploaded(id);
    return found !== null && found.instructorId === instructorId ? found.exercise : null;
  };

  /**
   * The exercises a user is offered. An instructor: the bundled ones and their own uploads. A trainee, for
   * each of their cohorts: the exercises assigned to it, or, when it has none, the bundled ones and the
   * uploads of its instructor.
   */
  function offeredTo(user: User): ServerExercise[] {
    if (user.role === 'instructor') return [...exercises, ...uploadsOf(user.id)];
    const cohorts = accounts.cohortsOfMember(user.id);
    if (cohorts.length === 0) return [...exercises];
    const out = new Map<string, ServerExercise>();
    for (const cohort of cohorts) {
      const assigned = accounts.assignments(cohort.id);
      const list = assigned.length === 0 ? [...exercises, ...uploadsOf(cohort.instructorId)] : assigned.flatMap((a) => exerciseOfInstructor(cohort.instructorId, a.exerciseId) ?? []);
      for (const e of list) out.set(e.id, e);
    }
    return [...out.values()];
  }

  app.get('/api/exercises', authenticate, (_req, res) => {
    res.json({ exercises: offeredTo(authOf(res).user).map((e) => ({ id: e.id, title: e.title, lesson: e.lesson, duration: e.duration, summary: e.summary })) });
  });

  // An instructor uploads an exercise: validated as `tipflow validate` does, with an inline tip.
  app.post('/api/exercises', authenticate, instructorOnly, (req, res) => {
    const { user } = authOf(res);
    const body = parse(uploadSchema, req.body);
    if (Buffer.byteLength(body.text, 'utf8') > EXERCISE_TEXT_LIMIT) throw new HttpError(413, { error: 'the exercise text is larger than 200 kB', issues: [] });
    let tipPath: string | null = null;
    const report = validateExerciseText(engine, body.text, body.fileName, (path) => {
      tipPath = path;
      throw new Error('no tip files on upload');
    });
    const diagnostics = report.diagnostics.map((d) => ({
      line: d.line,
      column: d.column,
      severity: d.severity,
      // Never the server's paths: an uploaded exercise carries its tip inline.
      message: tipPath !== null && d.message.startsWith('tip file ') ? 'an uploaded exercise carries its tip inline: put the tip object under tip: instead of a file path' : d.message,
    }));
    if (diagnostics.some((d) => d.severity === 'error')) {
      res.status(422).json({ error: 'the exercise has errors', diagnostics });
      return;
    }
    const exercise = serverExerciseFromText(body.text, body.fileName);
    if (exercise === null) throw new Error('internal: a valid exercise did not load');
    if (exerciseById.has(exercise.id)) throw new HttpError(409, { error: `the exercise id ${exercise.id} is taken by a bundled exercise` });
    try {
      accounts.createExercise({ id: exercise.id, instructorId: user.id, fileName: body.fileName, text: body.text, createdAt: new Date(now()).toISOString() });
    } catch (error) {
      if (error instanceof StoreConflictError) throw new HttpError(409, { error: `the exercise id ${exercise.id} is taken` });
      throw error;
    }
    res.status(201).json({ exercise: { id: exercise.id, title: exercise.title, lesson: exercise.lesson, duration: exercise.duration, summary: exercise.summary }, diagnostics });
  });

  app.post('/api/sessions', authenticate, (req, res) => {
    const { user } = authOf(res);
    const body = parse(startSchema, req.body);
    if (user.role !== 'trainee') throw forbidden('sessions are started by trainees');
    const exercise = offeredTo(user).find((e) => e.id === body.exerciseId);
    if (exercise === undefined) {
      // The trainee may know it exists (bundled, or their instructor's): then it is not assigned to them.
      const known = accounts.cohortsOfMember(user.id).some((c) => exerciseOfInstructor(c.instructorId, body.exerciseId) !== null) || exerciseById.has(body.exerciseId);
      if (known) throw forbidden('this exercise is not assigned to your cohort');
      throw new HttpError(404, { error: 'no such exercise' });
    }
    const { exercise: e, tip, file } = exercise.loaded;
    const { session, stored } = createStoredSession(engine, events, tip, {
      sessionId: newId(),
      createdAt: new Date(now()).toISOString(),
      at: startTimeOf(e, tip),
      owner: user.id,
      exerciseId: e.id,
      mode: body.mode,
      meta: { exerciseText: exercise.text, exerciseFile: file },
    });
    const schedule = new InjectSchedule(e, startMsOf(session));
    deliverQueued(schedule, session, 0);
    const persisted = persistNewRecords(events, session, 0);
    if (!persisted.ok) throw new Error(`internal: a new session could not be written (${persisted.reason})`);
    const entry: Live = { session, exercise: e, schedule, messages: new Set() };
    exerciseCache.set(session.id, e);
    remember(entry);
    res.status(201).json({ view: viewOf(entry, { ...stored, lastSeq: persisted.lastSeq }) });
  });

  app.get('/api/sessions', authenticate, (_req, res) => {
    const { user } = authOf(res);
    res.json({ sessions: current(events.listSessions({ owner: user.id })).map((s) => summaryOf(s, liveSession(s))) });
  });

  app.get('/api/sessions/:id', authenticate, (req, res) => {
    const stored = readable(authOf(res).user, req.params.id);
    res.json({ view: viewOf(liveOf(stored), stored) });
  });

  app.post('/api/sessions/:id/events', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = readable(user, req.params.id);
    const body = parse(eventSchema, req.body);
    const stored = await settled(user, visible);
    const entry = liveOf(stored);
    const { session, schedule } = entry;
    // A retry of an acknowledged event gets the same answer, whatever its (now stale) expectedSeq says.
    const earlier = session.recordFor(body.eventId);
    if (earlier !== undefined) {
      res.json({ audit: earlier, view: viewOf(entry, stored) });
      return;
    }
    if (body.expectedSeq !== stored.lastSeq) throw new HttpError(409, { error: 'stale', lastSeq: stored.lastSeq });
    const result = engine.send(session, body.event, { eventId: body.eventId, actor: user.id === stored.owner ? 'trainee' : 'instructor' });
    if (!result.ok) {
      res.status(422).json({ error: result.refusal.message, allowed: result.refusal.allowed, ...(result.refusal.issues === undefined ? {} : { issues: result.refusal.issues }) });
      return;
    }
    if (schedule !== null) deliverQueued(schedule, session, result.audit.seq);
    const persisted = await persistOrFail(session, stored);
    res.json({ audit: result.audit, view: viewOf(entry, { ...stored, lastSeq: persisted.lastSeq }) });
  });

  // An instructor sends one of the exercise's injects now (a contingency, or a scripted one early).
  app.post('/api/sessions/:id/injects', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = readable(user, req.params.id);
    if (user.role !== 'instructor') throw forbidden('injects are sent by instructors');
    const stored = await settled(user, visible);
    const body = parse(injectSchema, req.body);
    const exercise = exerciseOfSession(stored);
    const inject = exercise?.injects?.find((i) => i.id === body.injectId);
    if (exercise === null || inject === undefined) throw new HttpError(404, { error: 'no such inject in this exercise' });
    const entry = liveOf(stored);
    const { session, schedule } = entry;
    const eventId = `${INJECT_ID_PREFIX}${inject.id}`;
    const earlier = session.recordFor(eventId);
    if (earlier !== undefined) {
      res.json({ audit: earlier, view: viewOf(entry, stored) });
      return;
    }
    const event = injectEvent(inject);
    if (event === null) {
      // Information only: no machine event, so it is kept beside the log and shown in the trainee's inbox.
      if (!entry.messages.has(inject.id)) {
        events.addMessage(stored.id, { injectId: inject.id, at: session.now, sentBy: user.id });
        entry.messages.add(inject.id);
      }
      schedule?.markSent(inject);
      res.json({ message: { injectId: inject.id, message: inject.message }, view: viewOf(entry, stored) });
      return;
    }
    if (body.expectedSeq !== stored.lastSeq) throw new HttpError(409, { error: 'stale', lastSeq: stored.lastSeq });
    const result = engine.deliver(session, event, { actor: 'instructor', eventId });
    schedule?.markSent(inject);
    if (!result.ok) {
      res.status(422).json({ error: result.refusal.message, allowed: result.refusal.allowed });
      return;
    }
    if (schedule !== null) deliverQueued(schedule, session, result.audit.seq);
    const persisted = await persistOrFail(session, stored);
    res.json({ audit: result.audit, view: viewOf(entry, { ...stored, lastSeq: persisted.lastSeq }) });
  });

  app.post('/api/sessions/:id/advance', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = readable(user, req.params.id);
    const body = parse(advanceSchema, req.body);
    const stored = await settled(user, visible);
    if (stored.mode !== 'practice') throw forbidden('the clock can be advanced in practice mode only');
    if (body.expectedSeq !== undefined && body.expectedSeq !== stored.lastSeq) throw new HttpError(409, { error: 'stale', lastSeq: stored.lastSeq });
    const entry = liveOf(stored);
    const fired = advanceWithInjects(entry, body.ms);
    const persisted = await persistOrFail(entry.session, stored);
    res.json({ fired, view: viewOf(entry, { ...stored, lastSeq: persisted.lastSeq }) });
  });

  // Practice help: the exercise's hint for the decision at hand, or the expected decision itself.
  app.get('/api/sessions/:id/hint', authenticate, (req, res) => {
    const { user } = authOf(res);
    const stored = readable(user, req.params.id);
    if (stored.mode !== 'practice') throw forbidden('hints are for practice mode only');
    const { session, exercise } = liveOf(stored);
    if (exercise === null) throw new HttpError(404, { error: 'this session has no exercise to give hints from' });
    res.json({ hint: practiceHint(engine, exercise, session) });
  });

  // Practice undo. The log is append-only, so taking a decision back starts a new session from the log up
  // to just before the trainee's last decision (its clock at that moment); the old one is kept, marked by
  // the new one's meta.forkOf, and left out of lists and results.
  app.post('/api/sessions/:id/undo', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const visible = readable(user, req.params.id);
    const body = parse(undoSchema, req.body);
    const stored = await settled(user, visible);
    if (stored.mode !== 'practice') throw forbidden('undo is for practice mode only');
    if (stored.owner !== user.id) throw forbidden('only the trainee of a session can take a decision back');
    if (body.expectedSeq !== stored.lastSeq) throw new HttpError(409, { error: 'stale', lastSeq: stored.lastSeq });
    const { session } = liveOf(stored);
    const last = [...session.log].reverse().find((r) => r.actor === 'trainee');
    if (last === undefined) throw new HttpError(422, { error: 'there is no decision to take back', allowed: session.allowedEvents() });
    const kept = session.log.slice(0, last.seq);
    const first = kept[0];
    if (first === undefined) throw new Error('internal: a session without its first record');
    const forked = events.createSession({
      id: newId(),
      input: session.input,
      first,
      createdAt: new Date(now()).toISOString(),
      exerciseId: stored.exerciseId,
      owner: stored.owner,
      mode: stored.mode,
      meta: { ...stored.meta, forkOf: stored.id, undone: last.eventId },
    });
    const appended = events.append(forked.id, 0, kept.slice(1), last.at);
    if (!appended.ok) throw new Error(`internal: the undone session could not be written (${appended.reason})`);
    const fresh = events.getSession(forked.id);
    if (fresh === null) throw new Error('internal: the undone session vanished');
    const entry = liveOf(fresh);
    res.status(201).json({ undone: last, view: viewOf(entry, fresh) });
  });

  app.get('/api/reference', authenticate, (_req, res) => {
    res.json(reference);
  });

  app.get('/api/sessions/:id/debrief', authenticate, (req, res) => {
    const { user } = authOf(res);
    const stored = readable(user, req.params.id);
    const session = liveSession(stored);
    if (user.id === stored.owner && user.role !== 'instructor') {
      if (!session.closed) throw forbidden('the debrief is available once the tip is closed');
      if (!released(stored)) throw forbidden('the debrief is available once your instructor releases it');
    }
    const exercise = exerciseOfSession(stored);
    if (exercise === null) throw new HttpError(404, { error: 'this session has no exercise to grade against' });
    res.json({ debrief: gradeSession(engine, exercise, session.toRecord()) });
  });

  /** Whether a cohort of the session's owner has released the debriefs of its exercise (or all of them). */
  function released(stored: StoredSession): boolean {
    if (stored.owner === null) return false;
    return accounts.cohortsOfMember(stored.owner).some((c) => accounts.releases(c.id).some((r) => r.exerciseId === null || r.exerciseId === stored.exerciseId));
  }

  /** Opens a server-sent event stream that forwards the appends `wanted` accepts. */
  function openStream(req: Request, res: Response, ready: unknown, wanted: (appended: AppendedEvent) => boolean, noticeWanted: (n: ClassNotice) => boolean = () => false): void {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`event: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    const unsubscribe = events.subscribe((appended: AppendedEvent) => {
      try {
        if (!wanted(appended)) return;
        res.write(`event: appended\ndata: ${JSON.stringify({ sessionId: appended.sessionId, records: appended.records, ...(appended.clockAt === undefined ? {} : { clockAt: appended.clockAt }), ...(appended.message === undefined ? {} : { message: appended.message }) })}\n\n`);
      } catch (error) {
        // A listener must never break the append that notified it.
        logger.warn({ err: error }, 'stream listener failed');
      }
    });
    const onNotice = (n: ClassNotice) => {
      try {
        if (noticeWanted(n)) res.write(`event: ${n.kind}\ndata: ${JSON.stringify(n)}\n\n`);
      } catch (error) {
        logger.warn({ err: error }, 'stream listener failed');
      }
    };
    noticeListeners.add(onNotice);
    streams.add(res);
    const close = () => {
      unsubscribe();
      noticeListeners.delete(onNotice);
      streams.delete(res);
    };
    req.on('close', close);
    res.on('close', close);
  }

  app.get('/api/sessions/:id/stream', authenticate, (req, res) => {
    const stored = readable(authOf(res).user, req.params.id);
    // The trainee hears when their cohort's instructor releases this exercise's debrief.
    const owner = stored.owner;
    openStream(
      req,
      res,
      { lastSeq: stored.lastSeq },
      (appended) => appended.sessionId === stored.id,
      (n) => n.kind === 'released' && owner !== null && (n.exerciseId === null || n.exerciseId === stored.exerciseId) && accounts.cohortsOfMember(owner).some((c) => c.id === n.cohortId),
    );
  });

  // -- cohorts (instructors) --

  app.post('/api/cohorts', authenticate, instructorOnly, (req, res) => {
    const { user } = authOf(res);
    const body = parse(cohortSchema, req.body);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        const cohort = accounts.createCohort({ id: newId(), name: body.name, instructorId: user.id, joinCode: newJoinCode(), createdAt: new Date(now()).toISOString() });
        res.status(201).json({ cohort: publicCohort(cohort, user) });
        return;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
    throw new Error('could not find a free join code');
  });

  app.get('/api/cohorts', authenticate, instructorOnly, (_req, res) => {
    const { user } = authOf(res);
    res.json({ cohorts: accounts.cohortsOfInstructor(user.id).map((c) => publicCohort(c, user)) });
  });

  app.get('/api/cohorts/:id/sessions', authenticate, instructorOnly, (req, res) => {
    const { user } = authOf(res);
    const cohort = ownCohort(user, req.params.id);
    const members = accounts.members(cohort.id);
    res.json({
      cohort: publicCohort(cohort, user),
      trainees: members.map((m) => ({ id: m.id, name: m.name, sessions: current(events.listSessions({ owner: m.id })).map((s) => summaryOf(s, liveSession(s))) })),
    });
  });

  /** The caller's own cohort, or 404. */
  function ownCohort(user: User, id: unknown): Cohort {
    const cohort = typeof id === 'string' && ID_PARAM.test(id) ? accounts.getCohort(id) : null;
    if (cohort === null || cohort.instructorId !== user.id) throw notFound();
    return cohort;
  }

  app.post('/api/cohorts/:id/assignments', authenticate, instructorOnly, (req, res) => {
    const { user } = authOf(res);
    const cohort = ownCohort(user, req.params.id);
    const body = parse(assignSchema, req.body);
    if (exerciseOfInstructor(user.id, body.exerciseId) === null) throw new HttpError(404, { error: 'no such exercise' });
    const assignment = accounts.assign({ cohortId: cohort.id, exerciseId: body.exerciseId, assignedAt: new Date(now()).toISOString() });
    res.status(201).json({ assignment: { exerciseId: assignment.exerciseId, assignedAt: assignment.assignedAt } });
  });

  // Taking an exercise off a cohort: trainees no longer see it; sessions already started keep going.
  app.delete('/api/cohorts/:id/assignments/:exerciseId', authenticate, instructorOnly, (req, res) => {
    const cohort = ownCohort(authOf(res).user, req.params.id);
    const exercise = parse(exerciseId, req.params.exerciseId);
    if (!accounts.unassign(cohort.id, exercise)) throw new HttpError(404, { error: 'that exercise is not assigned to this cohort' });
    res.status(204).end();
  });

  app.get('/api/cohorts/:id/assignments', authenticate, instructorOnly, (req, res) => {
    const cohort = ownCohort(authOf(res).user, req.params.id);
    res.json({ assignments: accounts.assignments(cohort.id).map((a) => ({ exerciseId: a.exerciseId, assignedAt: a.assignedAt })) });
  });

  app.post('/api/cohorts/:id/release', authenticate, instructorOnly, (req, res) => {
    const { user } = authOf(res);
    const cohort = ownCohort(user, req.params.id);
    const body = parse(releaseSchema, req.body ?? {});
    if (body.exerciseId !== undefined && exerciseOfInstructor(user.id, body.exerciseId) === null) throw new HttpError(404, { error: 'no such exercise' });
    const release = accounts.release({ cohortId: cohort.id, exerciseId: body.exerciseId ?? null, releasedAt: new Date(now()).toISOString() });
    notice({ kind: 'released', cohortId: cohort.id, exerciseId: release.exerciseId });
    res.status(201).json({ release: { exerciseId: release.exerciseId, releasedAt: release.releasedAt }, releases: accounts.releases(cohort.id).map((r) => ({ exerciseId: r.exerciseId, releasedAt: r.releasedAt })) });
  });

  /** The debrief of a stored session, or null when it has no exercise to grade against. */
  function debriefOf(stored: StoredSession): Debrief | null {
    const exercise = exerciseOfSession(stored);
    return exercise === null ? null : gradeSession(engine, exercise, liveSession(stored).toRecord());
  }

  function cohortResults(user: User, id: unknown) {
    const cohort = ownCohort(user, id);
    const sessions = accounts.members(cohort.id).flatMap((m) => current(events.listSessions({ owner: m.id })).map((s) => ({ trainee: m.name, stored: s })));
    return resultRows(sessions.map(({ trainee, stored }) => ({ trainee, stored, closed: liveSession(stored).closed, debrief: debriefOf(stored) })));
  }

  app.get('/api/cohorts/:id/results.json', authenticate, instructorOnly, (req, res) => {
    res.json({ results: cohortResults(authOf(res).user, req.params.id) });
  });

  app.get('/api/cohorts/:id/results.csv', authenticate, instructorOnly, (req, res) => {
    const rows = cohortResults(authOf(res).user, req.params.id);
    res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="results.csv"' }).send(resultsCsv(rows));
  });

  app.get('/api/cohorts/:id/stream', authenticate, instructorOnly, (req, res) => {
    const { user } = authOf(res);
    const cohort = ownCohort(user, req.params.id);
    const owners = new Map<string, boolean>();
    openStream(req, res, { cohortId: cohort.id }, (appended) => {
      const owner = events.getSession(appended.sessionId)?.owner ?? null;
      if (owner === null) return false;
      // Membership never ends, so a yes is cached; a no is asked again (the trainee may join later).
      if (owners.get(owner) === true) return true;
      const member = accounts.cohortsOfMember(owner).some((c) => c.id === cohort.id);
      if (member) owners.set(owner, true);
      return member;
    }, (n) => n.cohortId === cohort.id);
  });

  registerInstructorRoutes(app, { engine, accounts, authenticate, instructorOnly, readable, ownCohort, exerciseOfInstructor, liveSession, exerciseOfSession, sessionsOf: (owner) => current(events.listSessions({ owner })), messagesOf: (id) => (events.readMessages(id) ?? []).map((m) => m.injectId) });
  registerInspectRoutes(app, {
    engine,
    authenticate,
    instructorOnly,
    userOf: (res) => authOf(res).user,
    readable,
    liveSession,
    newId,
  });

  // -- the rest: 404, and errors without stack traces --

  app.use('/api', (_req, _res, next: NextFunction) => next(notFound()));
  if (web !== null) app.use(web.router);
  app.use((_req, _res, next: NextFunction) => next(notFound()));

  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof HttpError) {
      res.status(error.status).json(error.body);
      return;
    }
    const e = error as { status?: unknown; type?: unknown; expose?: unknown };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      const message =
        e.type === 'entity.parse.failed' ? 'malformed JSON' : e.type === 'entity.too.large' ? `the body is larger than ${BODY_LIMIT}` : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' ? 'unsupported encoding' : 'bad request';
      res.status(e.status).json({ error: e.type === 'entity.too.large' && req.path === '/api/exercises' ? `the body is larger than ${UPLOAD_BODY_LIMIT}` : message, issues: [] });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'internal error');
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);

  app.closeStreams = () => {
    for (const stream of streams) stream.end();
    streams.clear();
  };
  return app;
}

function publicCohort(cohort: Cohort, viewer: User): Record<string, string> {
  // Join codes are the instructor's to hand out.
  return viewer.id === cohort.instructorId ? { id: cohort.id, name: cohort.name, joinCode: cohort.joinCode, createdAt: cohort.createdAt } : { id: cohort.id, name: cohort.name };
}

/** Sessions not replaced by an undo (a practice undo forks a new session whose meta.forkOf names the old). */
function current(sessions: readonly StoredSession[]): StoredSession[] {
  const replaced = new Set(sessions.map((s) => s.meta.forkOf).filter((id): id is string => typeof id === 'string'));
  return sessions.filter((s) => !replaced.has(s.id));
}

/** A line of a session list: where its tip is, so a list needs no view per session. */
function summaryOf(s: StoredSession, session: RoutingSession): SessionSummary {
  return {
    id: s.id,
    exerciseId: s.exerciseId,
    mode: s.mode,
    createdAt: s.createdAt,
    lastSeq: s.lastSeq,
    forkOf: typeof s.meta.forkOf === 'string' ? s.meta.forkOf : null,
    state: session.state,
    phase: phaseOf(session.snapshot.value),
    closed: session.closed,
    outcome: session.context.outcome,
  };
}
