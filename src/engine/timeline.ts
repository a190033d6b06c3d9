// What the inspector shows (issue 8): a session step by step, rebuilt by replay. Each step holds the
// active state nodes, the parts of the context a person reads (decisions, caveats, outcome), the clock
// and its pending timers, so a client can highlight the chart, diff two steps and jump back to any of them.
import type { StateValue } from 'xstate';
import { CAVEAT_CODES } from '../domain/caveats/codes.js';
import { legalProcessCandidates } from '../domain/assessment.js';
import { answerKeyDecision, expectedTags } from '../domain/routing/answer-key.js';
import type { RoutingEvent } from '../domain/events.js';
import { timerOfEvent } from '../domain/routing/timers.js';
import type { AuditRecord } from './audit.js';
import { decisionPointOf } from './auto-driver.js';
import type { Engine, RoutingSession, SessionRecord } from './engine.js';
import { routeResultOf } from './route-result.js';
import type { InspectedContext, TimelineStepOf } from './timeline-step.js';

export type { InspectedContext };
/** A session just after one of its records, with the engine's record. */
export type TimelineStep = TimelineStepOf<AuditRecord>;

/** All active state paths, parents included ({ routing: { referral: 'selecting' } } → routing, routing.referral, routing.referral.selecting). */
export function activeStatePaths(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  return Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...(child === undefined ? [] : activeStatePaths(child, `${prefix}${key}.`))]);
}

export function inspectedContext(session: RoutingSession): InspectedContext {
  const c = session.context;
  const result = routeResultOf(session);
  return {
    priority: c.priority,
    track: c.track,
    exigency: c.exigency,
    tags: c.tags.map((t) => ({ indicatorId: t.indicatorId, caveat: t.caveat })),
    geolocationConfirmed: c.geolocationConfirmed,
    confidence: c.assessment === null ? null : result.confidence,
    caveats: c.assessment === null ? [] : result.caveats,
    jurisdiction: c.jurisdiction?.id ?? null,
    notify: [...c.notify],
    declined: c.declined.map((d) => d.jurisdictionId),
    outcome: c.outcome,
    timerEvents: [...c.timerEvents],
  };
}

function stepOf(session: RoutingSession, record: AuditRecord): TimelineStep {
  return {
    seq: record.seq,
    record,
    activeStates: activeStatePaths(session.snapshot.value),
    context: inspectedContext(session),
    now: session.now,
    timers: session.clock.timers().map((t) => {
      const timer = timerOfEvent(t.eventType);
      return { due: new Date(t.due).toISOString(), event: t.eventType, delay: timer?.delay ?? null, state: timer?.state ?? null };
    }),
  };
}

/** The session after each of its records, by replaying its record (which also checks the log). */
export function timelineOf(engine: Engine, record: SessionRecord): TimelineStep[] {
  const steps: TimelineStep[] = [];
  // Just before record n is replayed, the session stands where record n - 1 left it.
  const session = engine.replay(record, {
    beforeEach: (entry, current) => {
      const before = record.log[entry.seq - 1];
      if (before !== undefined) steps.push(stepOf(current, before));
    },
  });
  const last = record.log[record.log.length - 1];
  if (last !== undefined) steps.push(stepOf(session, last));
  return steps;
}

/** Where a suggested subscriber answer places its indicator: a US state, documentation-style data only. */
const SUBSCRIBER_LOCATION = { countryCode: 'US', region: 'PA', city: 'Scranton' } as const;
/** A suggested new indicator: a login from a documentation address (RFC 5737). */
const ADDED_IP_EVENT = { ip: '198.51.100.77', event: 'Login' } as const;

/**
 * Each event the machine accepts now with parameters that make sense here: the answer key's decision at a
 * decision point, a real indicator and caveat for tags, simple values for the world's events. A person
 * inspecting the chart edits them before sending; they are suggestions, not answers shown to trainees.
 */
export function exampleEvents(engine: Engine, session: RoutingSession): RoutingEvent[] {
  const allowed = new Set(session.allowedEvents());
  const context = session.context;
  const point = decisionPointOf(session);
  const examples: RoutingEvent[] = [];
  const key = point === null ? null : answerKeyDecision(point, context, engine.reference);
  const firstIndicator = context.assessment?.indicators[0]?.id ?? null;
  const tagged = (t: { indicatorId: string | null; caveat: string }) => context.tags.some((m) => m.indicatorId === t.indicatorId && m.caveat === t.caveat);
  const candidates = [...(context.assessment === null ? [] : expectedTags(context.assessment)), ...(firstIndicator === null ? [] : CAVEAT_CODES.map((caveat) => ({ indicatorId: firstIndicator, caveat })))];
  const tag = candidates.find((t) => !tagged(t)) ?? null;
  // The answer key first: sending the first suggestion again and again walks the chart to a final state.
  if (key !== null && allowed.has(key.type)) examples.push(key);
  for (const type of allowed) {
    if (key !== null && key.type === type) continue;
    switch (type) {
      case 'TRIAGE.ASSIGN':
        examples.push({ type, priority: 'P2', track: 'referral' });
        break;
      case 'GEO.TAG':
        if (tag !== null) examples.push({ type, indicatorId: tag.indicatorId, caveat: tag.caveat });
        break;
      case 'GEO.UNTAG': {
        const made = context.tags[0];
        if (made !== undefined) examples.push({ type, indicatorId: made.indicatorId, caveat: made.caveat });
        break;
      }
      case 'GEO.CONFIRM':
      case 'ROUTE.LEGAL_PROCESS':
      case 'AGENCY.ACKNOWLEDGE':
      case 'PRESERVATION.CONFIRMED':
        examples.push({ type });
        break;
      case 'ROUTE.INFORMATIONAL':
        examples.push({ type });
        break;
      case 'ROUTE.REFER':
        examples.push({ type, jurisdictionId: context.jurisdiction?.id ?? 'US-FED' });
        break;
      case 'AGENCY.DECLINE':
        examples.push({ type, reason: 'outside the agency jurisdiction' });
        break;
      case 'SUBSCRIBER.RETURNED': {
        // The answer legal process waits for: the first indicator it may name, placed in a US state the
        // registry knows, so the chart goes on to geolocation (and, with the first suggestions, to a close).
        const candidate = context.assessment === null ? undefined : legalProcessCandidates(context.assessment)[0];
        if (candidate !== undefined) examples.push({ type, indicatorId: candidate.id, location: SUBSCRIBER_LOCATION });
        break;
      }
      case 'INDICATOR.ADD': {
        const subject = context.tip?.subjects?.[0];
        if (subject !== undefined) examples.push({ type, subjectId: subject.id, ipEvent: ADDED_IP_EVENT });
        break;
      }
      case 'TIP.SUPPLEMENT':
        examples.push({ type, supplement: { escalateToHighPriority: true } });
        break;
    }
  }
  // A suggestion the machine would refuse here (a referral when nothing decides a jurisdiction) is none.
  return examples.filter((e) => engine.wouldAccept(session, e));
}
