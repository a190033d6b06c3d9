// The debrief: each decision (yours, expected, why, verdict) and a P/S/M/U rating per objective. Shown once
// the tip is closed and the instructor has released it (the view's debriefReleased). Until then the page
// says so and asks nothing: the release (or a withdrawal) comes as a notice on the session's stream, which
// reloads the view, and a reconnected stream reloads it too, so nothing is polled and no 403 is provoked.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Debrief, SessionView } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { decisionText, pointText, RATING_TEXT, spanText, tagText, VERDICT_TEXT } from './format.js';

type State = { kind: 'loading' } | { kind: 'ready'; debrief: Debrief } | { kind: 'failed'; error: unknown };

interface Props {
  sessionId: string;
  /** Counts the session's appends and notices, so the debrief is read again when the log grows. */
  appended: number;
  /**
   * The view's debriefReleased, for the session's trainee; left out by a reader who may read any debrief at
   * any time (the cohort's instructor).
   */
  released?: SessionView['debriefReleased'];
  /** Reloads the view (a "Check again" for a page whose stream is down). */
  checkAgain?: () => Promise<void>;
}

export function DebriefView({ sessionId, appended, released: releasedToTrainee, checkAgain }: Props) {
  const released = releasedToTrainee !== false;
  // The cohort's instructor reads it too (released left out): the decisions are then the trainee's, not theirs.
  const forTrainee = releasedToTrainee !== undefined;
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    if (!released) return;
    let current = true;
    api<{ debrief: Debrief }>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/debrief`).then(
      (reply) => current && setState({ kind: 'ready', debrief: reply.debrief }),
      (error: unknown) => current && setState({ kind: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [sessionId, released, appended]);

  if (!released) {
    const check = async () => {
      if (checking) return;
      setChecking(true);
      try {
        await checkAgain?.();
      } finally {
        setChecking(false);
      }
    };
    return (
      <section class="card" aria-labelledby="debrief-title">
        <h2 id="debrief-title">Debrief</h2>
        <div role="status" class="note">
          <p>Your instructor has not released the debrief yet.</p>
          <p class="small muted">It appears here by itself as soon as they do.</p>
        </div>
        {checkAgain === undefined ? null : (
          <button type="button" class="secondary" aria-disabled={checking ? 'true' : undefined} onClick={() => void check()}>
            Check again
          </button>
        )}
      </section>
    );
  }
  if (state.kind === 'loading') return <p role="status">Loading the debrief…</p>;
  if (state.kind === 'failed') return <ErrorNote error={state.error} />;
  const { debrief } = state;
  return (
    <section class="debrief" aria-labelledby="debrief-title">
      <div class="card">
        <div class="spread">
          <h2 id="debrief-title" tabIndex={-1}>
            Debrief
          </h2>
          <p class="overall">
            Overall <span class={`badge rating ${debrief.overall.rating}`}>{debrief.overall.rating}</span> <span class="muted">{RATING_TEXT[debrief.overall.rating]} · score {Math.round(debrief.overall.score * 100)}%</span>
          </p>
        </div>
        <p class="small muted">Simulated time taken: {spanText(debrief.clock.elapsedMs)}.</p>
      </div>
      <div class="card">
        <h3 id="decisions-title">{forTrainee ? 'Your decisions' : 'The trainee’s decisions'}</h3>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="decisions-title">
          <table aria-labelledby="decisions-title">
            <thead>
              <tr>
                <th scope="col">Decision</th>
                <th scope="col">{forTrainee ? 'Yours' : 'The trainee’s'}</th>
                <th scope="col">Expected</th>
                <th scope="col">Why</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {debrief.decisions.map((d) => (
                <tr key={`${d.point}-${d.occurrence}`}>
                  <th scope="row">{pointText(d.point, d.occurrence)}</th>
                  <td class="decided">{d.words?.yours ?? decisionText(d.yours)}</td>
                  <td class="decided">{d.words?.expected ?? decisionText(d.expected)}</td>
                  <td class="why">
                    {d.why.charAt(0).toUpperCase() + d.why.slice(1)}
                    {d.missedCaveats.length === 0 ? null : <span class="cell-note">Missed: {d.missedCaveats.map(tagText).join('; ')}</span>}
                    {d.extraCaveats.length === 0 ? null : <span class="cell-note">Not applicable: {d.extraCaveats.map(tagText).join('; ')}</span>}
                  </td>
                  <td>
                    <span class={`badge ${d.verdict}`}>{VERDICT_TEXT[d.verdict] ?? d.verdict}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <TimeAndHelp debrief={debrief} />
      <div class="card">
        <h3 id="objectives-title">Objectives</h3>
        <ul class="objectives" aria-labelledby="objectives-title">
          {debrief.objectives.map((o) => (
            <li key={o.objective}>
              <span class={`badge rating ${o.rating}`}>
                <span class="visually-hidden">Rating </span>
                {o.rating}
              </span>
              <span>
                <strong>{o.objective}</strong> <span class="muted">({o.capability})</span>: {o.description}
                <span class="cell-note">
                  {RATING_TEXT[o.rating]} · {o.decisions} decision{o.decisions === 1 ? '' : 's'} · score {Math.round(o.score * 100)}%
                </span>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

/** Deadlines, refused attempts, hints and undos: what the trainee did besides the decisions themselves. */
function TimeAndHelp({ debrief }: { debrief: Debrief }) {
  const timed = debrief.decisions.filter((d) => d.timing !== undefined);
  const refused = debrief.decisions.flatMap((d) => [...(d.refusedAttempts ?? []), ...(d.refused === undefined ? [] : [d.refused])].map((text) => ({ d, text })));
  const hinted = debrief.decisions.filter((d) => d.hinted === true);
  const undos = debrief.undos ?? 0;
  if (timed.length === 0 && refused.length === 0 && hinted.length === 0 && undos === 0) return null;
  return (
    <div class="card">
      <h3 id="help-title">Time and help</h3>
      <ul aria-labelledby="help-title">
        {timed.map((d) => (
          <li key={`t-${d.point}-${d.occurrence}`}>
            <strong>{pointText(d.point, d.occurrence)}</strong>: {d.late === undefined ? 'on time' : `late by ${spanText(d.late.byMs)}`}, decided after {spanText(d.timing?.usedMs ?? 0)} (due {d.timing?.deadline})
          </li>
        ))}
        {refused.map(({ d, text }, i) => (
          <li key={`r-${i}`}>
            <strong>{pointText(d.point, d.occurrence)}</strong>: {text.charAt(0).toUpperCase() + text.slice(1)}
          </li>
        ))}
        {hinted.length === 0 ? null : <li>Hints used for: {hinted.map((d) => pointText(d.point, d.occurrence)).join(', ')}</li>}
        {undos === 0 ? null : <li>Decisions taken back: {undos}</li>}
      </ul>
    </div>
  );
}
