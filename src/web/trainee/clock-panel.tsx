// The simulated clock and what is due on it. Wait lets simulated time pass (in an assessment, only to the
// next scheduled thing, DESIGN §10); a wait stops at a message or a decision and says so.
import { useState } from 'preact/hooks';
import type { SessionView } from '../api-types.js';
import { clockText } from '../components/time-text.js';
import { untilText } from './format.js';
import { recordText } from './events-text.js';
import type { AdvanceReply, ClientReference } from './types.js';
import type { SessionState } from './use-session.js';

const STOP_TEXT = { message: 'a message arrived', decision: 'a decision is needed', closed: 'the tip is closed' } as const;

const WAITS = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
];

export function ClockPanel({ session, view, reference, announce, readOnly = false }: { session: SessionState; view: SessionView; reference: ClientReference; announce: (text: string) => void; readOnly?: boolean }) {
  const [fired, setFired] = useState<string | null>(null);
  const wait = async (label: string, target: { ms: number } | { until: 'next' }) => {
    const reply = await session.call<AdvanceReply>('POST', `/api/sessions/${encodeURIComponent(view.id)}/advance`, { ...target, expectedSeq: view.lastSeq });
    if (reply === null) return;
    const happened = reply.fired.map(recordText).filter((t): t is string => t !== null);
    const stopped = reply.reason === null ? '' : ` The wait stopped at ${clockText(reply.stoppedAt)}: ${STOP_TEXT[reply.reason]}.`;
    const text = happened.length === 0 ? `Waited ${label}: nothing was due.` : `Waited ${label}. ${happened.join('. ')}.${stopped}`;
    setFired(text);
    announce(text);
  };
  const assessment = view.mode === 'assessment';
  return (
    <section class="card" aria-labelledby="clock-title">
      <h2 id="clock-title">Simulated clock</h2>
      <p class="clock-now">
        <time dateTime={view.clock.now}>{clockText(view.clock.now)}</time>
      </p>
      {typeof view.clock.pace === 'number' ? (
        <p class="small clock-pace">{view.clock.paused ? 'The clock is paused by your instructor.' : `The clock runs at ${view.clock.pace}× real time: deadlines come closer while you decide.`}</p>
      ) : null}
      {view.clock.timers.length === 0 ? (
        <p class="muted small">No deadline is running.</p>
      ) : (
        <ul class="timers">
          {view.clock.timers.map((t) => (
            <li key={`${t.event}-${t.due}`}>
              <span class="timer-name">{t.name}</span>{' '}
              {t.due === null ? (
                <span class="muted">running ({reference.triageSla.summary} from arrival)</span>
              ) : (
                <>
                  <strong>{untilText(t.due, view.clock.now)}</strong> <span class="muted small">({clockText(t.due)})</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {!view.closed && view.readOnly === null && !readOnly ? (
        <div class="wait">
          <h3 id="wait-title">Let time pass</h3>
          <div class="row" role="group" aria-labelledby="wait-title">
            {assessment
              ? null
              : WAITS.map((w) => (
                  <button key={w.ms} type="button" class="secondary" aria-disabled={session.busy ? 'true' : undefined} onClick={() => void wait(w.label, { ms: w.ms })}>
                    Wait {w.label}
                  </button>
                ))}
            <button type="button" class="secondary" aria-disabled={session.busy ? 'true' : undefined} onClick={() => void wait('until something happened', { until: 'next' })}>
              Wait for the next message or deadline
            </button>
          </div>
          {fired === null ? null : <p class="small wait-result">{fired}</p>}
        </div>
      ) : null}
    </section>
  );
}
