// The reference path: one simulated tip through the real engine (an XState actor on the simulated clock),
// the answer key deciding at each decision point when the analyst gets to it, and the world answering
// after the route decision. Slow (about 1 ms a tip once warm, several before) and exact; the fast path is checked
// against it.
import { legalProcessCandidates, type GeoAssessment } from '../domain/assessment.js';
import { answerKeyDecision, type DecisionPoint } from '../domain/routing/answer-key.js';
import type { RoutingEvent } from '../domain/events.js';
import { decisionPointOf, routingPath, type Engine, type RoutingSession } from '../engine/index.js';
import { timeOf } from '../domain/indicators.js';
import type { SimTip, TipFactory } from './synthetic-tips.js';
import type { SimTipRecord } from './tip-record.js';
import { acknowledgementDelayMs } from './world.js';

/** When the analyst finishes triage (T1) and the geolocation and route decisions (T2); NaN when the tip never queues. */
export interface AnalystTimes {
  triagedAt: number;
  routedAt: number;
}

/** The network kind of each IP event and P2P observation of an assessment, in document order. */
export function networkKindsOf(assessment: GeoAssessment | null): string[] {
  const kinds: string[] = [];
  if (assessment !== null) for (const i of assessment.indicators) if (i.source !== 'estimatedLocation') kinds.push(i.kind ?? 'none');
  return kinds;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function decide(engine: Engine, session: RoutingSession, points: readonly DecisionPoint[]): void {
  for (let point = decisionPointOf(session); point !== null && points.includes(point); point = decisionPointOf(session)) {
    const result = engine.deliver(session, answerKeyDecision(point, session.context, engine.reference), { actor: 'auto' });
    if (!result.ok) throw new Error(`simulate: the answer key's decision was refused at ${session.state}: ${result.refusal.message}`);
  }
}

function deliverWorld(engine: Engine, session: RoutingSession, event: RoutingEvent): void {
  const result = engine.deliver(session, event, { actor: 'system' });
  if (!result.ok) throw new Error(`simulate: ${event.type} was refused at ${session.state}: ${result.refusal.message}`);
}

const awaitingAcknowledgement = (session: RoutingSession) => session.state === 'referral.awaitingAcknowledgement' || session.state === 'referral.acknowledgementOverdue';

function acknowledgeLater(engine: Engine, session: RoutingSession, factory: TipFactory, from: number, u: number): void {
  if (!awaitingAcknowledgement(session)) return;
  const channel = session.context.jurisdiction?.channel;
  if (channel === undefined) throw new Error('simulate: a referral without a jurisdiction');
  engine.advanceTo(session, from + acknowledgementDelayMs(factory.params, channel, u));
  if (!session.closed && awaitingAcknowledgement(session)) deliverWorld(engine, session, { type: 'AGENCY.ACKNOWLEDGE' });
}

export function walkWithEngine(engine: Engine, factory: TipFactory, simTip: SimTip, times: AnalystTimes): SimTipRecord {
  const { head, submission, world } = simTip;
  const session = engine.start(submission, { at: iso(head.arrivalMs), openFileHashes: factory.viralPool, sessionId: `sim-${head.index}` });
  let routingOutcome = session.outcome;
  let assessment = session.context.assessment;
  if (!session.closed) {
    engine.advanceTo(session, times.triagedAt);
    decide(engine, session, ['triage']);
    if (!session.closed) {
      engine.advanceTo(session, times.routedAt);
      decide(engine, session, ['geolocation', 'route']);
    }
    routingOutcome = session.outcome;
    assessment = session.context.assessment;
    acknowledgeLater(engine, session, factory, times.routedAt, world.acknowledgeU);
    if (session.state.startsWith('legalProcess')) {
      const candidate = assessment === null ? undefined : legalProcessCandidates(assessment)[0];
      const moves: { at: number; kind: 'confirm' | 'return' }[] = [];
      if (world.preservationConfirmMs !== null) moves.push({ at: times.routedAt + world.preservationConfirmMs, kind: 'confirm' });
      if (world.subscriberReturnMs !== null) moves.push({ at: times.routedAt + world.subscriberReturnMs, kind: 'return' });
      moves.sort((a, b) => a.at - b.at);
      for (const move of moves) {
        engine.advanceTo(session, move.at);
        if (session.closed) break;
        if (move.kind === 'confirm') {
          if (session.state === 'legalProcess.preservationRequested') deliverWorld(engine, session, { type: 'PRESERVATION.CONFIRMED' });
        } else if (candidate !== undefined && session.state.startsWith('legalProcess')) {
          const location = factory.subscriberLocation(candidate.country, candidate.region, world.locationU);
          deliverWorld(engine, session, { type: 'SUBSCRIBER.RETURNED', indicatorId: candidate.id, location });
          decide(engine, session, ['geolocation', 'route']);
          acknowledgeLater(engine, session, factory, move.at, world.acknowledgeAfterReturnU);
        }
      }
    }
    // Whatever is still open runs out on its timers (preservation, retention), each logged.
    for (let timer = session.clock.next(); !session.closed && timer !== null; timer = session.clock.next()) engine.advanceTo(session, timer.due);
  }
  const context = session.context;
  const outcome = session.outcome;
  if (routingOutcome === null || outcome === null) throw new Error(`simulate: tip ${head.index} ended without an outcome, at ${session.state}`);
  return {
    index: head.index,
    routingOutcome,
    finalOutcome: outcome,
    exigency: context.exigency,
    priority: context.priority,
    track: context.track,
    confidence: assessment?.confidence ?? 'none',
    caveats: assessment?.caveats ?? [],
    networkKinds: networkKindsOf(assessment),
    jurisdiction: context.jurisdiction === null ? null : { id: context.jurisdiction.id, channel: context.jurisdiction.channel },
    notify: context.notify,
    steps: session.log.map((r) => ({ type: r.event.type, actor: r.actor, at: timeOf(r.at), state: routingPath(r.to) })),
  };
}
