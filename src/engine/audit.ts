// The audit log: one record per accepted event, append-only. It is the truth of a session; snapshots are
// a cache rebuilt from it by replay.
import type { StateValue } from 'xstate';

export const ACTOR_ROLES = ['system', 'trainee', 'instructor', 'auto', 'clock'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export interface AuditRecord {
  seq: number;
  /** Simulated time, ISO 8601. */
  at: string;
  eventId: string;
  /**
   * The event as accepted (without the engine's time stamp); a timer's is its domain name (`TIMER.TRIAGE_SLA`,
   * with the message it gave); a note's (`CLOCK.ADVANCE`, `INJECT.MESSAGE`, …) is what the runner recorded.
   */
  event: { type: string; [key: string]: unknown };
  actor: ActorRole;
  from: StateValue | null;
  to: StateValue;
}

/** Leaf state paths, sorted: { routing: { referral: 'selecting' }, clock: 'running' } → ['clock.running', 'routing.referral.selecting']. */
export function statePaths(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value)
    .flatMap(([key, child]) => (child === undefined ? [key] : statePaths(child).map((path) => `${key}.${path}`)))
    .sort();
}

/**
 * The routing region's path (what a trainee calls "where the tip is"), e.g. referral.selecting: the first of
 * the leaf paths under `routing` (statePaths' first that starts with `routing.`), read off the routing
 * region alone. Every step asks it of a new value (XState makes one per snapshot): it builds no other path.
 */
export function routingPath(value: StateValue): string {
  if (typeof value === 'string') return value.startsWith('routing.') ? value.slice('routing.'.length) : '';
  const routing = value.routing;
  return routing === undefined ? '' : firstPath(routing);
}

/** statePaths(value)[0] without building the others: under each key only its child's first path can be first. */
function firstPath(value: StateValue): string {
  if (typeof value === 'string') return value;
  let first: string | null = null;
  for (const [key, child] of Object.entries(value)) {
    const path = child === undefined ? key : `${key}.${firstPath(child)}`;
    if (first === null || path < first) first = path;
  }
  return first ?? '';
}

export const PHASES = ['intake', 'triage', 'geolocation', 'legalProcess', 'referral', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export function phaseOf(value: StateValue): Phase {
  const top = routingPath(value).split('.')[0];
  return (PHASES as readonly string[]).includes(top ?? '') ? (top as Phase) : 'intake';
}

/**
 * Records that do not move the machine (DESIGN §9, "the log is the whole truth"): the clock moved on (a wait,
 * an instructor's advance, a paced tick), an inject's message arrived, was held or could not be delivered, a
 * decision was refused, a hint was shown. Replay appends them as they are, at their time.
 */
export const NOTE_EVENT_TYPES = ['CLOCK.ADVANCE', 'INJECT.MESSAGE', 'INJECT.HELD', 'INJECT.UNDELIVERED', 'DECISION.REFUSED', 'HINT.USED'] as const;
export type NoteEventType = (typeof NOTE_EVENT_TYPES)[number];
export interface NoteEvent {
  type: NoteEventType;
  [key: string]: unknown;
}
export const isNoteRecord = (record: Pick<AuditRecord, 'event'>): boolean => (NOTE_EVENT_TYPES as readonly string[]).includes(record.event.type);
/** A record the machine itself took (a decision, an inject's event, a timer): not a note. */
export const isMachineRecord = (record: Pick<AuditRecord, 'event'>): boolean => !isNoteRecord(record);
