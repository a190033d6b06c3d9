// The process's clocks (DESIGN §8) as delays in milliseconds, computed from the context when a timer
// starts. Periods are training abstractions except where the law sets them (2703(f), REPORT Act).
import { legalProcessCandidates } from '../assessment.js';
import { timeOf } from '../indicators.js';
import type { RoutingContext } from './context.js';
import { ACKNOWLEDGEMENT_SLA_MS, DAY_MS, HOUR_MS, isTimerDelay, TIMER_RECORD_TYPES, TIMER_TABLE, TRIAGE_SLA_MS, type TimerRecordType } from './timer-table.js';

export { MINUTE_MS, HOUR_MS, DAY_MS, TRIAGE_SLA_MS, ACKNOWLEDGEMENT_SLA_MS, TIMER_RECORD_TYPES, type TimerRecordType } from './timer-table.js';
/** 18 U.S.C. 2703(f): 90 days, renewable once for 90 more. */
export const PRESERVATION_2703F_MS = 90 * DAY_MS;
/** The REPORT Act (Pub. L. 118-59, signed 7 May 2024) took ESP preservation under 2258A from 90 days to 1 year. */
export const REPORT_ACT_IN_FORCE = '2024-05-07T00:00:00Z';
const REPORT_ACT_IN_FORCE_MS = timeOf(REPORT_ACT_IN_FORCE);
export const espPreservationPeriodMs = (receivedAt: string): number => (timeOf(receivedAt) >= REPORT_ACT_IN_FORCE_MS ? 365 * DAY_MS : 90 * DAY_MS);

export const triageSlaMs = (context: RoutingContext): number => TRIAGE_SLA_MS[context.exigency ?? 'P3'];

export const acknowledgementSlaMs = (context: RoutingContext): number => ACKNOWLEDGEMENT_SLA_MS[context.priority ?? context.exigency ?? 'P3'];

/** Time left, from the routing time, before the ESP's preservation of the reported content lapses. */
export function espPreservationMs(context: RoutingContext): number {
  if (context.tip === null) return 0;
  const end = timeOf(context.tip.receivedAt) + espPreservationPeriodMs(context.tip.receivedAt);
  return Math.max(0, end - timeOf(context.routingTime));
}

/**
 * Time left before the ISPs' own records of the legal-process indicators are gone, unless preservation is
 * confirmed first: the latest retention end among them. An indicator whose network is unknown (no geo
 * match) or whose event has no time is given the 2703(f) period, the time a request stays open.
 */
export function recordsRetentionMs(context: RoutingContext): number {
  // The timer starts when legal process is requested, which may be long after the tip was received.
  const now = timeOf(context.legalProcessAt ?? context.routingTime);
  const candidates = context.assessment === null ? [] : legalProcessCandidates(context.assessment);
  const ends = candidates.map((c) =>
    c.retentionDays === null || c.time === null ? now + PRESERVATION_2703F_MS : timeOf(c.time) + c.retentionDays * DAY_MS,
  );
  return ends.length === 0 ? 0 : Math.max(0, Math.max(...ends) - now);
}

const days = (ms: number): string => `${Math.round(ms / DAY_MS)} days`;

/** What the log and the trainee read when a timer fires. */
export const timerMessages = {
  triageSlaBreached: (c: RoutingContext) => `Triage SLA breached: a ${c.exigency ?? 'P3'} tip waited more than ${TRIAGE_SLA_MS[c.exigency ?? 'P3'] / HOUR_MS} h for triage.`,
  acknowledgementOverdue: (c: RoutingContext) => `Referral acknowledgement overdue: ${c.jurisdiction?.id ?? 'the agency'} has not acknowledged within ${days(acknowledgementSlaMs(c))}; follow up.`,
  espPreservationLapsed: (c: RoutingContext) =>
    `ESP preservation lapsed: the provider's ${c.tip === null ? '' : days(espPreservationPeriodMs(c.tip.receivedAt))} preservation of the reported content (18 U.S.C. 2258A) has ended.`,
  recordsExpired: () => 'ISP records expired before preservation was confirmed: subscriber information can no longer be obtained. The tip becomes informational.',
  preservationRenewed: () => 'The 2703(f) preservation period ended and was renewed once for 90 more days.',
  preservationExpired: () => 'The renewed 2703(f) preservation expired without subscriber information. The tip becomes informational.',
} as const;

/**
 * A pending timer's XState event taken apart: `xstate.after.triageSla.tip.routing.triage` → the named delay
 * (triageSla) and the state that scheduled it, below the machine's root (routing.triage); null for any other event.
 */
export function timerOfEvent(eventType: string): { delay: string; state: string } | null {
  const match = /^xstate\.after\.([A-Za-z0-9]+)\.(.+)$/.exec(eventType);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  // What follows the delay is the state's id: the machine's id, then the path below it.
  const id = match[2];
  const dot = id.indexOf('.');
  return { delay: match[1], state: dot === -1 ? id : id.slice(dot + 1) };
}

/**
 * The record name of a pending timer's XState event: the 2703(f) delay is the renewal while preserved and
 * the expiry once renewed. Null for an event that is not one of the chart's timers.
 */
export function timerRecordType(eventType: string): TimerRecordType | null {
  const timer = timerOfEvent(eventType);
  return timer === null || !isTimerDelay(timer.delay) ? null : TIMER_TABLE[timer.delay].record(timer.state);
}

export const isTimerRecordType = (type: string): type is TimerRecordType => (TIMER_RECORD_TYPES as readonly string[]).includes(type);

/** The delay a pending timer's XState event belongs to (`xstate.after.triageSla.tip.routing.triage` → triageSla), or null. */
export const delayOfTimerEvent = (eventType: string): string | null => timerOfEvent(eventType)?.delay ?? null;

/**
 * What a person calls a pending timer, in a few words (the trainee's clock panel). `routingPath` is where
 * the tip is (legalProcess.preservationRenewed, …): the 2703(f) timer means something else once renewed.
 */
export function pendingTimerName(eventType: string, routingPath: string): string {
  const delay = delayOfTimerEvent(eventType);
  return delay === null || !isTimerDelay(delay) ? eventType : TIMER_TABLE[delay].label(routingPath);
}
