// The answer key: at each decision point, the decision the rule book makes. The auto driver sends it, the
// grader compares a trainee's decision with it, and property tests check both reach the same outcome.
import type { GeoAssessment } from '../assessment.js';
import type { RoutingEvent } from '../events.js';
import type { Reference } from '../reference/reference.js';
import { priorityFor, trackFor } from '../triage.js';
import { acceptedTip, type RoutingContext, type Tag } from './context.js';
import { chooseRoute } from './route-choice.js';
import { nextTagEvent } from './tags.js';

/** The decision points of the chart, named by the state tags that mark them. */
export const DECISION_POINTS = ['triage', 'geolocation', 'route'] as const;
export type DecisionPoint = (typeof DECISION_POINTS)[number];
export const decisionTag = (point: DecisionPoint): `decision:${DecisionPoint}` => `decision:${point}`;

const expectedTagsCache = new WeakMap<GeoAssessment, Tag[]>();

/** Every caveat of every indicator, and the tip-level ones, as tags. */
export function expectedTags(assessment: GeoAssessment): Tag[] {
  let tags = expectedTagsCache.get(assessment);
  if (tags === undefined) {
    tags = [
      ...assessment.indicators.flatMap((i) => i.caveats.map((caveat) => ({ indicatorId: i.id, caveat }))),
      ...assessment.tipCaveats.map((caveat) => ({ indicatorId: null, caveat })),
    ];
    expectedTagsCache.set(assessment, tags);
  }
  return tags;
}

export function answerKeyDecision(point: DecisionPoint, context: RoutingContext, reference: Reference): RoutingEvent {
  switch (point) {
    case 'triage': {
      const tip = acceptedTip(context);
      return { type: 'TRIAGE.ASSIGN', priority: priorityFor(tip).value, track: trackFor(tip).value };
    }
    case 'geolocation': {
      const expected = context.assessment === null ? [] : expectedTags(context.assessment);
      return nextTagEvent(context.tags, expected) ?? { type: 'GEO.CONFIRM' };
    }
    case 'route': {
      if (context.assessment === null) return { type: 'ROUTE.INFORMATIONAL' };
      const choice = chooseRoute(context.assessment, reference.jurisdictions, context.declined, context.indicatorsVersion);
      if (choice.kind === 'refer') return { type: 'ROUTE.REFER', jurisdictionId: choice.jurisdiction.id };
      if (choice.kind === 'legal-process') return { type: 'ROUTE.LEGAL_PROCESS' };
      return { type: 'ROUTE.INFORMATIONAL' };
    }
  }
}
