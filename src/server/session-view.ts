// What a session looks like over the API: the live session kept between requests and the view built from
// it. The view shows the facts and decisions a trainee may see; the rule book's caveats only once confirmed.
import { TIP_CAVEAT_CHOICES } from '../domain/caveats/choices.js';
import { DECISION_EVENT_TYPES } from '../domain/events.js';
import { hidesTriageDeadline } from '../domain/routing/timer-table.js';
import { indicatorRowsOf } from '../domain/indicator-rows.js';
import { tipFactsOf } from '../domain/tip/facts.js';
import { delayOfTimerEvent, pendingTimerName } from '../domain/routing/timers.js';
import { phaseOf, routeResultOf, type RoutingSession } from '../engine/index.js';
import type { Exercise } from '../scenario/format.js';
import { deliveredInjectsOf } from '../scenario/inbox.js';
import { INJECT_ID_PREFIX, startMsOf, type ExerciseRunner } from '../scenario/runner.js';
import type { StoredSession } from '../store/event-store.js';
import type { SessionView } from '../api/contract.js';

export type { SessionView };

export { INJECT_ID_PREFIX, startMsOf };

/** The furthest a session's clock may be moved in one request (a year and a month: every timer of the chart). */
export const MAX_ADVANCE_MS = 400 * 24 * 60 * 60 * 1000;

/** A session kept in memory between requests, with the exercise it runs and its runner (which owns the injects). */
export interface Live {
  session: RoutingSession;
  exercise: Exercise | null;
  runner: ExerciseRunner;
  /**
   * Information-only injects an instructor sent before they were records of the log (kept beside it by
   * earlier versions): shown after the log's own messages, so an older session's inbox stays whole.
   */
  legacyMessages: { at: string; injectId: string }[];
  /** Set when the log no longer replays to its end on today's code (an earlier version's): shown, never stepped. */
  readOnly: string | null;
}

/** How the session's clock runs (see paced-clock.ts); practice and unknown sessions are paced. */
export interface ViewClock {
  pace: 'paced' | number;
  paused: boolean;
}

export function viewOf({ session, exercise, runner, legacyMessages, readOnly }: Live, stored: StoredSession, pace: ViewClock = { pace: 'paced', paused: false }): SessionView {
  const context = session.context;
  // The rule book's assessment carries the caveats the trainee is asked to find: shown once confirmed (in an
  // assessment only once the tip is closed: until then the trainee's own tags stay theirs, with no feedback).
  const resolved = stored.mode === 'assessment' ? session.closed : context.geolocationConfirmed || session.closed;
  const result = routeResultOf(session);
  return {
    id: session.id,
    exerciseId: stored.exerciseId,
    // Stored as text; only these two are ever written (the start request is validated against them).
    mode: stored.mode === 'assessment' ? 'assessment' : 'practice',
    state: session.state,
    phase: phaseOf(session.snapshot.value),
    closed: session.closed,
    // What the session's trainee may send: decisions only (the world's events come from the exercise); nothing
    // at all for a session that no longer replays (shown read-only).
    allowed: readOnly === null ? session.allowedEvents().filter((type) => (DECISION_EVENT_TYPES as string[]).includes(type)) : [],
    clock: {
      now: session.now,
      pace: pace.pace,
      paused: pace.paused,
      // In an assessment the triage deadline's length is the rule book's priority: hidden until triage is done.
      timers: session.clock.timers().map((t) => ({
        due: hidesTriageDeadline(stored.mode, context.priority !== null, delayOfTimerEvent(t.eventType)) ? null : new Date(t.due).toISOString(),
        event: t.eventType,
        name: pendingTimerName(t.eventType, session.state),
      })),
    },
    facts: context.tip === null ? null : tipFactsOf(context.tip),
    // The rows show the lookup (the trainee reads it) from the geolocation step on, never the caveats.
    indicators: context.tip === null ? [] : indicatorRowsOf(context.tip, context.assessment),
    tipCaveatChoices: [...TIP_CAVEAT_CHOICES],
    routingTime: context.assessment?.routingTime ?? null,
    priority: context.priority,
    track: context.track,
    tags: context.tags,
    assessment: resolved ? { confidence: result.confidence, caveats: result.caveats, indicators: result.indicators } : null,
    outcome: session.outcome,
    jurisdiction: result.jurisdiction,
    timerEvents: [...context.timerEvents],
    inbox: [
      ...runner.inbox().map((m) => ({ at: m.at, kind: m.kind, ...(m.injectId === undefined ? {} : { injectId: m.injectId }), message: m.text })),
      ...legacyMessages.flatMap((m) => {
        const inject = exercise?.injects?.find((i) => i.id === m.injectId);
        return inject === undefined ? [] : [{ at: m.at, kind: 'message' as const, injectId: m.injectId, message: inject.message }];
      }),
    ],
    lastSeq: session.log.length - 1,
    readOnly,
  };
}

/** Ids of the exercise's injects delivered as events (their records' ids are `inject-<id>`), in log order. */
export function injectsInLog(session: RoutingSession): string[] {
  return deliveredInjectsOf(session.log);
}
