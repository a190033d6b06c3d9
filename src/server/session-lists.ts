// Session lists (a trainee's own, a cohort's): the sessions still current, one summary line each.
import type { SessionSummary } from '../api/contract.js';
import { phaseOf, type RoutingSession } from '../engine/index.js';
import type { StoredSession } from '../store/event-store.js';

/** Sessions not replaced by an undo (a practice undo forks a new session whose meta.forkOf names the old). */
export function current(sessions: readonly StoredSession[]): StoredSession[] {
  const replaced = new Set(sessions.map((s) => s.meta.forkOf).filter((id): id is string => typeof id === 'string'));
  return sessions.filter((s) => !replaced.has(s.id));
}

/** A line of a session list: where its tip is, so a list needs no view per session. */
export function summaryOf(s: StoredSession, session: RoutingSession): SessionSummary {
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
    outcome: session.outcome,
  };
}
