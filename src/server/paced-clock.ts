// Time in an assessment (DESIGN §10): an exercise's `clock.pace` (or its cohort's, when the instructor set
// one) says how simulated time passes while the session is open. `paced`: only when the trainee waits or the
// instructor advances. A factor: each real minute is that many simulated minutes, applied as ticks, each a
// CLOCK.ADVANCE record (cause `pace`, with the real time it was taken at) written by the exercise runner, so
// replay stays exact. The server owns real time: this module reads it, the runner never does.
import type { AuditRecord } from '../engine/index.js';
import { paceOf, type Pace } from '../scenario/format.js';
import type { AccountStore, CohortClock } from '../store/account-store.js';
import type { StoredSession } from '../store/event-store.js';
import type { Live } from './session-view.js';

/** Shorter real gaps are not ticked (a tick per request would fill the log with crumbs). */
const MIN_TICK_REAL_MS = 1_000;

export interface SessionClock {
  /** The pace in force: the cohort's when its instructor set one, else the exercise's. */
  pace: Pace;
  paused: boolean;
  /** The cohort whose setting applies (null: none, the exercise's own pace). */
  cohortId: string | null;
  /** Wall-clock time the setting took effect (ISO), or null. */
  since: string | null;
}

/** The cohort of a session's trainee that has its exercise assigned (else their first cohort), with its clock. */
async function cohortClockOf(accounts: AccountStore, stored: StoredSession): Promise<{ cohortId: string; clock: CohortClock | null } | null> {
  if (stored.owner === null) return null;
  const cohorts = await accounts.cohortsOfMember(stored.owner);
  let cohort = cohorts[0];
  for (const c of cohorts) {
    if ((await accounts.assignments(c.id)).some((a) => a.exerciseId === stored.exerciseId)) {
      cohort = c;
      break;
    }
  }
  return cohort === undefined ? null : { cohortId: cohort.id, clock: await accounts.cohortClock(cohort.id) };
}

/** How the session's clock runs now. Practice is always paced (the trainee waits when they like). */
export async function sessionClock(accounts: AccountStore, live: Live, stored: StoredSession): Promise<SessionClock> {
  const own: Pace = live.exercise === null ? 'paced' : paceOf(live.exercise);
  if (stored.mode !== 'assessment') return { pace: 'paced', paused: false, cohortId: null, since: null };
  const cohort = await cohortClockOf(accounts, stored);
  const clock = cohort?.clock ?? null;
  return { pace: clock?.pace ?? own, paused: clock?.paused ?? false, cohortId: cohort?.cohortId ?? null, since: clock?.since ?? null };
}

/** When the session's paced clock last ticked (real time, epoch ms): its last pace record, else its creation. */
function lastTickMs(live: Live, stored: StoredSession): number {
  for (let i = live.session.log.length - 1; i > 0; i -= 1) {
    const event = live.session.log[i]?.event;
    if (event?.type === 'CLOCK.ADVANCE' && event.cause === 'pace' && typeof event.realAt === 'string') return Date.parse(event.realAt);
  }
  return Date.parse(stored.createdAt);
}

/**
 * Lets the simulated time that passed in real time since the last tick pass, at the pace in force; returns
 * the records (none when the clock is paced, paused, or the session closed or read-only).
 */
export async function tickPacedClock(accounts: AccountStore, live: Live, stored: StoredSession, nowMs: number): Promise<AuditRecord[]> {
  if (live.session.closed || live.readOnly !== null) return [];
  const clock = await sessionClock(accounts, live, stored);
  // The clock was read while other requests went on: the session may have closed meanwhile.
  if (live.session.closed || live.readOnly !== null) return [];
  if (clock.pace === 'paced' || clock.paused) return [];
  const from = Math.max(lastTickMs(live, stored), clock.since === null ? Number.NEGATIVE_INFINITY : Date.parse(clock.since));
  const elapsed = nowMs - from;
  if (!Number.isFinite(elapsed) || elapsed < MIN_TICK_REAL_MS) return [];
  return live.runner.tick(Math.floor(elapsed * clock.pace), { realAt: new Date(nowMs).toISOString() });
}
