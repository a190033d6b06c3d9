// The after-action report of a cohort (issue 18): download it as HTML (prints to PDF) or Markdown, and
// complete its improvement plan: corrective action, capability, owner, due date. The server drafts rows
// from the areas for improvement; the instructor adds them, edits, removes, and saves the plan, which the
// report then includes.
import { useEffect, useState } from 'preact/hooks';
import { api, apiText } from '../api.js';
import { ErrorNote } from '../components/error-note.js';
import { downloadText, fileSafe } from './download.js';

/** A stored row as GET/PUT /api/cohorts/:id/improvement-plan answer it (docs/server.md). */
interface PlanRow {
  id: string;
  action: string;
  capability: string;
  owner: string;
  due: string | null;
  createdAt: string;
  updatedAt: string;
}

interface PlanReply {
  rows: PlanRow[];
  suggested?: { action: string; capability: string }[];
}

/** A row being edited: `key` tells rows apart before the server gave them an id. */
interface Draft {
  key: number;
  id?: string;
  action: string;
  capability: string;
  owner: string;
  due: string;
}

let nextKey = 1;
const draftOf = (r: { id?: string; action: string; capability: string; owner?: string; due?: string | null }): Draft => ({ key: nextKey++, ...(r.id === undefined ? {} : { id: r.id }), action: r.action, capability: r.capability, owner: r.owner ?? '', due: r.due ?? '' });

export function ImprovementPlanCard({ cohortId, cohortName }: { cohortId: string; cohortName: string }) {
  const base = `/api/cohorts/${encodeURIComponent(cohortId)}`;
  const [rows, setRows] = useState<Draft[] | null>(null);
  const [suggested, setSuggested] = useState<{ action: string; capability: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    api<PlanReply>('GET', `${base}/improvement-plan`)
      .then((reply) => {
        if (stale) return;
        setRows(reply.rows.map(draftOf));
        setSuggested(reply.suggested ?? []);
      })
      .catch((e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [base]);

  const change = (key: number, field: 'action' | 'capability' | 'owner' | 'due', value: string) => setRows((current) => (current ?? []).map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const remove = (key: number) => setRows((current) => (current ?? []).filter((r) => r.key !== key));
  const add = (row: { action: string; capability: string }) => {
    setRows((current) => [...(current ?? []), draftOf(row)]);
    setSuggested((current) => current.filter((s) => s.action !== row.action));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNote('');
    setBusy(true);
    try {
      const body = { rows: (rows ?? []).map((r) => ({ ...(r.id === undefined ? {} : { id: r.id }), action: r.action, capability: r.capability, owner: r.owner, due: r.due })) };
      const reply = await api<PlanReply>('PUT', `${base}/improvement-plan`, body);
      setRows(reply.rows.map(draftOf));
      setNote(`Improvement plan saved (${reply.rows.length} row${reply.rows.length === 1 ? '' : 's'}).`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const downloadAar = async (format: 'html' | 'md') => {
    setError(null);
    try {
      const text = await apiText(`${base}/${format === 'html' ? 'aar' : 'aar.md'}`);
      downloadText(text, `aar-${fileSafe(cohortName)}.${format}`, format === 'html' ? 'text/html' : 'text/markdown');
      setNote(`After-action report downloaded as ${format === 'html' ? 'HTML (open it and print to PDF)' : 'Markdown'}.`);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section class="card improvement-plan" aria-labelledby="aar-title">
      <h2 id="aar-title">After-action report</h2>
      <p class="small muted">A draft written from every session of this cohort: ratings per objective with the evidence, strengths, areas for improvement, a timeline and an improvement plan.</p>
      <p class="row">
        <button type="button" class="secondary" onClick={() => void downloadAar('html')}>
          Download AAR (HTML)
        </button>
        <button type="button" class="secondary" onClick={() => void downloadAar('md')}>
          Download AAR (Markdown)
        </button>
      </p>
      <h3>Improvement plan</h3>
      {rows === null ? (
        error === null ? <p class="muted">Loading…</p> : null
      ) : (
        <form onSubmit={(e) => void save(e)}>
          {rows.length === 0 ? <p class="small muted">No corrective action yet: add a suggested one or a row of your own.</p> : null}
          {rows.map((r, i) => (
            <fieldset key={r.key} class="plan-row">
              <legend>Corrective action {i + 1}</legend>
              <label>
                Corrective action
                <input maxLength={300} required value={r.action} onInput={(e) => change(r.key, 'action', e.currentTarget.value)} />
              </label>
              <div class="row">
                <label class="grow">
                  Capability
                  <input maxLength={80} value={r.capability} onInput={(e) => change(r.key, 'capability', e.currentTarget.value)} />
                </label>
                <label class="grow">
                  Owner
                  <input maxLength={80} value={r.owner} onInput={(e) => change(r.key, 'owner', e.currentTarget.value)} />
                </label>
                <label>
                  Due date
                  <input type="date" value={r.due} onInput={(e) => change(r.key, 'due', e.currentTarget.value)} />
                </label>
              </div>
              <button type="button" class="link" onClick={() => remove(r.key)}>
                Remove corrective action {i + 1}
              </button>
            </fieldset>
          ))}
          <p class="row">
            <button type="button" class="secondary" onClick={() => add({ action: '', capability: '' })}>
              Add a row
            </button>
            <button type="submit" disabled={busy}>
              Save plan
            </button>
          </p>
          {suggested.length === 0 ? null : (
            <>
              <h4 class="small">Suggested from the areas for improvement</h4>
              <ul class="small suggestions">
                {suggested.map((s) => (
                  <li key={s.action}>
                    {s.action} <span class="muted">({s.capability})</span>{' '}
                    <button type="button" class="link" onClick={() => add(s)} aria-label={`Add to the plan: ${s.action}`}>
                      Add
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </form>
      )}
      <ErrorNote error={error} />
      {note === '' ? null : (
        <p class="note ok" role="status">
          {note}
        </p>
      )}
    </section>
  );
}
