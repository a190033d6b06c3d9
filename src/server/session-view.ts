// What a session looks like over the API: the live session kept between requests and the view built from
// it. The view shows the facts and decisions a trainee may see; the rule book's caveats only once confirmed.
import { DECISION_EVENT_TYPES } from '../domain/events.js';
import { delayOfTimerEvent, pendingTimerName } from '../domain/routing/timers.js';
import { phaseOf, routeResultOf, type RoutingSession } from '../engine/index.js';
import type { Exercise } from '../scenario/format.js';
import type { InjectSchedule } from '../scenario/inject-schedule.js';
import type { StoredSession } from '../store/event-store.js';
import type { LookupRow, SessionView } from '../api/contract.js';

export type { LookupRow, SessionView };

/** Event ids of the exercise's injects in the log are `inject-<id>`. */
export const INJECT_ID_PREFIX = 'inject-';

/** The furthest a session's clock may be moved in one request (a year and a month: every timer of the chart). */
export const MAX_ADVANCE_MS = 400 * 24 * 60 * 60 * 1000;

/** A session kept in memory between requests, with the exercise it runs and the injects delivered so far. */
export interface Live {
  session: RoutingSession;
  exercise: Exercise | null;
  schedule: InjectSchedule | null;
  /** Ids of the information-only injects an instructor sent (stored beside the log). */
  messages: Set<string>;
}



/** The simulated time the session started at (its first record). */
export const startMsOf = (session: RoutingSession): number => Date.parse(session.log[0]?.at ?? session.now);

export function viewOf({ session, exercise, schedule, messages }: Live, stored: StoredSession): SessionView {
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
    // What the session's trainee may send: decisions only (the world's events come from the exercise).
    allowed: session.allowedEvents().filter((type) => (DECISION_EVENT_TYPES as string[]).includes(type)),
    clock: {
      now: session.now,
      // In an assessment the triage deadline's length is the rule book's priority: hidden until triage is done.
      timers: session.clock.timers().map((t) => ({
        due: stored.mode === 'assessment' && context.priority === null && delayOfTimerEvent(t.eventType) === 'triageSla' ? null : new Date(t.due).toISOString(),
        event: t.eventType,
        name: pendingTimerName(t.eventType, session.state),
      })),
    },
    facts: context.tip,
    priority: context.priority,
    track: context.track,
    tags: context.tags,
    assessment: resolved ? { confidence: result.confidence, caveats: result.caveats, indicators: result.indicators } : null,
    outcome: context.outcome,
    jurisdiction: result.jurisdiction,
    timerEvents: [...context.timerEvents],
    lookup:
      context.assessment === null
        ? null
        : context.assessment.indicators.map((i) => ({ id: i.id, source: i.source, ip: i.ip, port: i.port, time: i.time, isp: i.isp, kind: i.kind, country: i.country, region: i.region, city: i.city, retentionDays: i.retentionDays })),
    inbox: exercise === null || schedule === null ? [] : inboxOf(exercise, schedule, session, messages),
    lastSeq: session.log.length - 1,
  };
}

function inboxOf(exercise: Exercise, schedule: InjectSchedule, session: RoutingSession, messages: ReadonlySet<string>): { injectId: string; message: string }[] {
  // Looked up by event id (the session's index), not by scanning the log: a view is built on every step.
  return (exercise.injects ?? [])
    .filter((i) => schedule.sent.has(i.id) || messages.has(i.id) || session.recordFor(`${INJECT_ID_PREFIX}${i.id}`) !== undefined)
    .map((i) => ({ injectId: i.id, message: i.message }));
}

/** Ids of the exercise's injects delivered as events (their records' ids are `inject-<id>`), in log order. */
export function injectsInLog(session: RoutingSession): string[] {
  return session.log.filter((r) => r.eventId.startsWith(INJECT_ID_PREFIX)).map((r) => r.eventId.slice(INJECT_ID_PREFIX.length));
}
