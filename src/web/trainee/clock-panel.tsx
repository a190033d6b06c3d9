// The simulated clock and what is due on it; in practice mode, Wait lets simulated time pass.
import { useState } from 'preact/hooks';
import type { SessionView } from '../api-types.js';
import { clockText, untilText } from './format.js';
import { recordText } from './events-text.js';
import type { AdvanceReply } from './types.js';
import type { SessionState } from './use-session.js';

const WAITS = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
];

export function ClockPanel({ session, view, announce, readOnly = false }: { session: SessionState; view: SessionView; announce: (text: string) => void; readOnly?: boolean }) {
  const [fired, setFired] = useState<string | null>(null);
  const wait = async (label: string, ms: number) => {
    const reply = await session.call<AdvanceReply>('POST', `/api/sessions/${encodeURIComponent(view.id)}/advance`, { ms, expectedSeq: view.lastSeq });
    if (reply === null) return;
    // Each timer that fires adds one message of the machine's own (view.timerEvents), in order.
    const clockSaid = reply.view.timerEvents.slice(view.timerEvents.length);
    let next = 0;
    const happened = reply.fired.map((r) => (r.event.type.startsWith('xstate.after.') ? `${clockText(r.at)}: ${clockSaid[next++] ?? 'a deadline passed'}` : recordText(r)));
    const text = happened.length === 0 ? `Waited ${label}: nothing was due.` : `Waited ${label}. ${happened.join('. ')}.`;
    setFired(text);
    announce(text);
  };
  return (
    <section class="card" aria-labelledby="clock-title">
      <h2 id="clock-title">Simulated clock</h2>
      <p class="clock-now">
        <time dateTime={view.clock.now}>{clockText(view.clock.now)}</time>
      </p>
      {view.clock.timers.length === 0 ? (
        <p class="muted small">No deadline is running.</p>
      ) : (
        <ul class="timers">
          {view.clock.timers.map((t) => (
            <li key={`${t.event}-${t.due}`}>
              <span class="timer-name">{t.name}</span>{' '}
              {t.due === null ? (
                <span class="muted">running (P1 1 h, P2 24 h, P3 72 h from arrival)</span>
              ) : (
                <>
                  <strong>{untilText(t.due, view.clock.now)}</strong> <span class="muted small">({clockText(t.due)})</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {view.mode === 'practice' && !view.closed && !readOnly ? (
        <div class="wait">
          <h3 id="wait-title">Let time pass</h3>
          <div class="row" role="group" aria-labelledby="wait-title">
            {WAITS.map((w) => (
              <button key={w.ms} type="button" class="secondary" aria-disabled={session.busy ? 'true' : undefined} onClick={() => void wait(w.label, w.ms)}>
                Wait {w.label}
              </button>
            ))}
          </div>
          {fired === null ? null : <p class="small wait-result">{fired}</p>}
        </div>
      ) : null}
    </section>
  );
}
