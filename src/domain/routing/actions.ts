// What each transition of the routing machine does to its context, as pure functions
// (context, event) → changes. The machine wires them with assign(); tests call them directly.
import { assessGeolocation } from '../assessment.js';
import type { EventOf, RoutingEvent } from '../events.js';
import type { Reference } from '../reference/reference.js';
import { formatIssues } from '../tip/parse.js';
import { TIP_LIMITS } from '../tip/schema.js';
import { priorityFor, priorityRank, trackFor, viralDuplicateOf } from '../triage.js';
import { acceptedTip, type RoutingContext } from './context.js';
import { chooseRoute } from './route-choice.js';
import { sameTag } from './tags.js';
import { filesOverLimit, withIndicator, withSubscriberReturn, withSupplement } from './tip-updates.js';

type Changes = Partial<RoutingContext>;
const timeOfEvent = (context: RoutingContext, event: RoutingEvent): string => event.at ?? context.routingTime;

export function recordRejection(context: RoutingContext): Changes {
  const count = context.intakeIssues.length;
  return {
    reasons: [...context.reasons, `Rejected at intake: the report fails the tip schema (${count} problem${count === 1 ? '' : 's'}):\n${formatIssues(context.intakeIssues)}`],
  };
}

export function recordBundled(context: RoutingContext, reference: Reference): Changes {
  const hash = viralDuplicateOf(acceptedTip(context), new Set(context.openFileHashes));
  return {
    ...assessForTheRecord(context, reference),
    reasons: [...context.reasons, `Bundled: viral file ${hash ?? ''} is already on an open tip; the report is counted once.`],
  };
}

/** A tip closed before geolocation (bundled, informational track) still gets its indicators assessed, so its record is complete. */
export function assessForTheRecord(context: RoutingContext, reference: Reference): Changes {
  return { assessment: assessGeolocation(acceptedTip(context), reference.geo, context.routingTime) };
}

/** The analyst's priority, and why: the rule book's reason, or how and why the analyst departed from it. */
export function assignPriority(context: RoutingContext, event: EventOf<'TRIAGE.ASSIGN'>): Changes {
  const rule = priorityFor(acceptedTip(context));
  if (event.priority === rule.value) return { priority: event.priority, reasons: [...context.reasons, rule.reason] };
  const direction = priorityRank(event.priority) > priorityRank(rule.value) ? 'lowered' : 'raised';
  const reason = `Priority ${event.priority} assigned (${direction} from the rule book's ${rule.value})${event.reason === undefined ? '.' : `: ${event.reason}`}`;
  return { priority: event.priority, reasons: [...context.reasons, reason] };
}

/** The analyst's track (referral or informational), and the rule book's reason or that it said otherwise. */
export function assignTrack(context: RoutingContext, event: EventOf<'TRIAGE.ASSIGN'>): Changes {
  const rule = trackFor(acceptedTip(context));
  const reason = event.track === rule.value ? rule.reason : `Track ${event.track} assigned (the rule book says ${rule.value}).`;
  return { track: event.track, reasons: [...context.reasons, reason] };
}

export function resolveIndicators(context: RoutingContext, reference: Reference): Changes {
  const assessment = assessGeolocation(acceptedTip(context), reference.geo, context.routingTime);
  const ids = new Set(assessment.indicators.map((i) => i.id));
  return {
    assessment,
    geolocationConfirmed: false,
    tags: context.tags.filter((t) => t.indicatorId === null || ids.has(t.indicatorId)),
  };
}

export function addTag(context: RoutingContext, event: EventOf<'GEO.TAG'>): Changes {
  return { tags: [...context.tags, { indicatorId: event.indicatorId, caveat: event.caveat }] };
}

export function removeTag(context: RoutingContext, event: EventOf<'GEO.UNTAG'>): Changes {
  return { tags: context.tags.filter((t) => !sameTag(t, event)) };
}

export function confirmAssessment(context: RoutingContext): Changes {
  return { geolocationConfirmed: true, reasons: [...context.reasons, ...(context.assessment?.reasons ?? [])] };
}

export function referToJurisdiction(context: RoutingContext, event: EventOf<'ROUTE.REFER'>, reference: Reference): Changes {
  const jurisdiction = reference.jurisdictions.jurisdictionById(event.jurisdictionId);
  if (jurisdiction === null) return {};
  const notify = reference.jurisdictions.notifyFor(jurisdiction, acceptedTip(context).incident.type);
  const assessment = context.assessment;
  const expected = assessment === null ? null : chooseRoute(assessment, reference.jurisdictions, context.declined, context.indicatorsVersion);
  const reasons = [...context.reasons];
  if (expected?.kind === 'refer' && expected.jurisdiction.id === jurisdiction.id) reasons.push(expected.reason);
  else reasons.push(`Referred to ${jurisdiction.id} (${jurisdiction.name}, channel ${jurisdiction.channel}) by the analyst's choice.`);
  reasons.push(`Caveats and confidence travel with the referral: ${assessment?.caveats.join(', ') || 'no caveats'}; confidence ${assessment?.confidence ?? 'none'}.`);
  if (notify.length > 0) reasons.push(`${notify.join(', ')} notified: ${acceptedTip(context).incident.type} in the US.`);
  return { jurisdiction, notify, reasons };
}

export function requestLegalProcess(context: RoutingContext, event: EventOf<'ROUTE.LEGAL_PROCESS'>, reference: Reference): Changes {
  const expected = context.assessment === null ? null : chooseRoute(context.assessment, reference.jurisdictions, context.declined, context.indicatorsVersion);
  const reason = expected?.kind === 'legal-process' ? expected.reason : 'Legal process requested by the analyst.';
  return {
    legalProcessAt: timeOfEvent(context, event),
    jurisdiction: null,
    notify: [],
    reasons: [...context.reasons, reason, 'Preservation requested under 18 U.S.C. 2703(f) (90 days, renewable once); waiting for subscriber information.'],
  };
}

export function closeAsInformational(context: RoutingContext, event: EventOf<'ROUTE.INFORMATIONAL'>, reference: Reference): Changes {
  const expected = context.assessment === null ? null : chooseRoute(context.assessment, reference.jurisdictions, context.declined, context.indicatorsVersion);
  const reason =
    event.reason !== undefined ? `Informational: ${event.reason}` : expected?.kind === 'informational' ? expected.reason : 'Informational by the analyst\'s choice.';
  return { jurisdiction: null, notify: [], reasons: [...context.reasons, reason] };
}

export function recordDecline(context: RoutingContext, event: EventOf<'AGENCY.DECLINE'>): Changes {
  const id = context.jurisdiction?.id;
  if (id === undefined) return {};
  return {
    declined: [...context.declined, { jurisdictionId: id, reason: event.reason, indicatorsVersion: context.indicatorsVersion }],
    jurisdiction: null,
    notify: [],
    reasons: [...context.reasons, `${id} declined the referral: ${event.reason}. The tip returns to selection; ${id} is excluded until a new indicator arrives.`],
  };
}

export function recordAcknowledgement(context: RoutingContext): Changes {
  return { reasons: [...context.reasons, `${context.jurisdiction?.id ?? 'The agency'} acknowledged the referral.`] };
}

export function applySubscriberReturn(context: RoutingContext, event: EventOf<'SUBSCRIBER.RETURNED'>): Changes {
  const where = [event.location.city, event.location.region, event.location.countryCode].filter(Boolean).join(', ');
  return {
    tip: withSubscriberReturn(acceptedTip(context), event),
    indicatorsVersion: context.indicatorsVersion + 1,
    routingTime: timeOfEvent(context, event),
    reasons: [...context.reasons, `Subscriber information returned for ${event.indicatorId}: ${where} (verified). Geolocation is assessed again.`],
  };
}

export function addIndicator(context: RoutingContext, event: EventOf<'INDICATOR.ADD'>): Changes {
  return {
    tip: withIndicator(acceptedTip(context), event),
    indicatorsVersion: context.indicatorsVersion + 1,
    routingTime: timeOfEvent(context, event),
    jurisdiction: null,
    notify: [],
    reasons: [...context.reasons, `New indicator added (${event.ipEvent !== undefined ? `IP event ${event.ipEvent.ip}` : `P2P observation ${event.p2p?.ip ?? ''}`}). Geolocation is assessed again.`],
  };
}

export function applySupplement(context: RoutingContext, event: EventOf<'TIP.SUPPLEMENT'>): Changes {
  const before = acceptedTip(context);
  const tip = withSupplement(before, event);
  const left = filesOverLimit(before, event);
  const ruled = priorityFor(tip).value;
  const exigency = context.exigency === null || priorityRank(ruled) < priorityRank(context.exigency) ? ruled : context.exigency;
  return {
    tip,
    exigency,
    routingTime: timeOfEvent(context, event),
    jurisdiction: null,
    notify: [],
    reasons: [
      ...context.reasons,
      'Supplemental report received: the tip is triaged again.',
      ...(left === 0 ? [] : [`${left} of its files were not added: a tip holds at most ${TIP_LIMITS.files} files.`]),
    ],
  };
}

/**
 * Whether a supplemental report makes the tip more urgent than the priority its triage deadline was set for
 * (the deadline then starts again at the new priority's length; exigency never goes down).
 */
export function supplementRaisesExigency(context: RoutingContext, event: EventOf<'TIP.SUPPLEMENT'>): boolean {
  const raised = applySupplement(context, event).exigency ?? null;
  return raised !== null && (context.exigency === null || priorityRank(raised) < priorityRank(context.exigency));
}

export function recordTimer(context: RoutingContext, message: string): Changes {
  return { timerEvents: [...context.timerEvents, message], reasons: [...context.reasons, message] };
}
