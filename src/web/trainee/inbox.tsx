// Messages of the exercise (an agency's answer, a provider's return, an instructor's note), announced
// politely as they arrive.
import type { SessionView } from '../api-types.js';

export function Inbox({ inbox }: { inbox: SessionView['inbox'] }) {
  return (
    <section class="card inbox" aria-labelledby="inbox-title" aria-live="polite">
      <h2 id="inbox-title">
        Inbox <span class="muted small">({inbox.length === 0 ? 'empty' : `${inbox.length} message${inbox.length === 1 ? '' : 's'}`})</span>
      </h2>
      {inbox.length === 0 ? (
        <p class="muted small">Messages from the exercise arrive here: an agency's answer, a carrier's return, a note from your instructor.</p>
      ) : (
        <ol class="inbox-list">
          {inbox.map((m, i) => (
            <li key={`${m.injectId}-${i}`}>{m.message}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
