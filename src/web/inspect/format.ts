// Words for the inspector: events with their parameters, state values as paths, simulated times and timers.
import type { RoutingEventObject, Timer } from './types.js';

const paramText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** "TRIAGE.ASSIGN P1 referral": the type, then each parameter's value in the event's own order. */
export function eventLabel(event: { type: string; [key: string]: unknown }): string {
  const params = Object.entries(event)
    .filter(([key, value]) => key !== 'type' && value !== undefined)
    .map(([, value]) => paramText(value));
  return [event.type, ...params].join(' ');
}

/** Leaf paths of an XState state value: { routing: { geolocation: 'tagging' }, clock: 'running' } → routing.geolocation.tagging, clock.running. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leafPaths(child, `${prefix}${key}.`));
}

/** The part of a transition worth reading: the leaves that changed ("routing.triage → routing.geolocation.tagging"). */
export function transitionText(from: unknown, to: unknown): string {
  const before = leafPaths(from);
  const after = leafPaths(to);
  if (before.length === 0) return `start in ${after.join(', ')}`;
  const left = before.filter((p) => !after.includes(p));
  const right = after.filter((p) => !before.includes(p));
  if (left.length === 0 && right.length === 0) return `stays in ${after.filter((p) => p.startsWith('routing.')).join(', ') || after.join(', ')}`;
  return `${left.join(', ')} → ${right.join(', ')}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "in 3 d 2 h", "in 45 min", "now", "2 h ago". */
export function relative(fromIso: string, toIso: string): string {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (Number.isNaN(ms)) return '';
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 60_000) return 'now';
  if (abs < HOUR) text = `${Math.round(abs / 60_000)} min`;
  else if (abs < DAY) text = `${Math.floor(abs / HOUR)} h${abs % HOUR >= 60_000 ? ` ${Math.round((abs % HOUR) / 60_000)} min` : ''}`;
  else text = `${Math.floor(abs / DAY)} d${abs % DAY >= HOUR ? ` ${Math.floor((abs % DAY) / HOUR)} h` : ''}`;
  return ms > 0 ? `in ${text}` : `${text} ago`;
}

/** A pending timer in words: its named delay and the state that scheduled it, triageSla (routing.triage), as the server reads them. */
export const timerName = (timer: Timer): string => (timer.delay === null || timer.state === null ? timer.event : `${timer.delay} (${timer.state})`);

/** Events are shown and sent as JSON; this is the text an editor starts from. */
export const eventJson = (event: RoutingEventObject): string => JSON.stringify(event, null, 2);
