// Which exercises a cohort's trainees may start. Without any assignment they are offered every bundled
// exercise and the instructor's uploads (docs/server.md), which the card says so nobody is surprised.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Assignment, AssignmentMode, ExerciseSummary } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';

/** How an assignment may be taken, said for the instructor. */
export function assignmentText(a: Pick<Assignment, 'mode' | 'attempts' | 'practiceDebrief'>): string {
  const attempts = `${a.attempts} assessment attempt${a.attempts === 1 ? '' : 's'}`;
  const atClose = a.mode !== 'assessment' && a.practiceDebrief === 'at-close' ? ', practice debrief at the close' : '';
  return (a.mode === 'practice' ? 'practice only' : a.mode === 'assessment' ? `assessment only, ${attempts}` : `practice and assessment, ${attempts}`) + atClose;
}

export function AssignmentsCard({ cohortId, exercises }: { cohortId: string; exercises: ExerciseSummary[] }) {
  const [assignments, setAssignments] = useState<Assignment[] | null>(null);
  const [choice, setChoice] = useState('');
  const [mode, setMode] = useState<AssignmentMode>('both');
  const [attempts, setAttempts] = useState(1);
  const [practiceDebrief, setPracticeDebrief] = useState<'on-release' | 'at-close'>('on-release');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    api<{ assignments: Assignment[] }>('GET', `/api/cohorts/${encodeURIComponent(cohortId)}/assignments`)
      .then((r) => setAssignments(r.assignments))
      .catch(setError);
  }, [cohortId]);

  const title = (id: string) => exercises.find((e) => e.id === id)?.title ?? id;
  const assigned = new Set((assignments ?? []).map((a) => a.exerciseId));
  const open = exercises.filter((e) => !assigned.has(e.id));

  const assign = async (event: Event) => {
    event.preventDefault();
    const exerciseId = choice || open[0]?.id;
    if (exerciseId === undefined) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { assignment } = await api<{ assignment: Assignment }>('POST', `/api/cohorts/${encodeURIComponent(cohortId)}/assignments`, { exerciseId, mode, attempts, practiceDebrief });
      setAssignments((list) => [...(list ?? []).filter((a) => a.exerciseId !== assignment.exerciseId), assignment]);
      setChoice('');
      setDone(`Assigned ${title(exerciseId)} (${assignmentText(assignment)}).`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const unassign = async (exerciseId: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await api('DELETE', `/api/cohorts/${encodeURIComponent(cohortId)}/assignments/${encodeURIComponent(exerciseId)}`);
      setAssignments((list) => (list ?? []).filter((a) => a.exerciseId !== exerciseId));
      setDone(`Took ${title(exerciseId)} off this cohort; sessions already started go on.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="assign-title">
      <h2 id="assign-title">Assigned exercises</h2>
      {assignments === null ? (
        <p role="status">Loading…</p>
      ) : assignments.length === 0 ? (
        <p class="muted">None yet: until you assign one, trainees may start any bundled exercise or one of your uploads.</p>
      ) : (
        <ul class="assigned">
          {assignments.map((a) => (
            <li key={a.exerciseId}>
              <strong>{title(a.exerciseId)}</strong> <span class="mono small muted">{a.exerciseId}</span> <span class="small">{assignmentText(a)}</span>{' '}
              <button type="button" class="link" disabled={busy} aria-label={`Unassign ${title(a.exerciseId)}`} onClick={() => void unassign(a.exerciseId)}>
                Unassign
              </button>
            </li>
          ))}
        </ul>
      )}
      {open.length > 0 ? (
        <form class="row" onSubmit={(e) => void assign(e)}>
          <label class="grow">
            Exercise to assign
            <select value={choice || open[0]?.id} onChange={(e) => setChoice(e.currentTarget.value)}>
              {open.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.title} ({e.id})
                </option>
              ))}
            </select>
          </label>
          <label>
            Mode
            <select value={mode} onChange={(e) => setMode(e.currentTarget.value as AssignmentMode)}>
              <option value="both">practice and assessment</option>
              <option value="assessment">assessment only</option>
              <option value="practice">practice only</option>
            </select>
          </label>
          {mode === 'practice' ? null : (
            <label>
              Assessment attempts
              <input type="number" min={1} max={20} value={attempts} onInput={(e) => setAttempts(Math.min(20, Math.max(1, Math.trunc(Number(e.currentTarget.value)) || 1)))} />
            </label>
          )}
          {mode === 'assessment' ? null : (
            <label>
              Practice debrief
              <select value={practiceDebrief} onChange={(e) => setPracticeDebrief(e.currentTarget.value as 'on-release' | 'at-close')}>
                <option value="on-release">when I release it</option>
                <option value="at-close">as soon as the tip is closed</option>
              </select>
            </label>
          )}
          <button type="submit" disabled={busy}>
            Assign
          </button>
        </form>
      ) : null}
      <p role="status" class="small">
        {done}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
