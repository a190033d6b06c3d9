// Practice help: a hint for the decision at hand, and undo (a new session up to before the last decision).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { SessionView } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { go } from '../route.js';
import { arrival } from './arrival.js';
import { decisionEventText } from './decision-text.js';
import type { HintReply, UndoReply } from './types.js';
import type { SessionState } from './use-session.js';

/** `hints` is false when the exercise is now assigned for assessment only (the server refuses its hints). */
export function PracticeTools({ session, view, announce, hints = true }: { session: SessionState; view: SessionView; announce: (text: string) => void; hints?: boolean }) {
  const [hint, setHint] = useState<string | null>(null);
  const [hintError, setHintError] = useState<unknown>(null);
  // A hint is for the decision at hand: it goes when the tip moves on.
  useEffect(() => {
    setHint(null);
    setHintError(null);
  }, [view.state]);
  const askHint = async () => {
    setHintError(null);
    try {
      const reply = await api<HintReply>('GET', `/api/sessions/${encodeURIComponent(view.id)}/hint`);
      setHint(reply.hint.text);
    } catch (e) {
      setHint(null);
      setHintError(e);
    }
  };
  const undo = async () => {
    const reply = await session.call<UndoReply>('POST', `/api/sessions/${encodeURIComponent(view.id)}/undo`, { expectedSeq: view.lastSeq });
    if (reply === null) return;
    announce(`Took back: ${decisionEventText(reply.undone.event)}. This is a new practice session from just before that decision.`);
    arrival.focusDecision = true;
    go('session', reply.view.id);
  };
  return (
    <section class="card" aria-labelledby="practice-title">
      <h2 id="practice-title">Practice help</h2>
      <div class="row">
        {view.closed || !hints ? null : (
          <button type="button" class="secondary" onClick={() => void askHint()}>
            Hint
          </button>
        )}
        <button type="button" class="secondary" onClick={() => void undo()} aria-disabled={session.busy ? 'true' : undefined}>
          Undo my last decision
        </button>
      </div>
      <div role="status">{hint === null ? null : <p class="note hint">{hint}</p>}</div>
      <ErrorNote error={hintError} />
    </section>
  );
}
