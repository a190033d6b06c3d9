// Assessment mode: a decision is final, so it is said back before it is sent (as `tipflow play` asks).
// Tagging a caveat is not a decision yet (tags can change until the geolocation is confirmed): it goes at once.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { decisionEventText } from './decision-text.js';

export type DecisionEvent = { type: string; [key: string]: unknown };

/** Events sent without a final check: the caveat ticks of the geolocation step. */
export const needsNoCheck = (event: DecisionEvent): boolean => event.type === 'GEO.TAG' || event.type === 'GEO.UNTAG';

export function FinalCheck({ event, busy, onConfirm, onBack }: { event: DecisionEvent; busy: boolean; onConfirm: () => void; onBack: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The button that opened the check is gone; focus moves to the check before the next paint.
  useLayoutEffect(() => heading.current?.focus(), []);
  return (
    <div class="note warn final-check" role="group" aria-labelledby="final-check-title">
      <h3 id="final-check-title" tabIndex={-1} ref={heading}>
        This decision is final
      </h3>
      <p>
        You are about to send: <strong>{decisionEventText(event)}</strong>. It cannot be taken back.
      </p>
      <div class="row">
        <button type="button" aria-disabled={busy ? 'true' : undefined} onClick={() => !busy && onConfirm()}>
          Send it
        </button>
        <button type="button" class="secondary" onClick={onBack}>
          Go back
        </button>
      </div>
    </div>
  );
}
