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
import { KeyedLock } from './keyed-lock.js';
import { current } from './session-lists.js';

export interface ClockRouteDeps extends Pick<LiveSessions, 'liveOf' | 'persistOrFail' | 'exclusive'> {
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
  const { events, accounts, now, authenticate, instructorOnly, ownCohort, liveOf, persistOrFail, exclusive } = deps;
  /** One setting of a cohort's clock at a time: each catches up the open assessments, then writes its own. */
  const settings = new KeyedLock();

  app.get('/api/cohorts/:id/clock', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    res.json({ clock: (await accounts.cohortClock(cohort.id)) ?? defaultClock(cohort.id) });
  });

  app.put('/api/cohorts/:id/clock', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    const body = parse(clockSchema, req.body);
    const next = await settings.run(cohort.id, async () => {
      const nowMs = now();
      // Every open assessment catches up at the setting in force until now (each in its turn with its steps).
      for (const member of await accounts.members(cohort.id)) {
        for (const listed of current(await events.listSessions({ owner: member.id }))) {
          if (listed.mode !== 'assessment') continue;
          await exclusive(listed, async (stored) => {
            const entry = await liveOf(stored);
            if ((await tickPacedClock(accounts, entry, stored, nowMs)).length > 0) await persistOrFail(entry.session, stored);
          });
        }
      }
      const before = (await accounts.cohortClock(cohort.id)) ?? defaultClock(cohort.id);
      const setting: CohortClock = { cohortId: cohort.id, pace: body.pace === undefined ? before.pace : body.pace, paused: body.paused ?? before.paused, since: new Date(nowMs).toISOString() };
      await accounts.setCohortClock(setting);
      return setting;
    });
    res.json({ clock: next });
  });
}
