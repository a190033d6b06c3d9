// A trainee's home: their classes, the exercises assigned to them (start in practice or assessment mode),
// and their sessions so far.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { ExerciseSummary, Me, SessionSummary, SessionView } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { clockText } from '../components/time-text.js';
import { go } from '../route.js';
import { stepLabel, stepOf, wordFor } from './format.js';
import { loadExercises, loadReference } from './reference.js';
import type { ClientReference } from './types.js';

const offers = (e: ExerciseSummary, mode: 'practice' | 'assessment'): boolean => e.modes === undefined || e.modes.includes(mode);
const attemptsLeft = (e: ExerciseSummary): boolean => e.attempts == null || e.attempts.used < e.attempts.allowed;

/** What the trainee may do with an exercise: its modes, and the assessment attempts left. */
function modesText(e: ExerciseSummary): string {
  const practice = offers(e, 'practice');
  const assessment = offers(e, 'assessment');
  const modes = practice && assessment ? 'Practice or assessment.' : practice ? 'Practice only.' : 'Assessment only: no practice, no hints.';
  if (!assessment || e.attempts == null) return modes;
  const { allowed, used } = e.attempts;
  if (used >= allowed) return `${modes} You have used ${allowed === 1 ? 'your assessment attempt' : `all ${allowed} assessment attempts`}: a retake needs your instructor.`;
  return `${modes} Assessment attempts: ${used} of ${allowed} used.`;
}


export function TraineeHome({ me }: { me: Me }) {
  const [exercises, setExercises] = useState<ExerciseSummary[] | null>(null);
  const [rows, setRows] = useState<SessionSummary[] | null>(null);
  const [reference, setReference] = useState<ClientReference | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Your exercises · tipflow';
    // Coming back from a session page, the link that had focus is gone: start again at the heading.
    if (document.activeElement === null || document.activeElement === document.body) document.getElementById('home-title')?.focus();
    loadExercises(true).then(setExercises, setError);
    loadReference().then(setReference, setError);
    // Each line says where its tip is: one request for the whole list.
    api<{ sessions: SessionSummary[] }>('GET', '/api/sessions')
      .then(({ sessions }) => setRows([...sessions].sort((a, b) => b.createdAt.localeCompare(a.createdAt))))
      .catch(setError);
  }, []);

  const start = async (exerciseId: string, mode: 'practice' | 'assessment') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const reply = await api<{ view: SessionView }>('POST', '/api/sessions', { exerciseId, mode });
      go('session', reply.view.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // When a session was started is a wall-clock time, written like every time on screen (clockText, UTC).
  const title = (id: string | null) => exercises?.find((e) => e.id === id)?.title ?? id ?? 'Exercise';
  return (
    <main class="page trainee-home" id="main">
      <h1 id="home-title" tabIndex={-1}>
        Your exercises
      </h1>
      <p class="lede">
        {me.cohorts.length === 0 ? 'You are not in a class yet.' : <>Class: {me.cohorts.map((c) => c.name).join(', ')}.</>} Each exercise is one synthetic, contentless tip to route. Practice mode has hints, undo and a
        clock you can move on; assessment mode is graded as you go.
      </p>
      <ErrorNote error={error} />
      <section aria-labelledby="assigned-title">
        <h2 id="assigned-title">Assigned to you</h2>
        {exercises === null ? (
          <p role="status">Loading…</p>
        ) : exercises.length === 0 ? (
          <p>No exercise is assigned to your class yet.</p>
        ) : (
          <ul class="exercise-list" aria-labelledby="assigned-title">
            {exercises.map((e) => (
              <li key={e.id} class="card exercise">
                <h3 id={`ex-${e.id}`}>{e.title}</h3>
                <p class="small muted">About {e.duration}</p>
                {e.brief === null ? null : <p class="summary">{e.brief}</p>}
                <p class="small" id={`ex-${e.id}-modes`}>
                  {modesText(e)}
                </p>
                <div class="row">
                  {offers(e, 'practice') ? (
                    <button type="button" aria-disabled={busy ? 'true' : undefined} aria-describedby={`ex-${e.id}`} onClick={() => void start(e.id, 'practice')}>
                      Start practice
                    </button>
                  ) : null}
                  {offers(e, 'assessment') && attemptsLeft(e) ? (
                    <button type="button" class="secondary" aria-disabled={busy ? 'true' : undefined} aria-describedby={`ex-${e.id} ex-${e.id}-modes`} onClick={() => void start(e.id, 'assessment')}>
                      Start assessment
                    </button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="sessions-section" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Your sessions</h2>
        {rows === null || reference === null ? (
          <p role="status">Loading…</p>
        ) : rows.length === 0 ? (
          <p class="muted">None yet: start an exercise above.</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="sessions-title">
            <table class="stacking">
              <caption class="visually-hidden">Your sessions, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Exercise</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Started</th>
                  <th scope="col">Where the tip is</th>
                  <th scope="col">
                    <span class="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((summary) => (
                  <tr key={summary.id}>
                    <th scope="row">{title(summary.exerciseId)}</th>
                    <td data-label="Mode">{summary.mode === 'assessment' ? 'Assessment' : 'Practice'}</td>
                    <td data-label="Started">{clockText(summary.createdAt)}</td>
                    <td data-label="Where the tip is">{summary.closed ? (summary.outcome === null ? `Closed: ${wordFor(reference.words.states, summary.state)}` : wordFor(reference.words.outcomes, summary.outcome)) : stepLabel(stepOf(summary.phase), summary.phase, reference.words)}</td>
                    <td>
                      <a href={`#/session/${encodeURIComponent(summary.id)}`} aria-label={`Open ${title(summary.exerciseId)} (${summary.mode}, started ${clockText(summary.createdAt)})`}>
                        Open
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
