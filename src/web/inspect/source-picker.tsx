// What to inspect: the machine, then a free simulation of a sample tip (a sandbox on the server) or a
// trainee's session from one of the instructor's cohorts (read only, followed live).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Cohort, SessionSummary } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import type { Inspected, SampleTip } from './types.js';

export interface TraineeSession {
  cohort: string;
  trainee: string;
  session: SessionSummary;
}

const sessionLabel = (s: TraineeSession): string =>
  `${s.trainee} · ${s.session.exerciseId ?? 'tip'} · ${s.session.mode} · ${s.session.closed ? `closed (${s.session.outcome ?? s.session.state})` : s.session.phase} · ${s.session.lastSeq + 1} record${s.session.lastSeq === 0 ? '' : 's'}`;

/** Every session of the instructor's cohorts, grouped by cohort. */
export async function loadTraineeSessions(): Promise<TraineeSession[]> {
  const { cohorts } = await api<{ cohorts: Cohort[] }>('GET', '/api/cohorts');
  const lists = await Promise.all(
    cohorts.map(async (cohort) => {
      const reply = await api<{ trainees: { id: string; name: string; sessions: SessionSummary[] }[] }>('GET', `/api/cohorts/${encodeURIComponent(cohort.id)}/sessions`);
      return reply.trainees.flatMap((t) => t.sessions.map((session) => ({ cohort: cohort.name, trainee: t.name, session })));
    }),
  );
  return lists.flat();
}

export function SourcePicker({ onSandbox, onSession, sessions, setSessions }: { onSandbox: (inspected: Inspected, tip: string) => void; onSession: (id: string) => void; sessions: TraineeSession[] | null; setSessions: (s: TraineeSession[]) => void }) {
  const [tips, setTips] = useState<SampleTip[] | null>(null);
  const [tip, setTip] = useState('webmail-houston');
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reloadSessions = useCallback(async () => {
    try {
      const list = await loadTraineeSessions();
      setSessions(list);
      setChosen((current) => (list.some((s) => s.session.id === current) ? current : (list[0]?.session.id ?? '')));
    } catch (e) {
      setError(e);
    }
  }, [setSessions]);

  useEffect(() => {
    api<{ tips: SampleTip[] }>('GET', '/api/inspect/tips')
      .then((reply) => {
        setTips(reply.tips);
        setTip((current) => (reply.tips.some((t) => t.name === current) ? current : (reply.tips[0]?.name ?? '')));
      })
      .catch(setError);
    void reloadSessions();
  }, [reloadSessions]);

  const start = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api<{ inspected: Inspected }>('POST', '/api/inspect/sandboxes', { tip });
      onSandbox(reply.inspected, tip);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const cohorts = [...new Set((sessions ?? []).map((s) => s.cohort))];
  return (
    <div class="source-picker">
      <label class="machine-pick">
        Machine
        <select value="routing">
          <option value="routing">routing (the tip statechart)</option>
        </select>
      </label>
      <form class="source-form" onSubmit={(e) => void start(e)}>
        <label>
          Sample tip
          <select value={tip} onChange={(e) => setTip(e.currentTarget.value)} disabled={tips === null}>
            {(tips ?? []).map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({t.tipId})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || tips === null}>
          Start free simulation
        </button>
      </form>
      <form
        class="source-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen !== '') onSession(chosen);
        }}
      >
        <label>
          Trainee session (read only, live)
          <select value={chosen} onChange={(e) => setChosen(e.currentTarget.value)} disabled={sessions === null || sessions.length === 0}>
            {sessions !== null && sessions.length === 0 ? <option value="">No trainee has started a session yet</option> : null}
            {cohorts.map((cohort) => (
              <optgroup key={cohort} label={cohort}>
                {(sessions ?? [])
                  .filter((s) => s.cohort === cohort)
                  .map((s) => (
                    <option key={s.session.id} value={s.session.id}>
                      {sessionLabel(s)}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <div class="row">
          <button type="submit" disabled={chosen === ''}>
            Inspect session
          </button>
          <button type="button" class="secondary" onClick={() => void reloadSessions()}>
            Refresh list
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}
