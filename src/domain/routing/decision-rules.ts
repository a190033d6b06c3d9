// When a decision or inject is well-formed in the current context. The machine's guards, the engine's
// refusal messages and the grader all ask this one function.
import { legalProcessCandidates } from '../assessment.js';
import { CAVEAT_EFFECTS } from '../caveats/codes.js';
import type { RoutingEvent } from '../events.js';
import type { Reference } from '../reference/reference.js';
import { TIP_LIMITS } from '../tip/schema.js';
import { acceptedTip, type RoutingContext } from './context.js';
import { isDeclined } from './route-choice.js';

/** Why `event` cannot be taken in `context`, or null when it is well-formed. */
export function decisionProblem(context: RoutingContext, event: RoutingEvent, reference: Reference): string | null {
  switch (event.type) {
    case 'TRIAGE.ASSIGN': {
      const wasExigent = context.exigency === 'P1' || context.priority === 'P1';
      if (wasExigent && event.priority !== 'P1' && event.reason === undefined) {
        return 'this tip is P1 (exigent); assigning a lower priority needs a reason';
      }
      return null;
    }
    case 'GEO.TAG':
    case 'GEO.UNTAG': {
      const assessment = context.assessment;
      if (assessment === null) return 'the indicators have not been resolved yet';
      const tipLevel = CAVEAT_EFFECTS[event.caveat].tipLevel === true;
      if (tipLevel && event.indicatorId !== null) return `${event.caveat} applies to the tip as a whole: send it with indicatorId null`;
      if (!tipLevel && event.indicatorId === null) return `${event.caveat} applies to one indicator: name its indicatorId`;
      if (event.indicatorId !== null && !assessment.indicators.some((i) => i.id === event.indicatorId)) {
        return `the tip has no indicator ${event.indicatorId} (it has ${assessment.indicators.map((i) => i.id).join(', ') || 'none'})`;
      }
      const tagged = context.tags.some((t) => t.indicatorId === event.indicatorId && t.caveat === event.caveat);
      if (event.type === 'GEO.TAG' && tagged) return `${event.caveat} is already tagged on ${event.indicatorId ?? 'the tip'}`;
      if (event.type === 'GEO.UNTAG' && !tagged) return `${event.caveat} is not tagged on ${event.indicatorId ?? 'the tip'}`;
      return null;
    }
    case 'ROUTE.REFER': {
      if (!context.geolocationConfirmed || context.assessment === null) return 'a referral needs a completed geolocation assessment';
      if (!context.assessment.indicators.some((i) => i.determining)) {
        return 'no indicator can decide a jurisdiction (anonymized, attribution-blocked or without location): use legal process or informational';
      }
      const jurisdiction = reference.jurisdictions.jurisdictionById(event.jurisdictionId);
      if (jurisdiction === null) return `${event.jurisdictionId} is not a jurisdiction of the registry`;
      if (isDeclined(context.declined, jurisdiction.id, context.indicatorsVersion)) {
        return `${jurisdiction.id} declined this tip; it cannot be referred there again without a new indicator`;
      }
      return null;
    }
    case 'ROUTE.LEGAL_PROCESS':
      if (context.assessment === null || legalProcessCandidates(context.assessment).length === 0) {
        return 'legal process needs an indicator that is not anonymized and is attribution-blocked or without a geolocation match';
      }
      return null;
    case 'SUBSCRIBER.RETURNED': {
      const candidates = context.assessment === null ? [] : legalProcessCandidates(context.assessment);
      if (!candidates.some((c) => c.id === event.indicatorId)) {
        return `subscriber information answers legal process on ${candidates.map((c) => c.id).join(', ') || 'no indicator'}, not ${event.indicatorId}`;
      }
      // A P2P observation's subscriber becomes a new subject: the tip's subject limit still holds.
      if (event.indicatorId.startsWith('p2p[') && (acceptedTip(context).subjects ?? []).length >= TIP_LIMITS.subjects) return `the tip already has ${TIP_LIMITS.subjects} subjects`;
      return null;
    }
    case 'INDICATOR.ADD': {
      // The tip stays within the limits of the schema that accepted it (TIP_LIMITS).
      const tip = acceptedTip(context);
      if (event.p2p !== undefined && (tip.p2p ?? []).length >= TIP_LIMITS.p2p) return `the tip already has ${TIP_LIMITS.p2p} P2P observations`;
      if (event.ipEvent !== undefined) {
        const subject = (tip.subjects ?? []).find((s) => s.id === event.subjectId);
        if (subject === undefined && (tip.subjects ?? []).length >= TIP_LIMITS.subjects) return `the tip already has ${TIP_LIMITS.subjects} subjects: add the IP event to one of them`;
        if (subject !== undefined && (subject.ipEvents ?? []).length >= TIP_LIMITS.ipEventsPerSubject) return `subject ${subject.id} already has ${TIP_LIMITS.ipEventsPerSubject} IP events`;
      }
      return null;
    }
    default:
      return null;
  }
}

export const isWellFormed = (context: RoutingContext, event: RoutingEvent, reference: Reference): boolean =>
  decisionProblem(context, event, reference) === null;
