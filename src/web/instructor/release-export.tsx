// Release the debriefs (trainees then see theirs once their tip is closed), withdraw a release (they are
// hidden from trainees again), and download the results.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { api, ApiError, apiText } from '../api.js';
import type { ExerciseSummary, Release } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { downloadText as download, fileSafe as safeName } from './download.js';
import { utc } from './format.js';


/** A release's key: its exercise, or * for the release of every exercise (as the server stores it). */
const keyOf = (r: Release) => r.exerciseId ?? '*';
const withdrawButtonId = (r: Release) => `withdraw-release-${keyOf(r)}`;
const RELEASE_CHOICE_ID = 'release-choice';

export function ReleaseExportCard({ cohortId, cohortName, exerciseIds, exercises }: { cohortId: string; cohortName: string; exerciseIds: string[]; exercises: ExerciseSummary[] }) {
  const [which, setWhich] = useState('');
  const [releases, setReleases] = useState<Release[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  // The release being withdrawn (its key), and where the focus goes once its line is gone.
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const [focusTarget, setFocusTarget] = useState<{ id: string } | null>(null);
  const base = `/api/cohorts/${encodeURIComponent(cohortId)}`;
  const title = (id: string | null) => (id === null ? 'every exercise' : (exercises.find((e) => e.id === id)?.title ?? id));

  /** What withdrawing `r` changed for trainees, given the releases that remain. */
  const withdrawnNote = (r: Release, rest: readonly Release[]): string => {
    if (r.exerciseId === null) {
      const kept = rest.map((x) => title(x.exerciseId));
      return kept.length === 0 ? 'Withdrew the release of every exercise: trainees no longer see their debriefs until you release them again.' : `Withdrew the release of every exercise; the debriefs of ${kept.join(', ')} stay released.`;
    }
    const name = title(r.exerciseId);
    return rest.some((x) => x.exerciseId === null)
      ? `Withdrew the release of ${name}; its debriefs stay visible while every exercise is released.`
      : `Withdrew the release of ${name}: trainees no longer see its debriefs until you release them again.`;
  };

  const loadReleases = () =>
    api<{ releases: Release[] }>('GET', `${base}/releases`)
      .then((r) => setReleases(r.releases))
      .catch(setError);
  useEffect(() => {
    void loadReleases();
  }, [cohortId]);

  useLayoutEffect(() => {
    if (focusTarget !== null) document.getElementById(focusTarget.id)?.focus();
  }, [focusTarget]);

  const release = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api<{ release: Release; releases: Release[] }>('POST', `${base}/release`, which === '' ? {} : { exerciseId: which });
      setReleases(reply.releases);
      setNote(`Debriefs released for ${title(reply.release.exerciseId)}.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (r: Release) => {
    if (withdrawing !== null) return;
    setWithdrawing(keyOf(r));
    setError(null);
    setNote('');
    try {
      await api('DELETE', `${base}/release${r.exerciseId === null ? '' : `?exerciseId=${encodeURIComponent(r.exerciseId)}`}`);
      const list = releases ?? [];
      const at = list.findIndex((x) => keyOf(x) === keyOf(r));
      const rest = list.filter((x) => keyOf(x) !== keyOf(r));
      setReleases(rest);
      setNote(withdrawnNote(r, rest));
      // The focus goes to the next release's Withdraw button, else the previous one's, else the release form.
      const next = rest[at] ?? rest[at - 1];
      setFocusTarget({ id: next === undefined ? RELEASE_CHOICE_ID : withdrawButtonId(next) });
    } catch (e) {
      setError(e);
      // Already withdrawn elsewhere (another tab): show the releases as they are now.
      if (e instanceof ApiError && e.status === 404) void loadReleases();
    } finally {
      setWithdrawing(null);
    }
  };

  const exportAs = async (format: 'csv' | 'json') => {
    setError(null);
    try {
      const text = await apiText(`${base}/results.${format}`);
      download(text, `tipflow-results-${safeName(cohortName)}.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
      setNote(`Results downloaded as ${format.toUpperCase()}.`);
    } catch (e) {
      setError(e);
    }
  };

  const choices = [...new Set([...exerciseIds, ...exercises.map((e) => e.id)])];
  return (
    <section class="card" aria-labelledby="release-title">
      <h2 id="release-title">Debriefs and results</h2>
      <form class="row" onSubmit={(e) => void release(e)}>
        <label class="grow">
          Release the debriefs of
          <select id={RELEASE_CHOICE_ID} value={which} onChange={(e) => setWhich(e.currentTarget.value)}>
            <option value="">every exercise</option>
            {choices.map((id) => (
              <option key={id} value={id}>
                {title(id)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          Release debriefs
        </button>
      </form>
      {releases === null || releases.length === 0 ? null : (
        <ul class="small releases">
          {releases.map((r) => (
            <li key={keyOf(r)}>
              Released: {title(r.exerciseId)} <span class="muted">({utc(r.releasedAt)})</span>{' '}
              <button
                type="button"
                class="link"
                id={withdrawButtonId(r)}
                aria-label={`Withdraw the release of ${title(r.exerciseId)}`}
                aria-disabled={withdrawing === null ? undefined : 'true'}
                onClick={() => void withdraw(r)}
              >
                {withdrawing === keyOf(r) ? 'Withdrawing…' : 'Withdraw'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="small muted">A trainee sees a released debrief once their tip is closed; withdrawing a release hides it from them again. You can read any debrief at any time.</p>
      <div class="row">
        <button type="button" class="secondary" onClick={() => void exportAs('csv')}>
          Download results (CSV)
        </button>
        <button type="button" class="secondary" onClick={() => void exportAs('json')}>
          Download results (JSON)
        </button>
      </div>
      <p role="status" class="small">
        {note}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
