// Send one of the exercise's injects (a contingency, or a scripted one early) to one trainee or to every
// trainee on that exercise. Each session is sent at its current sequence; a 409 (the trainee stepped
// meanwhile) reloads that row and tries once more.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { ExerciseSummary, InjectSummary, Progress, TraineeProgress } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';

interface Outcome {
  trainee: string;
  ok: boolean;
  text: string;
}

async function sendInject(progress: Progress, injectId: string): Promise<void> {
  const path = `/api/sessions/${encodeURIComponent(progress.sessionId)}/injects`;
  try {
    await api('POST', path, { injectId, expectedSeq: progress.lastSeq });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 409)) throw e;
    const fresh = await api<{ progress: Progress }>('GET', `/api/sessions/${encodeURIComponent(progress.sessionId)}/progress`);
    await api('POST', path, { injectId, expectedSeq: fresh.progress.lastSeq });
  }
}

const whenText = (i: InjectSummary) => (i.contingency ? 'contingency' : i.at !== null ? `scripted at ${i.at}` : i.when !== null ? `scripted on entering ${i.when.state}` : 'scripted');

export function InjectPanel({ rows, exercises, refresh }: { rows: TraineeProgress[]; exercises: ExerciseSummary[]; refresh: (sessionId: string) => void }) {
  const running = rows.filter((r): r is TraineeProgress & { progress: Progress } => r.progress !== null && r.progress.exerciseId !== null);
  const exerciseIds = [...new Set(running.map((r) => r.progress.exerciseId as string))].sort();
  const [exerciseId, setExerciseId] = useState<string>('');
  const chosenExercise = exerciseIds.includes(exerciseId) ? exerciseId : (exerciseIds[0] ?? '');
  const [injects, setInjects] = useState<InjectSummary[] | null>(null);
  const [injectId, setInjectId] = useState('');
  const [target, setTarget] = useState('all');
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setInjects(null);
    if (chosenExercise === '') return;
    api<{ injects: InjectSummary[] }>('GET', `/api/exercises/${encodeURIComponent(chosenExercise)}/injects`)
      .then((r) => {
        setInjects(r.injects);
        setInjectId((r.injects.find((i) => i.contingency) ?? r.injects[0])?.id ?? '');
      })
      .catch(setError);
  }, [chosenExercise]);

  if (exerciseIds.length === 0) {
    return (
      <section class="card" aria-labelledby="inject-title">
        <h2 id="inject-title">Send an inject</h2>
        <p class="muted">Once trainees have started an exercise, you can send them its injects here.</p>
      </section>
    );
  }

  const onExercise = running.filter((r) => r.progress.exerciseId === chosenExercise);
  const targets = target === 'all' ? onExercise.filter((r) => !r.progress.closed) : onExercise.filter((r) => r.id === target);
  const title = (id: string) => exercises.find((e) => e.id === id)?.title ?? id;

  const send = async (event: Event) => {
    event.preventDefault();
    if (injectId === '' || targets.length === 0) return;
    setBusy(true);
    setError(null);
    setOutcomes([]);
    const results = await Promise.all(
      targets.map(async (r): Promise<Outcome> => {
        try {
          const had = r.progress.injectsSent.includes(injectId);
          await sendInject(r.progress, injectId);
          refresh(r.progress.sessionId);
          return { trainee: r.name, ok: true, text: had ? 'already had it' : 'sent' };
        } catch (e) {
          return { trainee: r.name, ok: false, text: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
    setOutcomes(results);
    setBusy(false);
  };

  return (
    <section class="card" aria-labelledby="inject-title">
      <h2 id="inject-title">Send an inject</h2>
      <form onSubmit={(e) => void send(e)}>
        <div class="row">
          <label class="grow">
            Exercise
            <select value={chosenExercise} onChange={(e) => setExerciseId(e.currentTarget.value)}>
              {exerciseIds.map((id) => (
                <option key={id} value={id}>
                  {title(id)}
                </option>
              ))}
            </select>
          </label>
          <label class="grow">
            Recipients
            <select value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              <option value="all">Everyone still working on it ({onExercise.filter((r) => !r.progress.closed).length})</option>
              {onExercise.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {injects === null ? (
          <p role="status">Loading injects…</p>
        ) : injects.length === 0 ? (
          <p class="muted">This exercise has no injects.</p>
        ) : (
          <fieldset>
            <legend>Inject</legend>
            {injects.map((i) => (
              <label key={i.id} class="choice inject-choice">
                <input type="radio" name="inject" value={i.id} checked={injectId === i.id} onChange={() => setInjectId(i.id)} />
                <span>
                  <span class="mono">{i.id}</span> <span class={`badge${i.contingency ? ' caveat' : ''}`}>{whenText(i)}</span> <span class="badge">{i.kind}</span>
                  <span class="inject-message">{i.message}</span>
                  <DeliveredTo names={onExercise.filter((r) => r.progress.injectsSent.includes(i.id)).map((r) => r.name)} />
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={busy || injectId === '' || targets.length === 0}>
          {busy ? 'Sending…' : `Send to ${target === 'all' ? `${targets.length} trainee${targets.length === 1 ? '' : 's'}` : (targets[0]?.name ?? 'nobody')}`}
        </button>
      </form>
      <ErrorNote error={error} />
      <div role="status">
        {outcomes.length > 0 ? (
          <ul class="inject-outcomes">
            {outcomes.map((o) => (
              <li key={o.trainee} class={o.ok ? 'ok' : 'refused'}>
                <strong>{o.trainee}</strong>: {o.ok ? o.text : `refused: ${o.text}`}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}

function DeliveredTo({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  const shown = names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return <span class="inject-delivered small">Already delivered to {shown}</span>;
}
