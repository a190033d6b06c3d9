// Words for durations, timers, phases and decisions, so every trainee panel says them the same way (times
// themselves are written by components/time-text.ts, the same on every page).
import type { AnalystWords } from '../../api/contract.js';
import type { Phase, Tag } from '../api-types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A span of time in the largest unit that keeps it readable: "45 min", "23 h", "72 h", "30 days". */
export function spanText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return `${Math.round(abs / 60_000)} min`;
  if (abs <= 3 * DAY) return `${Math.round(abs / HOUR)} h`;
  const days = Math.round(abs / DAY);
  return `${days} day${days === 1 ? '' : 's'}`;
}

export const untilText = (dueIso: string, nowIso: string): string => {
  const ms = Date.parse(dueIso) - Date.parse(nowIso);
  return ms >= 0 ? `in ${spanText(ms)}` : `${spanText(ms)} ago`;
};

export const PHASE_STEPS = ['intake', 'triage', 'geolocation', 'route', 'closed'] as const;
export type PhaseStep = (typeof PHASE_STEPS)[number];

/** Referral and legal process are one step of the bar: the route, named by the one taken. */
export const stepOf = (phase: Phase): PhaseStep => (phase === 'referral' || phase === 'legalProcess' ? 'route' : phase);

/** A step of the bar in the server's words (words.phases); the route step is named by the route taken. */
export function stepLabel(step: PhaseStep, phase: Phase, words: AnalystWords): string {
  const named: Phase = step === 'route' ? (phase === 'legalProcess' ? 'legalProcess' : 'referral') : step;
  return wordFor(words.phases, named);
}

/** A code in the analyst's words the reference carries; a code the table does not know (an older server) as it is. */
export const wordFor = (table: Readonly<Record<string, string>>, code: string): string => table[code] ?? code;

export const tagText = (t: Tag): string => `${t.caveat} on ${t.indicatorId ?? 'the tip as a whole'}`;

const POINT_TEXT: Record<string, string> = { triage: 'Triage', geolocation: 'Geolocation caveats', route: 'Route' };
export const pointText = (point: string, occurrence = 1): string => `${POINT_TEXT[point] ?? point}${occurrence > 1 ? ` (${occurrence})` : ''}`;

/** A decision as the debrief records it ({point, priority, track} …) in a short line. */
export function decisionText(d: Record<string, unknown> | null): string {
  if (d === null) return 'no decision';
  if (d.point === 'triage') return `${String(d.priority)}, ${String(d.track)} track${typeof d.reason === 'string' ? ` (reason: ${d.reason})` : ''}`;
  if (d.point === 'geolocation') {
    const caveats = Array.isArray(d.caveats) ? (d.caveats as (Tag | string)[]) : [];
    return caveats.length === 0 ? 'no caveats' : caveats.map((c) => (typeof c === 'string' ? c : tagText(c))).join('; ');
  }
  if (d.point === 'route') {
    if (d.route === 'refer') return `refer to ${String(d.jurisdictionId)}`;
    if (d.route === 'legal-process' || d.route === 'legalProcess') return 'legal process';
    return String(d.route);
  }
  return JSON.stringify(d);
}

export const RATING_TEXT: Record<string, string> = {
  P: 'Performed without challenges',
  S: 'Performed with some challenges',
  M: 'Performed with major challenges',
  U: 'Unable to be performed',
};

export const VERDICT_TEXT: Record<string, string> = { right: 'Right', partly: 'Partly right', wrong: 'Wrong' };
