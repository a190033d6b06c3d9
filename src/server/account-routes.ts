// Accounts that can be recovered (issue 18, item 3): the instructor of a cohort gives a trainee who forgot
// their password a new one-time password, shown once in the answer; every sign-in of the trainee ends, and
// the password must be changed at the next sign-in (auth.ts lets such a user do nothing else). Resets are
// counted per instructor like failed logins, and never given back.
import type { Express, RequestHandler } from 'express';
import type { AccountStore, Cohort, User } from '../store/account-store.js';
import { authOf } from './auth.js';
import { HttpError, ID_PARAM, notFound } from './http-errors.js';
import { hashPassword, newPassword } from './passwords.js';

export interface AccountRouteDeps {
  accounts: AccountStore;
  now: () => number;
  /** The limit of failed logins; an instructor may reset as many passwords within its window. */
  loginLimit: { failures: number; windowMs: number };
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
  ownCohort: (user: User, id: unknown) => Promise<Cohort>;
  forgetUser: (userId: string) => void | Promise<void>;
}

/** What the reset answers: the one-time password (shown only now) and how many sign-ins it ended. */
export interface PasswordReset {
  trainee: { id: string; name: string; displayName: string | null };
  password: string;
  signedOut: number;
}

export function registerAccountRoutes(app: Express, deps: AccountRouteDeps): void {
  const { accounts, now, loginLimit, authenticate, instructorOnly, ownCohort, forgetUser } = deps;

  app.post('/api/cohorts/:id/members/:userId/password', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const cohort = await ownCohort(user, req.params.id);
    const traineeId = req.params.userId;
    const trainee = typeof traineeId === 'string' && ID_PARAM.test(traineeId) ? (await accounts.members(cohort.id)).find((m) => m.id === traineeId && m.role === 'trainee') : undefined;
    if (trainee === undefined) throw notFound();
    if (!(await accounts.takeAttempt(`reset\u0000${user.id}`, now(), loginLimit.windowMs, loginLimit.failures))) throw new HttpError(429, { error: 'too many password resets; try again later' });
    const password = newPassword();
    const signedOut = await accounts.resetPassword(trainee.id, await hashPassword(password));
    if (signedOut === null) throw notFound();
    await forgetUser(trainee.id);
    const reply: PasswordReset = { trainee: { id: trainee.id, name: trainee.name, displayName: trainee.displayName ?? null }, password, signedOut };
    res.json(reply);
  });
}
