// The rules a decision or an inject must satisfy, one function per rule. Each rule is a guard of the chart
// (named as the question it asks, `hasReasonForP1Downgrade`), and the refusal when it does not hold: a code
// that tools match on and the message a person reads. The machine's guards, the engine's refusal messages,
// the server's pre-check and the validator all ask these functions, so no rule is written twice.
import { legalProcessCandidates } from '../assessment.js';
import { kindCanCarry } from '../caveats/choices.js';
import { CAVEAT_EFFECTS } from '../caveats/codes.js';
import type { RoutingEvent } from '../events.js';
import type { Reference } from '../reference/reference.js';
import { TIP_LIMITS } from '../tip/schema.js';
import { acceptedTip, type RoutingContext } from './context.js';
import { isDeclined } from './route-choice.js';
import { hasTag } from './tags.js';

/** What a refusal is about, for tools (the validator points at the field it concerns); never parse the message. */
export const REFUSAL_CODES = [
  'P1_DOWNGRADE_WITHOUT_REASON',
  'INDICATORS_NOT_RESOLVED',
  'TAG_LEVEL_MISMATCH',
  'UNKNOWN_INDICATOR',
  'NETWORK_CAVEAT_ON_REPORTED_LOCATION',
  'ALREADY_TAGGED',
  'NOT_TAGGED',
  'NO_DETERMINING_INDICATOR',
  'UNKNOWN_JURISDICTION',
  'JURISDICTION_DECLINED',
  'NO_LEGAL_PROCESS_CANDIDATE',
  'NOT_A_LEGAL_PROCESS_INDICATOR',
  'TIP_LIMIT',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface RuleRefusal {
  code: RefusalCode;
  message: string;
}

type EventOf<T extends RoutingEvent['type']> = Extract<RoutingEvent, { type: T }>;
type Rule<T extends RoutingEvent['type']> = (context: RoutingContext, event: EventOf<T>, reference: Reference) => RuleRefusal | null;
const refuse = (code: RefusalCode, message: string): RuleRefusal => ({ code, message });

// ---- triage ----

/** A P1 (exigent) tip is lowered only with a reason. */
export const p1DowngradeRule: Rule<'TRIAGE.ASSIGN'> = (context, event) => {
  const wasExigent = context.exigency === 'P1' || context.priority === 'P1';
  return wasExigent && event.priority !== 'P1' && event.reason === undefined ? refuse('P1_DOWNGRADE_WITHOUT_REASON', 'this tip is P1 (exigent); assigning a lower priority needs a reason') : null;
};

// ---- geolocation tags ----

/** A tag names an indicator the tip has (or the tip itself, for a tip-level caveat). */
export const tagFitRule: Rule<'GEO.TAG' | 'GEO.UNTAG'> = (context, event) => {
  const assessment = context.assessment;
  if (assessment === null) return refuse('INDICATORS_NOT_RESOLVED', 'the indicators have not been resolved yet');
  const tipLevel = CAVEAT_EFFECTS[event.caveat].tipLevel === true;
  if (tipLevel && event.indicatorId !== null) return refuse('TAG_LEVEL_MISMATCH', `${event.caveat} applies to the tip as a whole: send it with indicatorId null`);
  if (!tipLevel && event.indicatorId === null) return refuse('TAG_LEVEL_MISMATCH', `${event.caveat} applies to one indicator: name its indicatorId`);
  if (event.indicatorId !== null && !assessment.indicators.some((i) => i.id === event.indicatorId)) {
    return refuse('UNKNOWN_INDICATOR', `the tip has no indicator ${event.indicatorId} (it has ${assessment.indicators.map((i) => i.id).join(', ') || 'none'})`);
  }
  return null;
};

/** A caveat about a network address is never said of a location the provider or the subject reported. */
export const indicatorKindRule: Rule<'GEO.TAG'> = (context, event) => {
  const indicator = context.assessment?.indicators.find((i) => i.id === event.indicatorId);
  if (indicator === undefined || kindCanCarry(indicator.source, event.caveat)) return null;
  return refuse('NETWORK_CAVEAT_ON_REPORTED_LOCATION', `${event.caveat} is said of a network address; ${indicator.id} is a reported location (no address, port or time)`);
};

const isTagged = (context: RoutingContext, event: EventOf<'GEO.TAG' | 'GEO.UNTAG'>) => hasTag(context.tags, { indicatorId: event.indicatorId, caveat: event.caveat });

/** A caveat is tagged once. */
export const notYetTaggedRule: Rule<'GEO.TAG'> = (context, event) =>
  isTagged(context, event) ? refuse('ALREADY_TAGGED', `${event.caveat} is already tagged on ${event.indicatorId ?? 'the tip'}`) : null;

/** Only a tag that is there can be taken off. */
export const taggedRule: Rule<'GEO.UNTAG'> = (context, event) =>
  isTagged(context, event) ? null : refuse('NOT_TAGGED', `${event.caveat} is not tagged on ${event.indicatorId ?? 'the tip'}`);

// ---- referral ----

/** A referral needs an indicator that can decide a jurisdiction. */
export const determiningIndicatorRule: Rule<'ROUTE.REFER'> = (context) =>
  context.assessment?.indicators.some((i) => i.determining) === true
    ? null
    : refuse('NO_DETERMINING_INDICATOR', 'no indicator can decide a jurisdiction (anonymized, attribution-blocked or without location): use legal process or informational');

/** A referral goes to an agency of the registry. */
export const knownJurisdictionRule: Rule<'ROUTE.REFER'> = (_context, event, reference) =>
  reference.jurisdictions.jurisdictionById(event.jurisdictionId) === null ? refuse('UNKNOWN_JURISDICTION', `${event.jurisdictionId} is not a jurisdiction of the registry`) : null;

/** An agency that declined the tip is not asked again until a new indicator arrives. */
export const notDeclinedRule: Rule<'ROUTE.REFER'> = (context, event, reference) => {
  const jurisdiction = reference.jurisdictions.jurisdictionById(event.jurisdictionId);
  if (jurisdiction === null || !isDeclined(context.declined, jurisdiction.id, context.indicatorsVersion)) return null;
  return refuse('JURISDICTION_DECLINED', `${jurisdiction.id} declined this tip; it cannot be referred there again without a new indicator`);
};

// ---- legal process ----

/** Legal process needs an indicator that only subscriber information can place. */
export const legalProcessCandidateRule: Rule<'ROUTE.LEGAL_PROCESS'> = (context) =>
  context.assessment !== null && legalProcessCandidates(context.assessment).length > 0
    ? null
    : refuse('NO_LEGAL_PROCESS_CANDIDATE', 'legal process needs an indicator that is not anonymized and is attribution-blocked or without a geolocation match');

/** Subscriber information answers the legal process on one of its indicators. */
export const subscriberIndicatorRule: Rule<'SUBSCRIBER.RETURNED'> = (context, event) => {
  const candidates = context.assessment === null ? [] : legalProcessCandidates(context.assessment);
  if (candidates.some((c) => c.id === event.indicatorId)) return null;
  return refuse('NOT_A_LEGAL_PROCESS_INDICATOR', `subscriber information answers legal process on ${candidates.map((c) => c.id).join(', ') || 'no indicator'}, not ${event.indicatorId}`);
};

// ---- the tip's own limits (the schema that accepted it, TIP_LIMITS) ----

/** A P2P observation's subscriber becomes a new subject: the tip's subject limit still holds. */
export const subscriberWithinLimitsRule: Rule<'SUBSCRIBER.RETURNED'> = (context, event) =>
  event.indicatorId.startsWith('p2p[') && (acceptedTip(context).subjects ?? []).length >= TIP_LIMITS.subjects ? refuse('TIP_LIMIT', `the tip already has ${TIP_LIMITS.subjects} subjects`) : null;

/** A new indicator keeps the tip within its schema's limits. */
export const indicatorWithinLimitsRule: Rule<'INDICATOR.ADD'> = (context, event) => {
  const tip = acceptedTip(context);
  if (event.p2p !== undefined && (tip.p2p ?? []).length >= TIP_LIMITS.p2p) return refuse('TIP_LIMIT', `the tip already has ${TIP_LIMITS.p2p} P2P observations`);
  if (event.ipEvent !== undefined) {
    const subject = (tip.subjects ?? []).find((s) => s.id === event.subjectId);
    if (subject === undefined && (tip.subjects ?? []).length >= TIP_LIMITS.subjects) return refuse('TIP_LIMIT', `the tip already has ${TIP_LIMITS.subjects} subjects: add the IP event to one of them`);
    if (subject !== undefined && (subject.ipEvents ?? []).length >= TIP_LIMITS.ipEventsPerSubject) return refuse('TIP_LIMIT', `subject ${subject.id} already has ${TIP_LIMITS.ipEventsPerSubject} IP events`);
  }
  return null;
};

/** A rule and the events it reads, asked of any event (one it does not read passes it). */
interface GuardRule {
  events: readonly RoutingEvent['type'][];
  ask: (context: RoutingContext, event: RoutingEvent, reference: Reference) => RuleRefusal | null;
}
function ruleFor<T extends RoutingEvent['type']>(events: readonly T[], rule: Rule<T>): GuardRule {
  const reads = (event: RoutingEvent): event is EventOf<T> => (events as readonly string[]).includes(event.type);
  return { events, ask: (context, event, reference) => (reads(event) ? rule(context, event, reference) : null) };
}

/**
 * The chart's guards, by the question each asks, with the rule that answers it and the events it reads. The
 * machine binds each name to `rule(...) === null`; the diagram shows the names.
 */
export const RULE_GUARDS = {
  hasReasonForP1Downgrade: ruleFor(['TRIAGE.ASSIGN'], p1DowngradeRule),
  fitsAnIndicator: ruleFor(['GEO.TAG', 'GEO.UNTAG'], tagFitRule),
  fitsIndicatorKind: ruleFor(['GEO.TAG'], indicatorKindRule),
  isNotYetTagged: ruleFor(['GEO.TAG'], notYetTaggedRule),
  isTagged: ruleFor(['GEO.UNTAG'], taggedRule),
  hasDeterminingIndicator: ruleFor(['ROUTE.REFER'], determiningIndicatorRule),
  isKnownJurisdiction: ruleFor(['ROUTE.REFER'], knownJurisdictionRule),
  wasNotDeclined: ruleFor(['ROUTE.REFER'], notDeclinedRule),
  hasLegalProcessCandidate: ruleFor(['ROUTE.LEGAL_PROCESS'], legalProcessCandidateRule),
  matchesSubscriberIndicator: ruleFor(['SUBSCRIBER.RETURNED'], subscriberIndicatorRule),
  subscriberStaysWithinTipLimits: ruleFor(['SUBSCRIBER.RETURNED'], subscriberWithinLimitsRule),
  indicatorStaysWithinTipLimits: ruleFor(['INDICATOR.ADD'], indicatorWithinLimitsRule),
} as const;
export type RuleGuard = keyof typeof RULE_GUARDS;

/** The rules an event must satisfy, in the order they are asked (the first that fails is the refusal). */
const RULES_OF_EVENT: Partial<Record<RoutingEvent['type'], readonly RuleGuard[]>> = {
  'TRIAGE.ASSIGN': ['hasReasonForP1Downgrade'],
  'GEO.TAG': ['fitsAnIndicator', 'fitsIndicatorKind', 'isNotYetTagged'],
  'GEO.UNTAG': ['fitsAnIndicator', 'isTagged'],
  'ROUTE.REFER': ['hasDeterminingIndicator', 'isKnownJurisdiction', 'wasNotDeclined'],
  'ROUTE.LEGAL_PROCESS': ['hasLegalProcessCandidate'],
  'SUBSCRIBER.RETURNED': ['matchesSubscriberIndicator', 'subscriberStaysWithinTipLimits'],
  'INDICATOR.ADD': ['indicatorStaysWithinTipLimits'],
};

/** The rule `guard` names, asked of `event` (an event the rule does not read passes it). */
export function ruleRefusal(guard: RuleGuard, context: RoutingContext, event: RoutingEvent, reference: Reference): RuleRefusal | null {
  return RULE_GUARDS[guard].ask(context, event, reference);
}

/** Why `event` cannot be taken in `context`: the first of its rules that does not hold, or null. */
export function decisionRefusal(context: RoutingContext, event: RoutingEvent, reference: Reference): RuleRefusal | null {
  for (const guard of RULES_OF_EVENT[event.type] ?? []) {
    const refusal = ruleRefusal(guard, context, event, reference);
    if (refusal !== null) return refusal;
  }
  return null;
}

/** The message of `decisionRefusal`, or null. */
export const decisionProblem = (context: RoutingContext, event: RoutingEvent, reference: Reference): string | null => decisionRefusal(context, event, reference)?.message ?? null;
