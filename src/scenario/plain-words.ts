// The analyst's words for the machine's (issue 15, item 2): one table from event types, state paths, caveat
// codes and decisions to phrases, used by the terminal debrief, the Markdown handout and, through the words
// the debrief carries, the web. A police officer reads "a referral to DE-NAT, refused while choosing the
// route", never `ROUTE.REFER jurisdictionId=DE-NAT … refused in referral.selecting`.
import { CAVEAT_CODES, CAVEAT_EFFECTS, type CaveatCode } from '../domain/caveats/codes.js';
import type { NetworkKind } from '../domain/reference/geo.js';
import { CHANNEL_TEXT } from '../domain/reference/jurisdictions.js';
import type { Tag } from '../domain/routing/context.js';
import type { Outcome } from '../domain/routing/outcome.js';
import type { FileAnnotation, IncidentAnnotation, IncidentType, InternetDetailKind, TipSource } from '../domain/tip/vocabulary.js';
import type { Priority, Track } from '../domain/triage.js';
import type { Phase } from '../engine/index.js';
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

/**
 * The tip's closed vocabularies (DESIGN §3) and the rule book's names as an analyst says them (issue 18,
 * item 7): the trainee's pages get these through GET /api/reference, so a page never shows
 * `child-pornography-possession`, `chatIm` or `legalProcess`. Typed by the vocabularies, so a new code
 * without its words does not compile. Caveat codes keep their fixed names (DESIGN §5): trainees learn them,
 * and each comes with its meaning (CAVEAT_EFFECTS).
 */
export const INCIDENT_TYPE_WORDS: Readonly<Record<IncidentType, string>> = {
  'child-pornography-possession': 'Child sexual abuse material: possession',
  'child-pornography-manufacture': 'Child sexual abuse material: production',
  'child-pornography-distribution': 'Child sexual abuse material: distribution',
  'child-sex-trafficking': 'Child sex trafficking',
  'child-sex-tourism': 'Child sex tourism',
  'child-sexual-molestation': 'Child sexual molestation',
  'misleading-domain-name': 'Misleading domain name',
  'misleading-words-or-digital-images': 'Misleading words or digital images on the internet',
  'online-enticement': 'Online enticement of a child',
  'unsolicited-obscene-material-to-child': 'Unsolicited obscene material sent to a child',
};

/** Annotations of the incident and of files (potentialMeme and viral are both). */
export const ANNOTATION_WORDS: Readonly<Record<IncidentAnnotation | FileAnnotation, string>> = {
  sextortion: 'sextortion',
  csamSolicitation: 'solicitation of abuse material',
  minorToMinorInteraction: 'minor-to-minor interaction',
  spam: 'spam',
  sadisticOnlineExploitation: 'sadistic online exploitation',
  potentialMeme: 'potential meme',
  viral: 'viral (widely shared)',
};

export const INTERNET_KIND_WORDS: Readonly<Record<InternetDetailKind, string>> = {
  webPage: 'Web page',
  email: 'Email',
  newsgroup: 'Newsgroup',
  chatIm: 'Chat or instant messaging',
  onlineGaming: 'Online gaming',
  cellPhone: 'Cell phone',
  nonInternet: 'Not on the internet',
  peer2peer: 'Peer-to-peer network',
};

/** A geolocation entry's network kind. */
export const NETWORK_KIND_WORDS: Readonly<Record<NetworkKind, string>> = {
  residential: 'residential broadband',
  business: 'business line',
  mobile: 'mobile network',
  hosting: 'hosting provider (data centre)',
  vpn: 'VPN service',
  'tor-exit': 'Tor exit node',
  'open-proxy': 'open proxy',
};

export const SOURCE_WORDS: Readonly<Record<TipSource, string>> = { esp: 'Electronic service provider', public: 'Member of the public' };

/** Where the tip is, one word or two: the progress bar, a session list, "Now: legal process." */
export const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  intake: 'Intake',
  triage: 'Triage',
  geolocation: 'Geolocation',
  referral: 'Referral',
  legalProcess: 'Legal process',
  closed: 'Closed',
};

export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  referred: 'Referred to an agency',
  'legal-process': 'Sent for legal process',
  informational: 'Closed as informational',
  bundled: 'Bundled with an earlier tip',
  rejected: 'Rejected at intake (the report fails the tip schema)',
};

/** An outcome as words, for a code read from a file (a debrief, a results export); an unknown code stays as it is. */
export const outcomeWords = (code: string): string => (Object.hasOwn(OUTCOME_WORDS, code) ? OUTCOME_WORDS[code as Outcome] : code);

/** What each priority means (its deadline comes from the timer table, not from here). */
export const PRIORITY_WORDS: Readonly<Record<Priority, string>> = {
  P1: 'exigent: a child may be at risk now',
  P2: 'urgent, not exigent',
  P3: 'routine',
};

export const TRACK_WORDS: Readonly<Record<Track, string>> = {
  referral: 'route it to an agency (or legal process) after geolocation',
  informational: 'keep it for information: no referral',
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

/** HSEEP's ratings, as the debrief and the after-action report spell them. */
export const RATING_WORDS = { P: 'P: performed without challenges', S: 'S: performed with some challenges', M: 'M: performed with major challenges', U: 'U: unable to be performed' } as const;

export const VERDICT_WORDS = { right: 'right', partly: 'partly right', wrong: 'wrong' } as const;

/** An exercise's capabilities (the objectives' `capability`), as an analyst names them. */
export const CAPABILITY_WORDS = { intake: 'intake', triage: 'triage', geolocation: 'geolocation', referral: 'referral', legalProcess: 'legal process' } as const;

export const capabilityWords = (capability: string): string => (CAPABILITY_WORDS as Readonly<Record<string, string>>)[capability] ?? capability;

/** How a session was played: in the web app or the terminal (practice, assessment), or headless from an answer file. */
export const MODE_WORDS: Readonly<Record<string, string>> = { practice: 'practice', assessment: 'assessment', headless: 'scripted run' };

export const modeWords = (mode: string): string => MODE_WORDS[mode] ?? mode;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * A simulated time as "1 Jun 2019, 10:00 UTC": the simulated clock is UTC, and this is how every screen writes it
 * (the web's src/web/components/time-text.ts writes the same form; the web compiles apart, so it has its own).
 */
export const utcWords = (iso: string): string => {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()] ?? ''} ${t.getUTCFullYear()}, ${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')} UTC`;
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
