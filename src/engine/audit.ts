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
  /** The event as accepted (without the engine's time stamp); a timer's event is XState's delayed event. */
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

/** The routing region's path (what a trainee calls "where the tip is"), e.g. referral.selecting. */
export function routingPath(value: StateValue): string {
  const path = statePaths(value).find((p) => p.startsWith('routing.'));
  return path === undefined ? '' : path.slice('routing.'.length);
}

export const PHASES = ['intake', 'triage', 'geolocation', 'legalProcess', 'referral', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export function phaseOf(value: StateValue): Phase {
  const top = routingPath(value).split('.')[0];
  return (PHASES as readonly string[]).includes(top ?? '') ? (top as Phase) : 'intake';
}
