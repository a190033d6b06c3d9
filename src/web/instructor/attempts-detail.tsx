// Every attempt of one trainee (issue 14): each is a row of the grid, listed here too, with a
// button per assessment whose attempts are used up, to grant one more (a retake needs the instructor).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Progress, TraineeProgress } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { PHASE_LABEL } from './format.js';

const where = (p: { closed: boolean; phase: Progress['phase']; words: Progress['words'] }): string => (p.closed ? `closed${p.words.outcome === null ? '' : `: ${p.words.outcome}`}` : (PHASE_LABEL[p.phase] ?? p.phase));

export function AttemptsDetail({ cohortId, row, titleOf, onGranted }: { cohortId: string; row: TraineeProgress; titleOf: (id: string) => string; onGranted: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const grant = async (exerciseId: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const reply = await api<{ attempts: { allowed: number; used: number } | null }>('POST', `/api/cohorts/${encodeURIComponent(cohortId)}/assignments/${encodeURIComponent(exerciseId)}/grants`, { traineeId: row.id });
      setDone(`${row.name} may take ${titleOf(exerciseId)} once more${reply.attempts === null ? '' : ` (${reply.attempts.used} of ${reply.attempts.allowed} attempts used)`}.`);
      onGranted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (row.attempts.length === 0 && row.assessments.length === 0) return null;
  return (
    <details class="attempts">
      <summary>
        Attempts ({row.attempts.length})<span class="visually-hidden"> of {row.name}</span>
      </summary>
      {row.attempts.length === 0 ? null : (
        <ul class="attempt-list">
          {row.attempts.map((a) => (
            <li key={a.sessionId} data-session={a.sessionId}>
              <a href={`#/session/${encodeURIComponent(a.sessionId)}`}>{a.exerciseTitle ?? a.exerciseId ?? 'a tip'}</a> · {a.mode} #{a.number} · {where(a)}
              {a.rating === null ? '' : ` · rating ${a.rating}`}
            </li>
          ))}
        </ul>
      )}
      {row.assessments.map((s) => (
        <p key={s.exerciseId} class="small">
          {titleOf(s.exerciseId)}: {s.used} of {s.allowed} assessment attempt{s.allowed === 1 ? '' : 's'} used.{' '}
          {s.used >= s.allowed ? (
            <button type="button" class="secondary" disabled={busy} onClick={() => void grant(s.exerciseId)}>
              Grant {row.name} another attempt at {titleOf(s.exerciseId)}
            </button>
          ) : null}
        </p>
      ))}
      <p role="status" class="small">
        {done}
      </p>
      <ErrorNote error={error} />
    </details>
  );
}
