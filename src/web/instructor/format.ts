// Words and numbers of the instructor dashboard, in one place so the grid and the panels agree.
import type { Phase } from '../api-types.js';

export const PHASE_LABEL: Readonly<Record<Phase, string>> = {
  intake: 'Intake',
  triage: 'Triage',
  geolocation: 'Geolocation',
  legalProcess: 'Legal process',
  referral: 'Referral',
  closed: 'Closed',
};

/** Simulated time elapsed, as "+1h 05m" (days when long: "+3d 2h"). */
export function elapsed(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `+${days}d ${hours}h`;
  return `+${hours}h ${String(mins).padStart(2, '0')}m`;
}

/**
 * A time as every page writes it, "4 Nov 2023, 02:15 UTC": the one format of components/time-text.ts, under
 * the name the instructor's panels use.
 */
export { clockText as utc } from '../components/time-text.js';

export const RATING_WORDS: Readonly<Record<string, string>> = {
  P: 'performed without challenges',
  S: 'performed with some challenges',
  M: 'performed with major challenges',
  U: 'unable to be performed',
};

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How the instructor's screens name a trainee: the name they chose to show, else the sign-in name. */
export const traineeLabel = (t: { name: string; displayName: string | null }): string => t.displayName ?? t.name;
