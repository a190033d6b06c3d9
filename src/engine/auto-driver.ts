// Auto mode: the answer key decides every step until the tip is closed or waits for something only the
// world can send (an agency's answer, subscriber information, the clock).
import { answerKeyDecision, decisionTag, DECISION_POINTS, type DecisionPoint } from '../domain/routing/answer-key.js';
import type { AuditRecord } from './audit.js';
import type { Engine, RoutingSession } from './engine.js';

/** Far above any real tip's number of decisions; a loop past it is a bug in the chart or the rule book. */
const MAX_AUTO_STEPS = 10_000;

const POINT_TAGS = DECISION_POINTS.map((point) => [point, decisionTag(point)] as const);

export function decisionPointOf(session: RoutingSession): DecisionPoint | null {
  const { tags } = session.snapshot;
  if (tags.has('closed')) return null;
  for (const [point, tag] of POINT_TAGS) if (tags.has(tag)) return point;
  return null;
}

export function runAutoDriver(engine: Engine, session: RoutingSession): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let step = 0; step < MAX_AUTO_STEPS; step += 1) {
    const point = decisionPointOf(session);
    if (point === null) return records;
    const event = answerKeyDecision(point, session.context, engine.reference);
    const result = engine.deliver(session, event, { actor: 'auto' });
    if (!result.ok) throw new Error(`internal: the answer key's ${event.type} was refused at ${session.state}: ${result.refusal.message}`);
    records.push(result.audit);
  }
  throw new Error(`internal: the auto driver made ${MAX_AUTO_STEPS} decisions without settling (at ${session.state})`);
}
