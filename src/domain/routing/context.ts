// The routing machine's context: the tip, what the rule book computed, and what was decided. Plain JSON,
// so a snapshot serializes as it is.
import type { GeoAssessment } from '../assessment.js';
import type { CaveatCode } from '../caveats/codes.js';
import type { Jurisdiction } from '../reference/jurisdictions.js';
import type { InputIssue } from '../tip/parse.js';
import { parseTip } from '../tip/parse.js';
import type { Tip } from '../tip/schema.js';
import { priorityFor, type Priority, type Track } from '../triage.js';

export interface Tag {
  /** null for a tip-level caveat (CONFLICTING_INDICATORS). */
  indicatorId: string | null;
  caveat: CaveatCode;
}

export interface Declined {
  jurisdictionId: string;
  reason: string;
  /** The indicator set the decline was made on; a new indicator lifts it. */
  indicatorsVersion: number;
}

export interface RoutingInput {
  /** The report as submitted; intake validates it. */
  submission: unknown;
  /** ISO time the tip is routed at (default: its receivedAt). Decides STALE_IP_EVENT. */
  routingTime?: string;
  /** File hashes of open tips, for bundling viral duplicates. */
  openFileHashes?: readonly string[];
}

export interface RoutingContext {
  tip: Tip | null;
  intakeIssues: InputIssue[];
  openFileHashes: string[];
  routingTime: string;
  /** The rule book's priority at intake: it sets the triage SLA and guards against silent P1 downgrades. */
  exigency: Priority | null;
  priority: Priority | null;
  track: Track | null;
  assessment: GeoAssessment | null;
  tags: Tag[];
  geolocationConfirmed: boolean;
  indicatorsVersion: number;
  jurisdiction: Jurisdiction | null;
  notify: string[];
  declined: Declined[];
  /** Every expiry and SLA breach, in order: nothing the clock does is silent. */
  timerEvents: string[];
  /** When legal process was last requested (ISO): the ISP records clock counts from here. */
  legalProcessAt: string | null;
  reasons: string[];
}

const FALLBACK_TIME = '1970-01-01T00:00:00.000Z';

export function initialRoutingContext(input: RoutingInput): RoutingContext {
  const parsed = parseTip(input.submission);
  const tip = parsed.ok ? parsed.value : null;
  return {
    tip,
    intakeIssues: parsed.ok ? [] : parsed.issues,
    openFileHashes: [...(input.openFileHashes ?? [])].map((h) => h.toLowerCase()),
    routingTime: input.routingTime ?? tip?.receivedAt ?? FALLBACK_TIME,
    exigency: tip === null ? null : priorityFor(tip).value,
    priority: null,
    track: null,
    assessment: null,
    tags: [],
    geolocationConfirmed: false,
    indicatorsVersion: 0,
    jurisdiction: null,
    notify: [],
    declined: [],
    timerEvents: [],
    legalProcessAt: null,
    reasons: [],
  };
}

/** The tip after intake accepted it; the chart never reaches a state that needs it before. */
export function acceptedTip(context: RoutingContext): Tip {
  if (context.tip === null) throw new Error('internal: the routing machine used the tip before intake accepted it');
  return context.tip;
}
