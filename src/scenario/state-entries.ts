// Counting how often the tip entered each routing state, from the audit log: "the second time the route is
// chosen" (after a decline) is how exercises, answer files and the grader name a decision point.
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import { decisionPointOf, routingPath, type AuditRecord, type RoutingSession } from '../engine/index.js';

/** Events that re-enter the state they leave (a supplemental report re-triages, a new indicator re-geolocates). */
const REENTERING = new Set(['TIP.SUPPLEMENT', 'INDICATOR.ADD']);

export class StateEntries {
  private readonly counts = new Map<string, number>();
  private lastPath = '';

  /** Notes one record; returns the routing path it entered, or null when it stayed. */
  note(record: AuditRecord): string | null {
    const path = routingPath(record.to);
    if (path === this.lastPath && !REENTERING.has(record.event.type)) return null;
    this.lastPath = path;
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    return path;
  }

  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }
}

const COMPLETING_EVENTS: Readonly<Record<string, 'triage' | 'geolocation' | 'route'>> = {
  'TRIAGE.ASSIGN': 'triage',
  'GEO.CONFIRM': 'geolocation',
  'ROUTE.REFER': 'route',
  'ROUTE.LEGAL_PROCESS': 'route',
  'ROUTE.INFORMATIONAL': 'route',
};

/** The decision point an event completes (the tags of geolocation end with its confirmation), or null. */
export const decisionCompletedBy = (eventType: string): 'triage' | 'geolocation' | 'route' | null => COMPLETING_EVENTS[eventType] ?? null;

/**
 * How many decisions have been made at each decision point. "The second route decision" is the one after
 * the first was made, however often the state was entered in between (a new indicator re-enters it).
 */
export class DecisionCounts {
  private readonly made = new Map<string, number>();

  note(record: AuditRecord): void {
    const point = decisionCompletedBy(record.event.type);
    if (point !== null) this.made.set(point, (this.made.get(point) ?? 0) + 1);
  }

  /** The occurrence number of the next decision at `point`. */
  next(point: string): number {
    return (this.made.get(point) ?? 0) + 1;
  }
}

/** The decision the session waits for and how many times it has been made before (+1), or null. */
export function pendingDecision(session: RoutingSession): { point: DecisionPoint; occurrence: number } | null {
  const point = decisionPointOf(session);
  if (point === null) return null;
  const counts = new DecisionCounts();
  for (const record of session.log) counts.note(record);
  return { point, occurrence: counts.next(point) };
}
