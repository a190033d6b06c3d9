// A cohort's assessment clock (DESIGN §10): the instructor sets the pace that overrides the exercises' own
// (`paced`, or a factor), and pauses or resumes it. Before a setting changes, every open assessment of the
// cohort's trainees catches up at the old setting (the ticks are records), so no real minute is counted twice
// or lost.
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import type { AccountStore, CohortClock } from '../store/account-store.js';
import type { EventStore } from '../store/event-store.js';
import { authOf } from './auth.js';
import type { OwnCohort } from './cohort-routes.js';
import { parse } from './http-errors.js';
import type { LiveSessions } from './live-sessions.js';
import { tickPacedClock } from './paced-clock.js';
import { current } from './session-lists.js';

export interface ClockRouteDeps extends Pick<LiveSessions, 'liveOf' | 'persistOrFail'> {
  events: EventStore;
  accounts: AccountStore;
  now: () => number;
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
  ownCohort: OwnCohort;
}

/** A pace an instructor may set: paced, a factor from 1 to 10000, or null (each exercise's own). */
const paceSchema = z.union([z.literal('paced'), z.number().min(1).max(10_000), z.null()]);
const clockSchema = z.strictObject({ pace: paceSchema.optional(), paused: z.boolean().optional() }).refine((b) => b.pace !== undefined || b.paused !== undefined, { error: 'give pace, paused, or both' });

const defaultClock = (cohortId: string): CohortClock => ({ cohortId, pace: null, paused: false, since: new Date(0).toISOString() });

export function registerClockRoutes(app: Express, deps: ClockRouteDeps): void {
  const { events, accounts, now, authenticate, instructorOnly, ownCohort, liveOf, persistOrFail } = deps;

  app.get('/api/cohorts/:id/clock', authenticate, instructorOnly, (req, res) => {
    const cohort = ownCohort(authOf(res).user, req.params.id);
    res.json({ clock: accounts.cohortClock(cohort.id) ?? defaultClock(cohort.id) });
  });

  app.put('/api/cohorts/:id/clock', authenticate, instructorOnly, async (req, res) => {
    const cohort = ownCohort(authOf(res).user, req.params.id);
    const body = parse(clockSchema, req.body);
    const nowMs = now();
    // Every open assessment catches up at the setting in force until now.
    for (const member of accounts.members(cohort.id)) {
      for (const stored of current(events.listSessions({ owner: member.id }))) {
        if (stored.mode !== 'assessment') continue;
        const entry = liveOf(stored);
        if (tickPacedClock(accounts, entry, stored, nowMs).length > 0) await persistOrFail(entry.session, stored);
      }
    }
    const before = accounts.cohortClock(cohort.id) ?? defaultClock(cohort.id);
    const next: CohortClock = { cohortId: cohort.id, pace: body.pace === undefined ? before.pace : body.pace, paused: body.paused ?? before.paused, since: new Date(nowMs).toISOString() };
    accounts.setCohortClock(next);
    res.json({ clock: next });
  });
}
