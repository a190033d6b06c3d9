// Release the debriefs (trainees then see theirs once their tip is closed) and download the results.
import { useState } from 'preact/hooks';
import { api, apiText } from '../api.js';
import type { ExerciseSummary, Release } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { utc } from './format.js';

/** Hands a text to the browser as a file download (a Blob URL on a temporary link). */
function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may still be reading it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'cohort';

export function ReleaseExportCard({ cohortId, cohortName, exerciseIds, exercises }: { cohortId: string; cohortName: string; exerciseIds: string[]; exercises: ExerciseSummary[] }) {
  const [which, setWhich] = useState('');
  const [releases, setReleases] = useState<Release[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const base = `/api/cohorts/${encodeURIComponent(cohortId)}`;
  const title = (id: string | null) => (id === null ? 'every exercise' : (exercises.find((e) => e.id === id)?.title ?? id));

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
          <select value={which} onChange={(e) => setWhich(e.currentTarget.value)}>
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
        <ul class="small">
          {releases.map((r) => (
            <li key={`${r.exerciseId ?? '*'}`}>
              Released: {title(r.exerciseId)} <span class="muted">({utc(r.releasedAt)})</span>
            </li>
          ))}
        </ul>
      )}
      <p class="small muted">A trainee sees a released debrief once their tip is closed. You can read any debrief at any time.</p>
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
