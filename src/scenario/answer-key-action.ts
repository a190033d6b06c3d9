// The answer key in the terms of an expected action (point, priority and track, caveats, route): what the
// rule book decides at a decision point. The validator checks expected actions against it, the grader and
// the hints fall back on it where an exercise expects nothing, and `generate` writes it as the expectation.
import { answerKeyDecision, expectedTags, type DecisionPoint } from '../domain/routing/answer-key.js';
import type { RoutingContext } from '../domain/routing/context.js';
import { chooseRoute } from '../domain/routing/route-choice.js';
import type { Engine } from '../engine/index.js';
import type { ActionDecision } from './format.js';

/** What the rule book would decide at this point, in the terms of an expected action. */
export function answerKeyAction(point: DecisionPoint, context: RoutingContext, engine: Engine): ActionDecision {
  switch (point) {
    case 'triage': {
      const event = answerKeyDecision('triage', context, engine.reference);
      return event.type === 'TRIAGE.ASSIGN' ? { point, priority: event.priority, track: event.track } : { point, priority: 'P3', track: 'referral' };
    }
    case 'geolocation':
      return { point, caveats: context.assessment === null ? [] : expectedTags(context.assessment) };
    case 'route': {
      if (context.assessment === null) return { point, route: 'informational' };
      const choice = chooseRoute(context.assessment, engine.reference.jurisdictions, context.declined, context.indicatorsVersion);
      return choice.kind === 'refer' ? { point, route: 'refer', jurisdictionId: choice.jurisdiction.id } : { point, route: choice.kind };
    }
  }
}
