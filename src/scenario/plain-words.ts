// The analyst's words for the machine's (issue 15, item 2): one table from event types, state paths, caveat
// codes and decisions to phrases, used by the terminal debrief, the Markdown handout and, through the words
// the debrief carries, the web. A police officer reads "a referral to DE-NAT, refused while choosing the
// route", never `ROUTE.REFER jurisdictionId=DE-NAT … refused in referral.selecting`.
import { CAVEAT_CODES, CAVEAT_EFFECTS, type CaveatCode } from '../domain/caveats/codes.js';
import { CHANNEL_TEXT } from '../domain/reference/jurisdictions.js';
import type { Tag } from '../domain/routing/context.js';
import type { ActionDecision } from './format.js';

/** The two parties outside the hotline, one word each (issue 15, item 4). */
export const PARTY = { provider: 'the reporting provider', carrier: 'the carrier' } as const;

/** Where the tip is, as an analyst says it: "while choosing the route". */
export const STATE_WORDS: Readonly<Record<string, string>> = {
  'intake.validating': 'at intake',
  'intake.deduplicating': 'at intake',
  triage: 'at triage',
  'geolocation.resolving': 'while resolving the locations',
  'geolocation.tagging': 'while tagging caveats',
  'referral.selecting': 'while choosing the route',
  'referral.awaitingAcknowledgement': 'while waiting for the agency to acknowledge the referral',
  'referral.acknowledgementOverdue': 'after the agency missed its acknowledgement deadline',
  'legalProcess.preservationRequested': 'while preservation was requested',
  'legalProcess.preserved': 'while the records were preserved',
  'legalProcess.preservationRenewed': 'while the renewed preservation ran',
  'closed.referred': 'after the tip was referred',
  'closed.informational': 'after the tip was closed as informational',
  'closed.bundled': 'after the tip was bundled',
  'closed.rejected': 'after the tip was rejected',
};

export function stateWords(path: string): string {
  return STATE_WORDS[path] ?? STATE_WORDS[path.split('.')[0] ?? ''] ?? `in ${path}`;
}

export const tagWords = (t: Tag): string => `${t.caveat} on ${t.indicatorId ?? 'the tip as a whole'}`;

export const caveatMeaning = (code: CaveatCode): string => CAVEAT_EFFECTS[code].meaning;

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** An event of the log in the analyst's words; a type the table does not know is shown as it is. */
export function eventWords(event: { type: string; [key: string]: unknown }): string {
  switch (event.type) {
    case 'xstate.init':
      return 'the tip arrived';
    case 'TRIAGE.ASSIGN':
      return `priority ${str(event.priority)}, ${str(event.track)} track${typeof event.reason === 'string' ? ` (reason: ${event.reason})` : ''}`;
    case 'GEO.TAG':
      return `tag ${str(event.caveat)} on ${event.indicatorId === null ? 'the tip as a whole' : str(event.indicatorId)}`;
    case 'GEO.UNTAG':
      return `remove ${str(event.caveat)} from ${event.indicatorId === null ? 'the tip as a whole' : str(event.indicatorId)}`;
    case 'GEO.CONFIRM':
      return 'confirm the caveats';
    case 'ROUTE.REFER':
      return `a referral to ${str(event.jurisdictionId)}`;
    case 'ROUTE.LEGAL_PROCESS':
      return 'legal process';
    case 'ROUTE.INFORMATIONAL':
      return 'informational';
    case 'AGENCY.ACKNOWLEDGE':
      return 'the agency acknowledged the referral';
    case 'AGENCY.DECLINE':
      return `the agency declined the referral${typeof event.reason === 'string' ? ` (${event.reason})` : ''}`;
    case 'SUBSCRIBER.RETURNED':
      return `${PARTY.carrier} returned the subscriber of ${str(event.indicatorId)}`;
    case 'PRESERVATION.CONFIRMED':
      return `${PARTY.carrier} confirmed the preservation request`;
    case 'INDICATOR.ADD':
      return 'a new indicator arrived';
    case 'TIP.SUPPLEMENT':
      return `${PARTY.provider} sent a supplemental report`;
    case 'TIMER.TRIAGE_SLA':
      return 'the triage deadline passed';
    case 'TIMER.ACKNOWLEDGEMENT_SLA':
      return 'the agency’s acknowledgement deadline passed';
    case 'TIMER.RECORDS_RETENTION':
      return `${PARTY.carrier}’s records retention ran out`;
    case 'TIMER.PRESERVATION_RENEWAL':
      return 'the preservation was renewed';
    case 'TIMER.PRESERVATION_EXPIRY':
      return 'the preservation expired';
    case 'TIMER.ESP_PRESERVATION':
      return `${PARTY.provider}’s preservation ran out`;
    case 'CLOCK.ADVANCE':
      return 'the clock moved on';
    case 'INJECT.MESSAGE':
      return 'a message arrived';
    case 'HINT.USED':
      return 'a hint was shown';
    default:
      return event.type;
  }
}

/**
 * A refusal in the rule's own words: the engine's messages start with the machine's "ROUTE.REFER refused in
 * referral.selecting: "; what follows is the rule, written for people.
 */
export function refusalWords(message: string): string {
  const match = /^[A-Z][A-Z_.]* refused in ([\w.]+): ([\s\S]*)$/.exec(message);
  return match === null ? message : (match[2] ?? message);
}

/** "your decision (a referral to DE-NAT) was refused while choosing the route: DE-NAT declined this tip…". */
export function refusedWords(event: { type: string; [key: string]: unknown }, message: string): string {
  const match = /^[A-Z][A-Z_.]* refused in ([\w.]+): /.exec(message);
  const where = match?.[1] === undefined ? '' : ` ${stateWords(match[1])}`;
  return `your decision (${eventWords(event)}) was refused${where}: ${refusalWords(message)}`;
}

const ROUTE_WORDS = { refer: 'refer', 'legal-process': 'legal process', informational: 'informational' } as const;

/** A decision in the terms of an expected action, in the analyst's words (the yours / expected columns). */
export function decisionWords(d: ActionDecision | null): string {
  if (d === null) return 'no decision';
  switch (d.point) {
    case 'triage':
      return `${d.priority}, ${d.track} track`;
    case 'geolocation':
      return d.caveats.length === 0 ? 'no caveats' : d.caveats.map((t) => `${t.caveat}${t.indicatorId === null ? '' : ` on ${t.indicatorId}`}`).join('; ');
    case 'route':
      return d.route === 'refer' ? `refer to ${d.jurisdictionId ?? 'the rule book’s jurisdiction'}` : ROUTE_WORDS[d.route];
  }
}

export const POINT_WORDS = { triage: 'triage', geolocation: 'geolocation caveats', route: 'route' } as const;

/** A span of simulated time in minutes, hours and days: "14 min", "1 h 14 min", "2 d 3 h". */
export function spanWords(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d > 0 ? `${d} d` : '', h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : ''].filter(Boolean);
  return parts.length === 0 ? '0 min' : parts.join(' ');
}

/** How a tip ended, as an analyst says it (the instructor's grid, issue 18 item 7). */
export const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  referred: 'referred to an agency',
  'legal-process': 'sent for legal process',
  informational: 'closed as informational',
  bundled: 'bundled with an earlier tip',
  rejected: 'rejected at intake',
};

/** What an inject brings, in the analyst's words (the instructor's inject panel). */
export const INJECT_KIND_WORDS: Readonly<Record<string, string>> = {
  'agency-acknowledge': 'the agency acknowledges',
  'agency-decline': 'the agency declines',
  'subscriber-returned': `${PARTY.carrier} returns a subscriber`,
  'new-indicator': 'a new indicator',
  'supplemental-report': `${PARTY.provider}'s supplemental report`,
  'preservation-confirmed': `${PARTY.carrier} confirms preservation`,
  message: 'a message only',
};

export const outcomeWords = (outcome: string): string => OUTCOME_WORDS[outcome] ?? outcome;
export const injectKindWords = (kind: string): string => INJECT_KIND_WORDS[kind] ?? kind;
export const pointWords = (point: string): string => (POINT_WORDS as Readonly<Record<string, string>>)[point] ?? point;

/** Who wrote a record of the log, as the replay timeline says it. */
export const ACTOR_WORDS: Readonly<Record<string, string>> = { system: 'the system', trainee: 'the trainee', instructor: 'the instructor', auto: 'the exercise', clock: 'the clock' };

/** What an exercise teaches, in words, when its lesson is a caveat code or a channel; null for other codes (the title says it). */
export function lessonWords(lesson: string): string | null {
  if ((CAVEAT_CODES as readonly string[]).includes(lesson)) return caveatMeaning(lesson as CaveatCode);
  const channel = (CHANNEL_TEXT as Readonly<Record<string, string>>)[lesson];
  return channel ?? null;
}
