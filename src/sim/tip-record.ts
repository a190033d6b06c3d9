// What routing one simulated tip produced: the walk through the machine (every accepted event and timer,
// with its simulated time and the state it led to) and the figures the summary counts. The engine path and
// the fast path both produce this record; the differential test compares them field by field.
import type { CaveatCode } from '../domain/caveats/codes.js';
import type { Confidence } from '../domain/confidence.js';
import type { Channel } from '../domain/reference/jurisdictions.js';
import type { Outcome } from '../domain/routing/outcome.js';
import { delayOfRecord } from '../domain/routing/timer-table.js';
import { delayOfTimerEvent } from '../domain/routing/timers.js';
import type { Priority, Track } from '../domain/triage.js';
import type { ActorRole } from '../engine/audit.js';

export interface WalkStep {
  /** The event type (a timer's is its record's domain name, e.g. TIMER.TRIAGE_SLA). */
  type: string;
  actor: ActorRole;
  /** Simulated epoch ms. */
  at: number;
  /** Where the tip is after the step (routing region), e.g. referral.awaitingAcknowledgement. */
  state: string;
}

export interface SimTipRecord {
  index: number;
  /** The outcome of the first route decision (what `tipflow route` would print). */
  routingOutcome: Outcome;
  /** The outcome once the world has answered (agency, provider, subscriber information) or the clock ran out. */
  finalOutcome: Outcome;
  exigency: Priority | null;
  priority: Priority | null;
  track: Track | null;
  /** Confidence and caveats of the geolocation assessment the route was decided on. */
  confidence: Confidence;
  caveats: CaveatCode[];
  /** The network kind of each IP event and P2P observation ('none': no geo entry covers it). */
  networkKinds: string[];
  /** The agency the tip was finally referred to. */
  jurisdiction: { id: string; channel: Channel } | null;
  notify: string[];
  steps: WalkStep[];
}


/**
 * Timer records by the chart's delay that fired them (a record's domain name, `TIMER.TRIAGE_SLA` → triageSla;
 * XState's `xstate.after.<delay>.<state>` in walks made before records had domain names).
 */
export function timerName(type: string): string {
  return delayOfRecord(type) ?? delayOfTimerEvent(type) ?? type;
}
