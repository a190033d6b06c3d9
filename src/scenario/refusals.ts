// Refused decisions as the log keeps them (DECISION.REFUSED notes, written by the exercise runner): the
// debrief shows them, so a trainee's every attempt is on record, not only the accepted ones.
import type { RoutingEvent } from '../domain/events.js';
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { AuditRecord } from '../engine/index.js';

/** A decision the machine refused: where, which attempt, and the refusal's message. */
export interface RefusedDecision {
  point: DecisionPoint;
  occurrence: number;
  event: RoutingEvent;
  message: string;
}

export function refusalsOf(log: readonly AuditRecord[]): RefusedDecision[] {
  return log.flatMap((r): RefusedDecision[] => {
    const { event } = r;
    if (event.type !== 'DECISION.REFUSED' || typeof event.point !== 'string' || typeof event.occurrence !== 'number') return [];
    return [{ point: event.point as DecisionPoint, occurrence: event.occurrence, event: event.attempt as RoutingEvent, message: String(event.message) }];
  });
}
