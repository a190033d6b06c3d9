// The classroom API (issue 6): express 5, bearer tokens, roles, the stepping API over the event store,
// and server-sent events. Every input is validated with zod; errors say what was wrong and leak nothing.
// Here the app is put together: middleware, the helpers the route groups share (one deps object), each
// group's routes from its own module (in registration order, which express matches by), the 404s and the
// error handler.
import express, { type ErrorRequestHandler, type Express, type NextFunction } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Engine } from '../engine/index.js';
import type { AccountStore } from '../store/account-store.js';
import type { EventStore } from '../store/event-store.js';
import { localSignals, type InstanceSignals } from '../store/instance-signals.js';
import { registerAarRoutes } from './aar-routes.js';
import { createAttempts } from './attempts.js';
import { registerAccountRoutes } from './account-routes.js';
import { authOf, createAuthentication, registerAuthRoutes, type Authed } from './auth.js';
import { createClassSignals } from './class-signals.js';
import { registerClockRoutes } from './clock-routes.js';
import { ownCohortIn, registerCohortRoutes } from './cohort-routes.js';
import { createExerciseCatalog, registerExerciseRoutes, UPLOAD_BODY_LIMIT } from './exercise-routes.js';
import type { ServerExercise } from './exercises.js';
import { GroupCommit } from './group-commit.js';
import { HttpError, notFound } from './http-errors.js';
import { registerInspectRoutes } from './inspect-routes.js';
import { registerInstructorRoutes } from './instructor-routes.js';
import { createLiveSessions } from './live-sessions.js';
import { newId } from './passwords.js';
import { createReplacements } from './replacements.js';
import { sessionReader } from './session-access.js';
import { current } from './session-lists.js';
import { registerSessionRoutes } from './session-routes.js';
import { createStreams } from './streams.js';
import { webAssets, type WebAssets } from './web-static.js';

export { EXERCISE_TEXT_LIMIT } from './exercise-routes.js';
export type { SessionView } from './session-view.js';

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
  /**
   * Signals to the other server instances on the same store (openStores gives them): class notices for the
   * streams, and the forgets of tokens and uploads. Default: this process alone.
   */
  signals?: InstanceSignals;
}

export interface TipflowApp extends Express {
  /** Ends every open event stream (graceful shutdown). */
  closeStreams(): void;
}

export const BODY_LIMIT = '64kb';
/** The API's paths, as express matches them (without regard to case). */
const API_PATH = /^\/api(?:\/|$)/i;

export function createApp(options: AppOptions): TipflowApp {
  const { engine, events, accounts, exercises, logger } = options;
  const now = options.now ?? Date.now;
  const tokenTtlMs = options.tokenTtlMs ?? 12 * 60 * 60 * 1000;
  const limit = options.loginLimit ?? { failures: 10, windowMs: 15 * 60 * 1000 };
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
  const json = express.json({ limit: BODY_LIMIT, strict: true });
  const uploadJson = express.json({ limit: UPLOAD_BODY_LIMIT, strict: true });
  // One middleware for what every request gets (each layer is a step of express's router for every request):
  // the request's log line when it is done (when the logger logs requests at all), no cache for API answers
  // (they carry tokens, sessions and debriefs: no browser's or proxy's cache keeps them), the JSON body.
  const logsRequests = logger.isLevelEnabled('info');
  app.use((req, res, next) => {
    if (logsRequests) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const auth = res.locals.auth as Authed | undefined;
        logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, user: auth?.user.id }, 'request');
      });
    }
    const path = req.path;
    if (API_PATH.test(path)) res.setHeader('Cache-Control', 'no-store');
    (req.method === 'POST' && path === '/api/exercises' ? uploadJson : json)(req, res, next);
  });

  // -- the helpers every route group shares, and the routes (registered in this order) --

  // A logout or a password change on another instance is heard through the store's signals at once; when signals
  // may have been missed (the store's LISTEN connection was down), every cached token is dropped.
  const signals = createClassSignals(options.signals ?? localSignals(), logger);
  const authentication = createAuthentication({ accounts, now });
  const { authenticate, instructorOnly } = authentication;
  const forgetToken = async (hash: string): Promise<void> => {
    authentication.forgetToken(hash);
    await signals.send({ topic: 'token-forgotten', hash });
  };
  const forgetUser = async (userId: string): Promise<void> => {
    authentication.forgetUser(userId);
    await signals.send({ topic: 'user-forgotten', userId });
  };
  const readable = sessionReader({ events, accounts });
  const streams = createStreams({ events, logger, send: (notice) => void signals.send({ topic: 'notice', notice }) });
  const deps = {
    engine,
    events,
    accounts,
    now,
    tokenTtlMs,
    loginLimit: limit,
    authenticate,
    instructorOnly,
    forgetToken,
    forgetUser,
    readable,
    ownCohort: ownCohortIn(accounts),
    openStream: streams.openStream,
    notice: streams.notice,
    replacements: createReplacements(),
    attempts: createAttempts({ accounts, events }),
    ...createLiveSessions({ engine, events, groupCommit }),
    ...createExerciseCatalog({ accounts, exercises, announceDeletion: (instructorId, exerciseId) => signals.send({ topic: 'upload-deleted', instructorId, exerciseId }) }),
  };
  const { ownCohort, exerciseOfInstructor, liveSession, exerciseOfSession } = deps;
  const stopListening = signals.listen({
    notice: (n) => {
      // An undo on another instance: this one stops taking steps of the replaced session at once.
      if (n.kind === 'replaced') deps.replacements.noteReplaced(n.sessionId, n.by);
      streams.hear(n);
    },
    tokenForgotten: authentication.forgetToken,
    userForgotten: authentication.forgetUser,
    uploadDeleted: deps.forgetUpload,
    // Signals may have been missed: nothing cached on their word is trusted, and every page reads again what it
    // shows (the web app reloads when its stream reconnects). Replacements keep only yeses, which never end.
    resync: () => {
      authentication.forgetAll();
      deps.forgetAllUploads();
      streams.reopenStreams();
    },
  });

  // The sessions' routes first: a trainee's steps are most of the requests, and express tries routes in order.
  registerSessionRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerExerciseRoutes(app, deps);
  registerCohortRoutes(app, deps);
  registerAarRoutes(app, deps);
  registerClockRoutes(app, deps);
  registerInstructorRoutes(app, { engine, accounts, authenticate, instructorOnly, readable, ownCohort, exerciseOfInstructor, liveSession, exerciseOfSession, sessionsOf: async (owner) => current(await events.listSessions({ owner })), messagesOf: async (id) => ((await events.readMessages(id)) ?? []).map((m) => m.injectId), policyFor: deps.attempts.policyFor });
  registerInspectRoutes(app, {
    engine,
    authenticate,
    instructorOnly,
    userOf: (res) => authOf(res).user,
    readable,
    liveSession,
    replacedBy: deps.replacements.replacedBy,
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
    stopListening();
    streams.closeStreams();
  };
  return app;
}
