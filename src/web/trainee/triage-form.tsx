// Triage: a priority and a track (and a reason, which the server asks for when a P1 is lowered).
import { useState } from 'preact/hooks';
import { maxLengthOf } from './event-schema.js';
import type { ClientReference } from './types.js';

const PRIORITY_TEXT: Record<string, string> = {
  P1: 'exigent: a child may be at risk now (triage within 1 h)',
  P2: 'urgent, not exigent (triage within 24 h)',
  P3: 'routine (triage within 72 h)',
};
const TRACK_TEXT: Record<string, string> = {
  referral: 'route it to an agency (or legal process) after geolocation',
  informational: 'keep it for information: no referral',
};

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
                <strong>{p}</strong> <span class="muted">{PRIORITY_TEXT[p] ?? ''}</span>
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
                <strong>{t}</strong> <span class="muted">{TRACK_TEXT[t] ?? ''}</span>
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
