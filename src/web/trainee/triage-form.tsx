// Triage: a priority and a track (and a reason, which the server asks for when a P1 is lowered).
import { useState } from 'preact/hooks';
import { maxLengthOf } from './event-schema.js';
import type { ClientReference } from './types.js';

/** "exigent: a child may be at risk now (triage within 1 h)": the server's words and the timer table's deadline. */
function priorityText(reference: ClientReference, p: string): string {
  const sla = reference.triageSla.byPriority[p];
  return `${reference.words.priorities[p] ?? ''}${sla === undefined ? '' : ` (triage within ${sla})`}`;
}

export function TriageForm({ reference, busy, onSend, assessment = false }: { reference: ClientReference; busy: boolean; onSend: (event: { type: string; [key: string]: unknown }) => Promise<void>; assessment?: boolean }) {
  const [reason, setReason] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const trimmed = reason.trim();
    void onSend({ type: 'TRIAGE.ASSIGN', priority: String(form.get('priority')), track: String(form.get('track')), ...(trimmed === '' ? {} : { reason: trimmed }) });
  };
  return (
    <form onSubmit={submit} aria-label="Triage">
      <div class="decision-fields">
        <fieldset>
          <legend>Priority</legend>
          {reference.priorities.map((p) => (
            <label key={p} class="choice">
              <input type="radio" name="priority" value={p} required />
              <span>
                <strong>{p}</strong> <span class="muted">{priorityText(reference, p)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Track</legend>
          {reference.tracks.map((t) => (
            <label key={t} class="choice">
              <input type="radio" name="track" value={t} required />
              <span>
                <strong>{t}</strong> <span class="muted">{reference.words.tracks[t] ?? ''}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </div>
      <label>
        Reason <span class="muted">{assessment ? '(needed for any priority below P1 in an assessment)' : '(optional; needed to lower a P1)'}</span>
        <input name="reason" maxLength={maxLengthOf(reference, 'TRIAGE.ASSIGN', 'reason')} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} autocomplete="off" />
      </label>
      <button type="submit" aria-disabled={busy ? 'true' : undefined}>
        Assign priority and track
      </button>
    </form>
  );
}
