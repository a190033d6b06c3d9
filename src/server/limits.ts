// Caps per user that keep one account from filling the store or forking a session twice (issue 16).
import type { EventStore, StoredSession } from '../store/event-store.js';
import { HttpError } from './http-errors.js';

/** Sessions a trainee may start from one exercise (undo's forks not counted): far above a course's needs. */
export const MAX_SESSIONS_PER_EXERCISE = 50;
/** Sessions of one trainee in all, forks included. */
export const MAX_SESSIONS_PER_USER = 1_000;

/** Throws 429 when the trainee has started as many sessions of this exercise (or in all) as allowed. */
export async function checkSessionCaps(events: EventStore, owner: string, exerciseId: string): Promise<void> {
  const mine = await events.listSessions({ owner });
  if (mine.length >= MAX_SESSIONS_PER_USER) throw new HttpError(429, { error: `at most ${MAX_SESSIONS_PER_USER} sessions per trainee` });
  const started = mine.filter((s) => s.exerciseId === exerciseId && s.meta.forkOf === undefined).length;
  if (started >= MAX_SESSIONS_PER_EXERCISE) throw new HttpError(429, { error: `at most ${MAX_SESSIONS_PER_EXERCISE} sessions of one exercise per trainee` });
}

/** Throws 409 when a practice undo already forked this session: it has been replaced, and goes on elsewhere. */
export async function checkNotForked(events: EventStore, stored: StoredSession): Promise<void> {
  const fork = (await events.listSessions(stored.owner === null ? {} : { owner: stored.owner })).find((s) => s.meta.forkOf === stored.id);
  if (fork !== undefined) throw new HttpError(409, { error: 'this session was already replaced by an undo', replacedBy: fork.id });
}

/** How far past its start a session's (or a sandbox's) simulated clock may be advanced: ten years. */
export const MAX_CLOCK_SPAN_MS = 10 * 366 * 24 * 60 * 60 * 1000;

/**
 * Throws 422 when advancing a clock now at `nowIso` by `ms` would take it more than MAX_CLOCK_SPAN_MS past
 * `startMs`: enough advances would otherwise carry it past the last date JavaScript can write (year 275760),
 * and the session could no longer be shown.
 */
export function checkClockSpan(nowIso: string, startMs: number, ms: number): void {
  const nowMs = Date.parse(nowIso);
  if (!Number.isFinite(nowMs) || nowMs + ms - startMs > MAX_CLOCK_SPAN_MS) {
    throw new HttpError(422, { error: 'the simulated clock stops ten years after the tip arrived', allowed: [] });
  }
}
