// How the tip ended: outcome and jurisdiction (with its channel).
import type { SessionView } from '../api-types.js';
import { wordFor } from './format.js';
import type { ClientReference } from './types.js';

export function OutcomeCard({ view, reference }: { view: SessionView; reference: ClientReference }) {
  const channel = view.jurisdiction === null ? undefined : reference.channels.find((c) => c.id === view.jurisdiction?.channel);
  return (
    <section class="card outcome" aria-labelledby="outcome-title">
      <h2 id="outcome-title" tabIndex={-1}>
        The tip is closed
      </h2>
      <dl class="facts">
        <dt>Outcome</dt>
        <dd>{view.outcome === null ? wordFor(reference.words.states, view.state) : wordFor(reference.words.outcomes, view.outcome)}</dd>
        {view.jurisdiction === null ? null : (
          <>
            <dt>Jurisdiction</dt>
            <dd>
              {view.jurisdiction.name ?? view.jurisdiction.id} <span class="mono">({view.jurisdiction.id})</span>
              {channel === undefined ? null : <span class="muted"> · {channel.text}</span>}
            </dd>
          </>
        )}
        {view.priority === null ? null : (
          <>
            <dt>Priority and track</dt>
            <dd>
              {view.priority}, {view.track} track
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
