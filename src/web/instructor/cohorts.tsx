// The instructor's cohorts with their join codes, and a form to create one.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Cohort } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { JoinCode } from './join-code.js';

export function CohortsCard({ cohorts, onCreated }: { cohorts: Cohort[] | null; onCreated: (cohort: Cohort) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { cohort } = await api<{ cohort: Cohort }>('POST', '/api/cohorts', { name: name.trim() });
      setName('');
      onCreated(cohort);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="cohorts-title">
      <h2 id="cohorts-title">Cohorts</h2>
      {cohorts === null ? (
        <p role="status">Loading cohorts…</p>
      ) : cohorts.length === 0 ? (
        <p class="muted">No cohort yet. Create one for your class; trainees join it with its code.</p>
      ) : (
        <ul class="cohort-list">
          {cohorts.map((c) => (
            <li key={c.id} class="cohort-item">
              <a href={`#/cohort/${encodeURIComponent(c.id)}`} class="cohort-link">
                {c.name}
              </a>
              {c.joinCode === undefined ? null : <JoinCode code={c.joinCode} cohortName={c.name} named={false} />}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void create(e)} class="row cohort-create">
        <label class="grow">
          New cohort name
          <input name="cohort-name" required maxLength={80} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. Morning class, week 2" />
        </label>
        <button type="submit" disabled={busy || name.trim() === ''}>
          Create cohort
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
