// Geolocation: one checklist of caveat codes per indicator (and one for the tip as a whole). Each tick sends
// GEO.TAG, each untick GEO.UNTAG; the ticks shown are the tags the server holds (view.tags).
import { useState } from 'preact/hooks';
import { hasTag } from '../../domain/routing/tags.js';
import type { SessionView } from '../api-types.js';
import { reportedText, rowWhat } from './indicator-text.js';
import type { ClientReference } from './types.js';

// The codes offered are the view's (each row's caveatChoices, the tip's tipCaveatChoices): the same lists,
// in the same order, as `tipflow play` offers. The reference gives each code's meaning.

type Caveat = Pick<ClientReference['caveats'][number], 'code' | 'meaning'>;

interface Props {
  view: SessionView;
  reference: ClientReference;
  busy: boolean;
  onSend: (event: { type: string; [key: string]: unknown }) => Promise<void>;
}

export function CaveatTagging({ view, reference, busy, onSend }: Props) {
  const rows = view.indicators;
  const byCode = new Map(reference.caveats.map((c) => [c.code, c]));
  const described = (codes: readonly string[]): Caveat[] => codes.map((code) => byCode.get(code) ?? { code, meaning: '' });
  const tipLevel = described(view.tipCaveatChoices);
  // A tick shows at once while its event is on the way; the server's tags decide once it answers.
  const [pending, setPending] = useState<{ key: string; on: boolean } | null>(null);
  const keyOf = (indicatorId: string | null, code: string) => `${indicatorId ?? 'tip'}|${code}`;
  const tagged = (indicatorId: string | null, code: string) =>
    pending?.key === keyOf(indicatorId, code) ? pending.on : hasTag(view.tags, { indicatorId, caveat: code });
  const toggle = async (indicatorId: string | null, code: string, on: boolean) => {
    setPending({ key: keyOf(indicatorId, code), on });
    try {
      await onSend({ type: on ? 'GEO.TAG' : 'GEO.UNTAG', indicatorId, caveat: code });
    } finally {
      setPending(null);
    }
  };
  const list = (indicatorId: string | null, caveats: readonly Caveat[], key: string) => (
    <div class="caveat-grid">
      {caveats.map((c) => (
        <label key={c.code} class="choice caveat-choice" for={`${key}-${c.code}`}>
          <input
            id={`${key}-${c.code}`}
            type="checkbox"
            checked={tagged(indicatorId, c.code)}
            aria-disabled={busy ? 'true' : undefined}
            onChange={(e) => void toggle(indicatorId, c.code, (e.currentTarget as HTMLInputElement).checked)}
          />
          <span>
            <span class="mono caveat-code">{c.code}</span>
            <span class="caveat-meaning">{c.meaning}</span>
          </span>
        </label>
      ))}
    </div>
  );
  return (
    <div class="tagging">
      <p class="small">Tick each caveat that applies; every tick is saved at once. Leave everything unticked when nothing applies.</p>
      {rows.map((row, i) => (
        <fieldset key={row.id} class="indicator-caveats">
          <legend>
            <span class="mono">{row.id}</span> <span class="muted">· {[rowWhat(row), row.ip, reportedText(row)].filter((p) => p !== null).join(' · ')}</span>
          </legend>
          {list(row.id, described(row.caveatChoices), `ind${i}`)}
        </fieldset>
      ))}
      {tipLevel.length === 0 ? null : (
        <fieldset class="indicator-caveats">
          <legend>The tip as a whole</legend>
          {list(null, tipLevel, 'tip')}
        </fieldset>
      )}
      <div class="confirm-row">
        <p class="small">
          {view.tags.length === 0 ? 'No caveat tagged.' : `Tagged: ${view.tags.length} caveat${view.tags.length === 1 ? '' : 's'}.`} Confirming closes the geolocation step and shows the lookup.
        </p>
        <button type="button" aria-disabled={busy ? 'true' : undefined} onClick={() => void onSend({ type: 'GEO.CONFIRM' })}>
          Confirm the geolocation
        </button>
      </div>
    </div>
  );
}
