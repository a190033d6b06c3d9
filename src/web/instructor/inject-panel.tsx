// Send one of the exercise's injects (a contingency, or a scripted one early) to one session or to every
// open session of that exercise. Every open session counts (not only each trainee's newest), and the
// recipients stay a valid choice when the list changes under them (a trainee finishes, the exercise
// changes): a session no longer offered falls back to everyone. Each session is sent at its current
// sequence; a 409 (the trainee stepped meanwhile) reloads that row and tries once more.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { ExerciseSummary, InjectSummary, Progress, TraineeProgress } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { traineeLabel } from './format.js';

interface Outcome {
  key: string;
  trainee: string;
  ok: boolean;
  text: string;
}

/** One session a trainee has open, as the panel offers it. */
interface Recipient {
  name: string;
  progress: Progress & { exerciseId: string };
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

const whenText = (i: InjectSummary) => (i.contingency ? 'contingency' : i.at !== null ? `scripted at ${i.at}` : i.when !== null ? `scripted ${i.words.when ?? `on entering ${i.when.state}`}` : 'scripted');

/** "Send to 2 trainees", or "Send to 3 sessions of 2 trainees" when one has two open. */
function sendToAll(targets: readonly Recipient[]): string {
  const people = new Set(targets.map((t) => t.name)).size;
  const trainees = `${people} trainee${people === 1 ? '' : 's'}`;
  return targets.length === people ? `Send to ${trainees}` : `Send to ${targets.length} sessions of ${trainees}`;
}

/** The recipients' option labels: the trainee's name, with the session's mode when they have more than one open. */
function labelsOf(list: readonly Recipient[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const r of list) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return new Map(list.map((r) => [r.progress.sessionId, (count.get(r.name) ?? 0) > 1 ? `${r.name} (${r.progress.mode})` : r.name]));
}

export function InjectPanel({ rows, exercises, refresh }: { rows: TraineeProgress[]; exercises: ExerciseSummary[]; refresh: (sessionId: string) => void }) {
  const sessions: Recipient[] = rows.flatMap((r) => r.all.flatMap((p) => (p.exerciseId === null ? [] : [{ name: traineeLabel(r), progress: { ...p, exerciseId: p.exerciseId } }])));
  const open = sessions.filter((s) => !s.progress.closed);
  // Exercises with an open session come first; one whose sessions are all closed is still listed (injects are refused, and say so).
  const exerciseIds = [...new Set([...open.map((s) => s.progress.exerciseId).sort(), ...sessions.map((s) => s.progress.exerciseId).sort()])];
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
    let alive = true;
    api<{ injects: InjectSummary[] }>('GET', `/api/exercises/${encodeURIComponent(chosenExercise)}/injects`)
      .then((r) => {
        if (!alive) return;
        setInjects(r.injects);
        setInjectId((current) => (r.injects.some((i) => i.id === current) ? current : ((r.injects.find((i) => i.contingency) ?? r.injects[0])?.id ?? '')));
      })
      .catch((e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [chosenExercise]);

  if (exerciseIds.length === 0) {
    return (
      <section class="card" aria-labelledby="inject-title">
        <h2 id="inject-title">Send an inject</h2>
        <p class="muted">Once trainees have started an exercise, you can send them its injects here.</p>
      </section>
    );
  }

  const onExercise = sessions.filter((s) => s.progress.exerciseId === chosenExercise);
  const openOnExercise = onExercise.filter((s) => !s.progress.closed);
  const labels = labelsOf(openOnExercise);
  // A chosen session that is no longer offered (closed, or of another exercise) is not kept: everyone is.
  const chosenTarget = target !== 'all' && openOnExercise.some((s) => s.progress.sessionId === target) ? target : 'all';
  const targets = chosenTarget === 'all' ? openOnExercise : openOnExercise.filter((s) => s.progress.sessionId === chosenTarget);
  const title = (id: string) => exercises.find((e) => e.id === id)?.title ?? id;

  const send = async (event: Event) => {
    event.preventDefault();
    if (injectId === '' || targets.length === 0) return;
    setBusy(true);
    setError(null);
    setOutcomes([]);
    const results = await Promise.all(
      targets.map(async (r): Promise<Outcome> => {
        const who = labels.get(r.progress.sessionId) ?? r.name;
        try {
          const had = r.progress.injectsSent.includes(injectId);
          await sendInject(r.progress, injectId);
          refresh(r.progress.sessionId);
          return { key: r.progress.sessionId, trainee: who, ok: true, text: had ? 'already had it' : 'sent' };
        } catch (e) {
          return { key: r.progress.sessionId, trainee: who, ok: false, text: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
    setOutcomes(results);
    setBusy(false);
  };

  const buttonText = busy
    ? 'Sending…'
    : targets.length === 0
      ? 'Nobody is working on it'
      : chosenTarget === 'all'
        ? sendToAll(targets)
        : `Send to ${labels.get(chosenTarget) ?? 'the trainee'}`;

  return (
    <section class="card" aria-labelledby="inject-title">
      <h2 id="inject-title">Send an inject</h2>
      <form onSubmit={(e) => void send(e)}>
        <div class="row">
          <label class="grow">
            Exercise
            <select
              value={chosenExercise}
              onChange={(e) => {
                setExerciseId(e.currentTarget.value);
                // Another exercise's sessions are others: start from everyone on it.
                setTarget('all');
              }}
            >
              {exerciseIds.map((id) => (
                <option key={id} value={id}>
                  {title(id)}
                </option>
              ))}
            </select>
          </label>
          <label class="grow">
            Recipients
            <select value={chosenTarget} onChange={(e) => setTarget(e.currentTarget.value)}>
              <option value="all">Everyone still working on it ({openOnExercise.length})</option>
              {openOnExercise.map((s) => (
                <option key={s.progress.sessionId} value={s.progress.sessionId}>
                  {labels.get(s.progress.sessionId)}
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
                  <span class="mono">{i.id}</span> <span class={`badge${i.contingency ? ' caveat' : ''}`}>{whenText(i)}</span> <span class="badge">{i.words.kind}</span>
                  <span class="inject-message">{i.message}</span>
                  <DeliveredTo names={onExercise.filter((r) => r.progress.injectsSent.includes(i.id)).map((r) => r.name)} />
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={busy || injectId === '' || targets.length === 0}>
          {buttonText}
        </button>
      </form>
      <ErrorNote error={error} />
      <div role="status">
        {outcomes.length > 0 ? (
          <ul class="inject-outcomes">
            {outcomes.map((o) => (
              <li key={o.key} class={o.ok ? 'ok' : 'refused'}>
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
  const unique = [...new Set(names)];
  if (unique.length === 0) return null;
  const shown = unique.length <= 4 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more`;
  return <span class="inject-delivered small">Already delivered to {shown}</span>;
}
