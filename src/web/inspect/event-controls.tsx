// Stepping a free simulation, as in Stately's simulate mode: one button per suggested event (the answer
// key's first), an editor for any allowed event with other parameters, and the simulated clock's buttons.
// They offer what the machine accepted at the chosen step: at an earlier one, sending continues in a new
// branch from there (the page does that) and the simulation keeps its later steps. The machine's refusals
// (422) are shown as the server words them.
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote } from '../components/error-note.js';
import { eventJson, eventLabel } from './format.js';
import type { RoutingEventObject, StepChoices } from './types.js';
import type { ActResult } from './use-inspected.js';

const HOUR = 3_600_000;
const ADVANCES = [
  { ms: HOUR, label: '1 h' },
  { ms: 24 * HOUR, label: '1 day' },
  { ms: 30 * 24 * HOUR, label: '30 days' },
];

type Act = (action: 'events' | 'advance', body: unknown) => Promise<ActResult>;

/** What the chosen step accepts, and how many steps the simulation has up to it. */
export type EventChoices = StepChoices & { steps: number };

export interface EventControlsProps {
  /** The sandbox shown: a new one starts the editor afresh. */
  sandboxId: string;
  choices: EventChoices;
  /** The newest step's seq when the chosen step is an earlier one (sending branches from it), else null. */
  newest: number | null;
  busy: boolean;
  act: Act;
}

export function EventControls({ sandboxId, choices, newest, busy, act }: EventControlsProps) {
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const { allowed, examples, closed } = choices;
  const exampleOf = (type: string): RoutingEventObject => examples.find((e) => e.type === type) ?? { type };
  const [type, setType] = useState(allowed[0] ?? '');
  const [text, setText] = useState(allowed[0] === undefined ? '' : eventJson(exampleOf(allowed[0])));

  // A new state offers other events: start the editor from the first of them.
  const allowedKey = allowed.join(' ');
  useEffect(() => {
    const first = allowed[0];
    setType(first ?? '');
    setText(first === undefined ? '' : eventJson(exampleOf(first)));
  }, [allowedKey, sandboxId, choices.seq]);

  const run = async (action: 'events' | 'advance', body: unknown, advanced: string | null) => {
    setNote(null);
    const before = choices.steps;
    const result = await act(action, body);
    setError(result.ok ? null : result.error);
    if (result.ok && advanced !== null) {
      const fired = result.inspected.steps.length - before;
      setNote(`Clock advanced by ${advanced}: ${fired === 0 ? 'nothing fell due' : `${fired} timer${fired === 1 ? '' : 's'} fired`}.`);
    }
  };

  const sendEdited = (event: Event) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setError(new Error(`The event is not valid JSON: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    void run('events', { event: parsed }, null);
  };

  return (
    <>
      {newest !== null ? (
        <p class="note small" role="note">
          These are the events step #{choices.seq} accepted. Sending one (or advancing the clock) continues in a new branch from step #{choices.seq}; this simulation keeps {newest === choices.seq + 1 ? `step #${newest}` : `its steps #${choices.seq + 1}–#${newest}`}.
        </p>
      ) : null}
      {closed ? (
        <p class="note ok">The tip is closed{newest === null ? '' : ` at step #${choices.seq}`}: the machine accepts no more events. Choose an earlier step and continue from there.</p>
      ) : (
        <>
          <div class="event-buttons" role="group" aria-label="Suggested events">
            {examples.map((example, i) => (
              // Keyed by position, so the focus stays on the first button and Enter again walks the answer key.
              <button key={i} type="button" class={i === 0 ? 'event-button' : 'event-button secondary'} disabled={busy} onClick={() => void run('events', { event: example }, null)}>
                <span class="mono">{eventLabel(example)}</span>
              </button>
            ))}
          </div>
          {examples.length > 0 ? <p class="small muted">The first is the answer key's choice; sending it again and again walks the chart to a final state.</p> : null}
          <p class="small">
            Allowed now:{' '}
            {allowed.map((a) => (
              <span key={a} class="badge mono">
                {a}
              </span>
            ))}
          </p>
          <details class="event-editor">
            <summary>Edit and send…</summary>
            <form onSubmit={sendEdited}>
              <label>
                Event type
                <select
                  value={type}
                  onChange={(e) => {
                    const next = e.currentTarget.value;
                    setType(next);
                    setText(eventJson(exampleOf(next)));
                  }}
                >
                  {allowed.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Event (JSON)
                <textarea rows={6} value={text} spellcheck={false} onInput={(e) => setText(e.currentTarget.value)} />
              </label>
              <button type="submit" disabled={busy}>
                Send event
              </button>
            </form>
          </details>
        </>
      )}
      <p id="advance-label" class="small advance-label">
        Advance the simulated clock (timers that fall due fire):
      </p>
      <div class="row advance" role="group" aria-labelledby="advance-label">
        {ADVANCES.map((a) => (
          <button key={a.ms} type="button" class="secondary" disabled={busy || closed} onClick={() => void run('advance', { ms: a.ms }, a.label)}>
            {a.label}
          </button>
        ))}
      </div>
      {note !== null ? (
        <p class="small muted" role="status">
          {note}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </>
  );
}
