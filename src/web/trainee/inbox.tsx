// Messages of the exercise (an agency's answer, a provider's return, an instructor's note) and what the clock
// did (a missed deadline), each read off a record of the log, announced politely as they arrive.
import type { SessionView } from '../api-types.js';
import { clockText } from '../components/time-text.js';

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
            <li key={`${m.injectId ?? m.kind}-${i}`} class={m.kind === 'clock' ? 'inbox-clock' : undefined}>
              <span class="muted small">
                <time dateTime={m.at}>{clockText(m.at)}</time>
                {m.kind === 'clock' ? ' · the clock' : ''}
              </span>{' '}
              {m.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
