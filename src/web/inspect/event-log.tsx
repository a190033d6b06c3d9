// The log, one button per record: choosing one shows the machine as it stood after that record (the
// chart, the context's changes, the clock). Up and down arrows move through it; the newest is followed.
import { useEffect, useRef } from 'preact/hooks';
import { clockText } from '../components/time-text.js';
import { eventLabel, transitionText } from './format.js';
import type { InspectStep } from './types.js';

export function EventLog({ steps, selected, following, onSelect }: { steps: InspectStep[]; selected: number; following: boolean; onSelect: (seq: number, latest: boolean) => void }) {
  const list = useRef<HTMLOListElement>(null);
  const last = steps.at(-1)?.seq;

  // Following the newest step: keep it in view as the log grows.
  useEffect(() => {
    if (!following || list.current === null) return;
    list.current.scrollTop = list.current.scrollHeight;
  }, [following, last]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const index = steps.findIndex((s) => s.seq === selected);
    const next = steps[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next === undefined) return;
    event.preventDefault();
    onSelect(next.seq, next.seq === last);
    list.current?.querySelector<HTMLButtonElement>(`button[data-seq="${next.seq}"]`)?.focus();
  };

  return (
    <ol ref={list} class="event-log" onKeyDown={onKeyDown}>
      {steps.map((step) => {
        const r = step.record;
        return (
          <li key={step.seq}>
            <button type="button" class="log-entry" data-seq={step.seq} aria-current={step.seq === selected ? 'step' : undefined} onClick={() => onSelect(step.seq, step.seq === last)}>
              <span class="log-seq">#{step.seq}</span>
              <span class="log-time">{clockText(r.at)}</span>
              <span class={`log-actor actor-${r.actor}`}>{r.actor}</span>
              <span class="log-event mono">{r.event.type === 'xstate.init' ? 'start' : eventLabel(r.event)}</span>
              <span class="log-move small">{transitionText(r.from, r.to)}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
