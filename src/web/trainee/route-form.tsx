// Route: refer to an agency (listed, with its channel, or a derived id typed in), request legal process,
// or make the tip informational. Only the routes the machine accepts now are offered.
import { useState } from 'preact/hooks';
import type { SessionView } from '../api-types.js';
import { maxLengthOf } from './event-schema.js';
import type { ClientReference } from './types.js';

const OTHER = '__other__';

interface Props {
  view: SessionView;
  reference: ClientReference;
  busy: boolean;
  onSend: (event: { type: string; [key: string]: unknown }) => Promise<void>;
}

export function RouteForm({ view, reference, busy, onSend }: Props) {
  const [agency, setAgency] = useState('');
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const channelText = new Map(reference.channels.map((c) => [c.id, c.text]));
  const byChannel = reference.channels.map((c) => ({ channel: c, agencies: reference.jurisdictions.filter((j) => j.channel === c.id) })).filter((g) => g.agencies.length > 0);
  const refer = (e: Event) => {
    e.preventDefault();
    const id = agency === OTHER ? typed.trim().toUpperCase() : agency;
    if (id !== '') void onSend({ type: 'ROUTE.REFER', jurisdictionId: id });
  };
  const informational = (e: Event) => {
    e.preventDefault();
    const trimmed = reason.trim();
    void onSend({ type: 'ROUTE.INFORMATIONAL', ...(trimmed === '' ? {} : { reason: trimmed }) });
  };
  const chosen = reference.jurisdictions.find((j) => j.id === agency);
  return (
    <div class="route">
      {view.allowed.includes('ROUTE.REFER') ? (
        <form onSubmit={refer} aria-labelledby="refer-title" class="route-option">
          <h3 id="refer-title">Refer to an agency</h3>
          <label>
            Agency
            <select value={agency} required onChange={(e) => setAgency((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">Choose an agency…</option>
              {byChannel.map(({ channel, agencies }) => (
                <optgroup key={channel.id} label={channel.text}>
                  {agencies.map((j) => (
                    <option key={j.id} value={j.id}>
                      {j.name} ({j.id})
                    </option>
                  ))}
                </optgroup>
              ))}
              <option value={OTHER}>Another agency: type its id</option>
            </select>
          </label>
          {chosen === undefined ? null : (
            <p class="small muted">
              Channel: {channelText.get(chosen.channel) ?? chosen.channel} · {[chosen.region, chosen.country].filter((p) => p !== null).join(', ')}
            </p>
          )}
          {agency === OTHER ? (
            <label>
              Agency id <span class="muted">(such as {reference.derivedIdExamples.join(', ')})</span>
              <input value={typed} required autocomplete="off" onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
            </label>
          ) : null}
          <button type="submit" aria-disabled={busy ? 'true' : undefined}>
            Refer
          </button>
        </form>
      ) : null}
      <div class="route-others">
        {view.allowed.includes('ROUTE.LEGAL_PROCESS') ? (
          <div class="route-option">
            <h3 id="legal-title">Request legal process</h3>
            <p class="small muted">Preservation (2703(f)) and subscriber information, when no agency can act on the indicators yet.</p>
            <button type="button" class="secondary" aria-disabled={busy ? 'true' : undefined} aria-describedby="legal-title" onClick={() => void onSend({ type: 'ROUTE.LEGAL_PROCESS' })}>
              Request legal process
            </button>
          </div>
        ) : null}
        {view.allowed.includes('ROUTE.INFORMATIONAL') ? (
          <form onSubmit={informational} aria-labelledby="informational-title" class="route-option">
            <h3 id="informational-title">Make it informational</h3>
            <label>
              Reason <span class="muted">(optional)</span>
              <input maxLength={maxLengthOf(reference, 'ROUTE.INFORMATIONAL', 'reason')} value={reason} autocomplete="off" onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <button type="submit" class="secondary" aria-disabled={busy ? 'true' : undefined}>
              Make informational
            </button>
          </form>
        ) : null}
      </div>
    </div>
  );
}
