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
import { deliveredInjectsOf, inboxEntryOf, type InboxEntry } from '../scenario/inbox.js';
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

/** The caveat codes of the whole tip: the same list in every view. */
const TIP_CAVEATS: string[] = [...TIP_CAVEAT_CHOICES];

/**
 * The parts of a live session's view kept from the last view built, with what they were built from: each is
 * a pure function of those inputs, so it is built again only when one of them is another object (the tip
 * after TIP.SUPPLEMENT, the assessment after geolocation). A part kept is the same object as in the last view,
 * which is how a step's answer tells what changed (view-changes.ts).
 */
interface Parts {
  tip: unknown;
  assessment: unknown;
  facts: SessionView['facts'];
  indicators: SessionView['indicators'];
  timerEventsOf: readonly string[];
  timerEvents: string[];
  /** The inbox read off the log's first `read` records (the log only grows). */
  read: number;
  entries: InboxEntry[];
  inbox: SessionView['inbox'];
}
const partsOf = new WeakMap<Live, Parts>();

function keptParts(entry: Live): Parts {
  const { session, exercise, legacyMessages } = entry;
  const { tip, assessment, timerEvents } = session.context;
  const last = partsOf.get(entry);
  const facts = last !== undefined && last.tip === tip ? last.facts : tip === null ? null : tipFactsOf(tip);
  const indicators = last !== undefined && last.tip === tip && last.assessment === assessment ? last.indicators : tip === null ? [] : indicatorRowsOf(tip, assessment);
  const kept = last !== undefined && last.timerEventsOf === timerEvents;
  // The inbox is read off the log, record by record: only the records since the last view are read.
  const log = session.log;
  const fresh = last === undefined || last.read > log.length ? null : log.slice(last.read).flatMap((r) => inboxEntryOf(r) ?? []);
  const entries = fresh === null ? entry.runner.inbox() : fresh.length === 0 && last !== undefined ? last.entries : [...(last?.entries ?? []), ...fresh];
  const inbox =
    last !== undefined && entries === last.entries
      ? last.inbox
      : [
          ...entries.map((m) => ({ at: m.at, kind: m.kind, ...(m.injectId === undefined ? {} : { injectId: m.injectId }), message: m.text })),
          ...legacyMessages.flatMap((m) => {
            const inject = exercise?.injects?.find((i) => i.id === m.injectId);
            return inject === undefined ? [] : [{ at: m.at, kind: 'message' as const, injectId: m.injectId, message: inject.message }];
          }),
        ];
  const parts: Parts = { tip, assessment, facts, indicators, timerEventsOf: timerEvents, timerEvents: kept ? last.timerEvents : [...timerEvents], read: log.length, entries, inbox };
  partsOf.set(entry, parts);
  return parts;
}

export function viewOf(entry: Live, stored: StoredSession, pace: ViewClock = { pace: 'paced', paused: false }): SessionView {
  const { session, readOnly } = entry;
  const context = session.context;
  const parts = keptParts(entry);
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
    facts: parts.facts,
    // The rows show the lookup (the trainee reads it) from the geolocation step on, never the caveats.
    indicators: parts.indicators,
    tipCaveatChoices: TIP_CAVEATS,
    routingTime: context.assessment?.routingTime ?? null,
    priority: context.priority,
    track: context.track,
    tags: context.tags,
    assessment: resolved ? { confidence: result.confidence, caveats: result.caveats, indicators: result.indicators } : null,
    outcome: session.outcome,
    jurisdiction: result.jurisdiction,
    timerEvents: parts.timerEvents,
    inbox: parts.inbox,
    lastSeq: session.log.length - 1,
    readOnly,
  };
}

/** Ids of the exercise's injects delivered as events (their records' ids are `inject-<id>`), in log order. */
export function injectsInLog(session: RoutingSession): string[] {
  return deliveredInjectsOf(session.log);
}
