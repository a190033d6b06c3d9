// A cohort's results (issue 6): one row per session, as JSON and as CSV (RFC 4180: every value quoted,
// quotes doubled, CRLF line ends, a header row).
import type { Debrief } from '../scenario/debrief.js';
import { elapsedText } from '../scenario/report.js';
import type { StoredSession } from '../store/event-store.js';

export interface ResultRow {
  sessionId: string;
  trainee: string;
  exerciseId: string | null;
  mode: string;
  closed: boolean;
  outcome: string | null;
  /** P/S/M/U, or null when the session has no exercise to grade against. */
  overallRating: string | null;
  overallScore: number | null;
  /** Rating per objective id of the session's exercise. */
  objectives: Record<string, string>;
  decisions: { right: number; partly: number; wrong: number };
  /** Simulated time from the first record to the last. */
  simulatedMs: number | null;
  simulatedTime: string | null;
}

export interface SessionResult {
  trainee: string;
  stored: StoredSession;
  closed: boolean;
  debrief: Debrief | null;
}

export function resultRows(sessions: readonly SessionResult[]): ResultRow[] {
  return sessions.map(({ trainee, stored, closed, debrief }) => {
    const count = (verdict: string) => debrief?.decisions.filter((d) => d.verdict === verdict).length ?? 0;
    return {
      sessionId: stored.id,
      trainee,
      exerciseId: stored.exerciseId,
      mode: stored.mode,
      closed,
      outcome: debrief?.outcome ?? null,
      overallRating: debrief?.overall.rating ?? null,
      overallScore: debrief === null ? null : Math.round(debrief.overall.score * 1000) / 1000,
      objectives: Object.fromEntries((debrief?.objectives ?? []).map((o) => [o.objective, o.rating])),
      decisions: { right: count('right'), partly: count('partly'), wrong: count('wrong') },
      simulatedMs: debrief?.clock.elapsedMs ?? null,
      simulatedTime: debrief === null ? null : elapsedText(debrief.clock.elapsedMs),
    };
  });
}

/** One CSV value: always quoted, inner quotes doubled (RFC 4180). */
export const csvValue = (value: string | number | boolean | null): string => `"${(value === null ? '' : String(value)).replace(/"/g, '""')}"`;

/** The rows as CSV; objectives get one column each (`objective:<id>`), over every exercise in the rows. */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const objectiveIds = [...new Set(rows.flatMap((r) => Object.keys(r.objectives)))].sort();
  const header = ['session', 'trainee', 'exercise', 'mode', 'closed', 'outcome', 'overall rating', 'overall score', ...objectiveIds.map((id) => `objective:${id}`), 'right', 'partly right', 'wrong', 'simulated ms', 'simulated time'];
  const lines = rows.map((r) => [r.sessionId, r.trainee, r.exerciseId, r.mode, r.closed, r.outcome, r.overallRating, r.overallScore, ...objectiveIds.map((id) => r.objectives[id] ?? null), r.decisions.right, r.decisions.partly, r.decisions.wrong, r.simulatedMs, r.simulatedTime]);
  return [header, ...lines].map((line) => `${line.map(csvValue).join(',')}\r\n`).join('');
}
