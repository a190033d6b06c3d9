// Who is asking: bearer tokens (checked against the database, trusted for a short while) and the instructor
// role, and the account routes: log in, join a cohort, log out, change one's password, who am I. Failed
// logins and wrong join codes are rate-limited per name and address.
import type { Express, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { AccountStore, User } from '../store/account-store.js';
import { StoreConflictError } from '../store/event-store.js';
import { publicCohort } from './cohort-view.js';
import { forbidden, HttpError, parse } from './http-errors.js';
import { freeStringProblem } from '../domain/tip/synthetic.js';
import { dummyPasswordHash, hashPassword, newId, newToken, tokenHash, verifyPassword } from './passwords.js';
import type { ClassNotice } from './streams.js';
import { TokenCache } from './token-cache.js';

/**
 * How long a checked bearer token is trusted without asking the database again. Logging out forgets it at
 * once; a change made by another process (`tipflow user`) takes effect within this time.
 */
const TOKEN_CACHE_MS = 2_000;

/** An account name: a short handle, and synthetic like every free string (no real domain such as www.google.com). */
export const accountName = z
  .string()
  .max(40, { error: 'at most 40 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/, { error: '2 to 40 letters, digits, dots, hyphens or underscores' })
  .check((ctx) => {
    const problem = freeStringProblem(ctx.value, 40);
    if (problem !== null) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });
export const MIN_PASSWORD = 10;
/** A new password: at least MIN_PASSWORD characters that are not spaces, with at least three different ones. */
export const newPassword = z
  .string()
  .max(200, { error: 'at most 200 characters' })
  .refine((p) => p.replace(/\s/g, '').length >= MIN_PASSWORD, { error: `at least ${MIN_PASSWORD} characters other than spaces` })
  .refine((p) => new Set(p).size >= 3, { error: 'more than one or two different characters' });
/**
 * How the instructor's screens name a trainee ("Officer Jones"): letters, digits, spaces and . ' -, apart from
 * the sign-in name; synthetic like every free string.
 */
export const displayName = z
  .string()
  .trim()
  .min(2, { error: 'at least 2 characters' })
  .max(60, { error: 'at most 60 characters' })
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} .'-]*$/u, { error: "letters, digits, spaces, dots, apostrophes or hyphens" })
  .check((ctx) => {
    const problem = freeStringProblem(ctx.value, 60);
    if (problem !== null) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });
const name = accountName;
const password = newPassword;
const loginSchema = z.strictObject({ name: z.string().min(1).max(40), password: z.string().min(1).max(200) });
const joinSchema = z.strictObject({ code: z.string().regex(/^[A-Z0-9]{6,12}$/, { error: 'a join code such as K7M2Q9XA' }), name, password, displayName: displayName.optional() });

/** What a user whose password was reset may still do before choosing a new one. */
const BEFORE_NEW_PASSWORD = new Set(['/api/password', '/api/me', '/api/logout']);
const passwordChangeSchema = z.strictObject({ current: z.string().min(1).max(200), next: password });

export interface Authed {
  user: User;
  tokenHash: string;
}

export const authOf = (res: Response): Authed => res.locals.auth as Authed;

export interface Authentication {
  /** Answers 401 unless the request carries a known, unexpired bearer token; keeps its user in res.locals. */
  authenticate: RequestHandler;
  /** Answers 403 unless the authenticated user is an instructor. */
  instructorOnly: RequestHandler;
  /** Stops trusting a token at once (logging out). */
  forgetToken: (hash: string) => void;
  /** Stops trusting every token of a user at once (their password changed). */
  forgetUser: (userId: string) => void;
  /** Stops trusting every cached token (the other instances' forgets may have been missed). */
  forgetAll: () => void;
}

export function createAuthentication({ accounts, now }: { accounts: AccountStore; now: () => number }): Authentication {
  const tokens = new TokenCache((hash, at) => accounts.userForToken(hash, new Date(at).toISOString()), TOKEN_CACHE_MS);

  const authenticate: RequestHandler = async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header)?.[1];
    const hash = token === undefined ? null : tokenHash(token);
    const user = hash === null ? null : await tokens.userFor(hash, now());
    if (user === null || hash === null) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    res.locals.auth = { user, tokenHash: hash } satisfies Authed;
    // A one-time password (an instructor's reset) opens nothing but the change of password.
    if (user.mustChangePassword === true && !BEFORE_NEW_PASSWORD.has(req.originalUrl.split('?')[0] ?? '')) {
      res.status(403).json({ error: 'choose a new password first', code: 'password-change-required' });
      return;
    }
    next();
  };

  const instructorOnly: RequestHandler = (_req, res, next) => {
    if (authOf(res).user.role !== 'instructor') throw forbidden('instructors only');
    next();
  };

  return { authenticate, instructorOnly, forgetToken: (hash) => tokens.forget(hash), forgetUser: (userId) => tokens.forgetUser(userId), forgetAll: () => tokens.forgetAll() };
}

export interface AuthRouteDeps {
  accounts: AccountStore;
  now: () => number;
  /** Token lifetime. */
  tokenTtlMs: number;
  /** Failed logins per name and address within the window before 429. */
  loginLimit: { failures: number; windowMs: number };
  authenticate: RequestHandler;
  /** Resolves once the other instances were told too. */
  forgetToken: (hash: string) => void | Promise<void>;
  forgetUser: (userId: string) => void | Promise<void>;
  notice: (n: ClassNotice) => void;
}

export function registerAuthRoutes(app: Express, deps: AuthRouteDeps): void {
  const { accounts, now, tokenTtlMs, loginLimit: limit, authenticate, forgetToken, forgetUser, notice } = deps;

  // Every attempt is taken from the store, counted and kept in one transaction there, before the password is
  // checked (so parallel guesses cannot all pass the check while scrypt runs, and a restart does not forget
  // them); a success gives them back.
  const attemptKey = (what: string, who: string, req: Request | null): string => `${what}\u0000${who}\u0000${req?.socket.remoteAddress ?? ''}`;
  const take = (key: string): Promise<boolean> => accounts.takeAttempt(key, now(), limit.windowMs, limit.failures);

  async function issueToken(user: User): Promise<string> {
    const token = newToken();
    const at = now();
    await accounts.createToken({ hash: tokenHash(token), userId: user.id, createdAt: new Date(at).toISOString(), expiresAt: new Date(at + tokenTtlMs).toISOString() });
    return token;
  }

  app.post('/api/login', async (req, res) => {
    const body = parse(loginSchema, req.body);
    const key = attemptKey('login', body.name, req);
    if (!(await take(key))) {
      res.status(429).json({ error: 'too many failed logins; try again later' });
      return;
    }
    const user = await accounts.findUserByName(body.name);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (user === null || !ok) {
      res.status(401).json({ error: 'wrong name or password' });
      return;
    }
    await accounts.clearAttempts(key);
    const { passwordHash: _hidden, ...visible } = user;
    res.json({ token: await issueToken(visible), user: visible });
  });

  app.post('/api/join', async (req, res) => {
    const body = parse(joinSchema, req.body);
    // Guessing join codes counts against the address, like failed logins (a right code gives its attempt back).
    const key = attemptKey('join', '', req);
    if (!(await take(key))) throw new HttpError(429, { error: 'too many wrong join codes; try again later' });
    const cohort = await accounts.cohortByJoinCode(body.code);
    if (cohort === null) throw new HttpError(404, { error: 'no cohort has this join code' });
    await accounts.clearAttempts(key);
    const passwordHash = await hashPassword(body.password);
    // The name is checked by the store's unique constraint in the same transaction that creates the member,
    // so two joins with one name cannot both pass: the second is answered 409.
    let user: User;
    try {
      user = await accounts.createMember({ id: newId(), name: body.name, role: 'trainee', passwordHash, createdAt: new Date(now()).toISOString(), ...(body.displayName === undefined ? {} : { displayName: body.displayName }) }, cohort.id);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new HttpError(409, { error: 'this name is taken' });
      throw error;
    }
    notice({ kind: 'joined', cohortId: cohort.id, trainee: { id: user.id, name: user.name } });
    res.status(201).json({ token: await issueToken(user), user, cohort: { id: cohort.id, name: cohort.name } });
  });

  app.post('/api/logout', authenticate, async (_req, res) => {
    await accounts.deleteToken(authOf(res).tokenHash);
    await forgetToken(authOf(res).tokenHash);
    res.status(204).end();
  });

  app.post('/api/password', authenticate, async (req, res) => {
    const { user } = authOf(res);
    const body = parse(passwordChangeSchema, req.body);
    // Counted per user, from any address: a stolen token must not buy guesses at the current password.
    const key = attemptKey('password', user.id, null);
    if (!(await take(key))) throw new HttpError(429, { error: 'too many failed attempts; try again later' });
    const stored = await accounts.findUserByName(user.name);
    if (stored === null || !(await verifyPassword(body.current, stored.passwordHash))) throw new HttpError(403, { error: 'the current password is wrong' });
    await accounts.clearAttempts(key);
    // Whoever knew the old password is signed out everywhere else; this sign-in goes on.
    await accounts.changePassword(user.id, await hashPassword(body.next), authOf(res).tokenHash);
    await forgetUser(user.id);
    res.status(204).end();
  });

  app.get('/api/me', authenticate, async (_req, res) => {
    const { user } = authOf(res);
    const cohorts = user.role === 'instructor' ? await accounts.cohortsOfInstructor(user.id) : await accounts.cohortsOfMember(user.id);
    res.json({ user, cohorts: cohorts.map((c) => publicCohort(c, user)) });
  });
}
