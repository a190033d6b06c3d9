// The selected step: its context as a diff against the step before (changed fields marked in words, not by
// colour alone), and the simulated clock with the timers pending at that moment.
import { diffContext, type FieldDiff } from './context-diff.js';
import { clockText } from '../components/time-text.js';
import { eventLabel, relative, timerName } from './format.js';
import type { InspectStep } from './types.js';

const FIELD_LABEL: Record<FieldDiff['key'], string> = {
  priority: 'priority',
  track: 'track',
  exigency: 'exigency',
  confidence: 'confidence',
  geolocationConfirmed: 'geolocation confirmed',
  caveats: 'caveats',
  tags: 'tags',
  jurisdiction: 'jurisdiction',
  notify: 'notify',
  declined: 'declined',
  outcome: 'outcome',
  timerEvents: 'timer events',
};

function Change({ field }: { field: FieldDiff }) {
  if (!field.changed) return <span class="muted">{field.now}</span>;
  if (field.added.length + field.removed.length > 0) {
    return (
      <span>
        {field.added.map((item) => (
          <span key={`+${item}`} class="diff-item added">
            <span class="visually-hidden">added </span>+ {item}
          </span>
        ))}
        {field.removed.map((item) => (
          <span key={`-${item}`} class="diff-item removed">
            <span class="visually-hidden">removed </span>− {item}
          </span>
        ))}
      </span>
    );
  }
  return (
    <span>
      <span class="diff-before">{field.before}</span> → <strong>{field.now}</strong>
    </span>
  );
}

export function StepDetails({ step, previous }: { step: InspectStep; previous: InspectStep | null }) {
  const fields = diffContext(step.context, previous?.context ?? null);
  const changed = fields.filter((f) => f.changed).length;
  return (
    <>
      <p>
        <strong class="mono">{step.record.event.type === 'xstate.init' ? 'start' : eventLabel(step.record.event)}</strong> by {step.record.actor}
        {previous === null ? ' (the first step)' : changed === 0 ? ': the context did not change' : `: ${changed} field${changed === 1 ? '' : 's'} changed`}
      </p>
      <div class="table-wrap">
        <table class="context-diff">
          <caption class="visually-hidden">Context after step #{step.seq}, against step #{previous?.seq ?? '–'}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value (change)</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field.key} class={field.changed ? 'changed' : undefined} data-field={field.key}>
                <th scope="row">
                  {FIELD_LABEL[field.key]}
                  {field.changed ? <span class="badge changed-badge">changed</span> : null}
                </th>
                <td class="mono">
                  <Change field={field} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="clock-title">Simulated clock</h3>
      <p class="step-now">
        <time dateTime={step.now}>{clockText(step.now)}</time>
      </p>
      {step.timers.length === 0 ? (
        <p class="muted small">No timer pending.</p>
      ) : (
        <ul class="step-timers">
          {step.timers.map((timer) => (
            <li key={timer.event}>
              <span class="mono">{timerName(timer)}</span> due <time dateTime={timer.due}>{clockText(timer.due)}</time> <span class="muted">({relative(step.now, timer.due)})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
