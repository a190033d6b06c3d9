// The exercises an instructor can assign: the bundled ones and their uploads (GET /api/exercises). An upload
// can be deleted after a confirmation in the page, which says that sessions already started keep working.
import { Fragment } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { ExerciseSummary } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';

const deleteButtonId = (id: string) => `delete-exercise-${id}`;

export function ExercisesCard({ exercises, onDeleted }: { exercises: ExerciseSummary[] | null; onDeleted: (id: string) => void }) {
  const [confirming, setConfirming] = useState<ExerciseSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  // Where the focus goes once the page has changed: the question, a row's Delete button, or the heading.
  const [focusTarget, setFocusTarget] = useState<{ id: string } | null>(null);

  useLayoutEffect(() => {
    if (focusTarget === null) return;
    document.getElementById(focusTarget.id)?.focus();
  }, [focusTarget]);

  const ask = (exercise: ExerciseSummary) => {
    if (busy) return;
    setError(null);
    setDone('');
    setConfirming(exercise);
    setFocusTarget({ id: 'delete-exercise-question' });
  };

  const keep = () => {
    if (busy || confirming === null) return;
    const id = confirming.id;
    setConfirming(null);
    setError(null);
    setFocusTarget({ id: deleteButtonId(id) });
  };

  const remove = async () => {
    if (busy || confirming === null) return;
    const exercise = confirming;
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `/api/exercises/${encodeURIComponent(exercise.id)}`);
      setConfirming(null);
      onDeleted(exercise.id);
      setDone(`Deleted ${exercise.title}. Sessions already started from it keep working.`);
      setFocusTarget({ id: 'exercises-title' });
    } catch (e) {
      // Said beside the question (a 409 names the cohorts to unassign it from); the focus stays on it.
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const inFlight = busy ? 'true' : undefined;
  return (
    <section class="card" aria-labelledby="exercises-title">
      <h2 id="exercises-title" tabIndex={-1}>
        Exercises
      </h2>
      {exercises === null ? (
        <p role="status">Loading exercises…</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Exercises you can assign</caption>
            <thead>
              <tr>
                <th scope="col">Exercise</th>
                <th scope="col">Lesson</th>
                <th scope="col">Duration</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {exercises.map((e) => (
                <Fragment key={e.id}>
                  <tr>
                    <td>
                      <strong>{e.title}</strong>
                      <div class="mono small muted">{e.id}</div>
                    </td>
                    <td class="cell-lesson">
                      {e.lessonWords ?? e.lesson}
                      {e.lessonWords === null || e.lessonWords === undefined ? null : <div class="mono small muted">{e.lesson}</div>}
                    </td>
                    <td>{e.duration}</td>
                    <td class="exercise-source">
                      {e.uploaded ? (
                        <>
                          Your upload{' '}
                          <button
                            type="button"
                            class="link"
                            id={deleteButtonId(e.id)}
                            aria-label={`Delete ${e.title}`}
                            aria-expanded={confirming?.id === e.id ? 'true' : 'false'}
                            aria-disabled={inFlight}
                            onClick={() => ask(e)}
                          >
                            Delete
                          </button>
                        </>
                      ) : (
                        'Bundled'
                      )}
                    </td>
                  </tr>
                  {confirming?.id === e.id ? (
                    <tr class="delete-question-row">
                      <td colSpan={4}>
                        <div class="delete-question" role="group" aria-labelledby="delete-exercise-question">
                          <p id="delete-exercise-question" tabIndex={-1}>
                            <strong>Delete {e.title}?</strong> Trainees will no longer be offered it, and this cannot be undone. Sessions already started from it keep working, and their debriefs still
                            grade.
                          </p>
                          <div class="row">
                            <button type="button" class="danger" aria-disabled={inFlight} onClick={() => void remove()}>
                              {busy ? 'Deleting…' : 'Yes, delete it'}
                            </button>
                            <button type="button" class="secondary" aria-disabled={inFlight} onClick={keep}>
                              No, keep it
                            </button>
                          </div>
                          <ErrorNote error={error} />
                        </div>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" class="small">
        {done}
      </p>
    </section>
  );
}
