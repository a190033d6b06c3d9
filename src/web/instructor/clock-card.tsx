// The cohort's assessment clock (DESIGN §10): how simulated time passes in its trainees' open assessments
// (each exercise's own pace, paced, or a factor), and pause / resume. Practice is always paced by the trainee.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorNote } from '../components/error-note.js';

interface CohortClock {
  pace: 'paced' | number | null;
  paused: boolean;
  since: string;
}

const PACES: { value: string; label: string }[] = [
  { value: 'own', label: "Each exercise's own pace" },
  { value: 'paced', label: 'Paced: time moves only when a trainee waits' },
  { value: '2', label: '2× (one real minute is two simulated minutes)' },
  { value: '6', label: '6× (an hour in ten minutes)' },
  { value: '12', label: '12×' },
  { value: '60', label: '60× (a day in 24 minutes)' },
  { value: '360', label: '360× (a day in 4 minutes)' },
];

const valueOf = (pace: CohortClock['pace']): string => (pace === null ? 'own' : String(pace));
const paceOfValue = (value: string): CohortClock['pace'] => (value === 'own' ? null : value === 'paced' ? 'paced' : Number(value));

export function ClockCard({ cohortId }: { cohortId: string }) {
  const [clock, setClock] = useState<CohortClock | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const path = `/api/cohorts/${encodeURIComponent(cohortId)}/clock`;

  useEffect(() => {
    api<{ clock: CohortClock }>('GET', path)
      .then((r) => setClock(r.clock))
      .catch(setError);
  }, [cohortId]);

  const change = async (body: Partial<Pick<CohortClock, 'pace' | 'paused'>>, done: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const reply = await api<{ clock: CohortClock }>('PUT', path, body);
      setClock(reply.clock);
      setNote(done);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="clock-card-title">
      <h2 id="clock-card-title">Assessment clock</h2>
      <p class="muted small">How simulated time passes in this cohort's open assessments. A paced clock moves only when a trainee waits; a factor keeps it running while the page is open, so deadlines press.</p>
      <ErrorNote error={error} />
      {clock === null ? (
        <p class="muted small">Loading…</p>
      ) : (
        <>
          <label for="clock-pace">Pace</label>
          <select id="clock-pace" value={valueOf(clock.pace)} aria-disabled={busy ? 'true' : undefined} onChange={(e) => void change({ pace: paceOfValue((e.target as HTMLSelectElement).value) }, 'Pace changed; time already passed was counted at the old pace.')}>
            {PACES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <div class="row">
            <button type="button" class="secondary" aria-disabled={busy ? 'true' : undefined} onClick={() => void change({ paused: !clock.paused }, clock.paused ? 'The clock runs again.' : 'The clock is paused: no simulated time passes until you resume it.')}>
              {clock.paused ? 'Resume the clock' : 'Pause the clock'}
            </button>
            <span class="muted small">{clock.paused ? 'Paused' : 'Running'}</span>
          </div>
        </>
      )}
      <p class="small" role="status">
        {note}
      </p>
    </section>
  );
}
