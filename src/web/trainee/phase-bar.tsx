// Where the tip is: intake → triage → geolocation → referral (or legal process) → closed.
import type { Phase } from '../api-types.js';
import { PHASE_STEPS, stepLabel, stepOf } from './format.js';

export function PhaseBar({ phase }: { phase: Phase }) {
  const current = PHASE_STEPS.indexOf(stepOf(phase));
  return (
    <ol class="phases" aria-label="Progress">
      {PHASE_STEPS.map((step, i) => (
        <li key={step} class={i < current ? 'done' : undefined} aria-current={i === current ? 'step' : undefined}>
          {i < current ? <span aria-hidden="true">✓ </span> : null}
          {stepLabel(step, phase)}
          {i < current ? <span class="visually-hidden"> (done)</span> : null}
        </li>
      ))}
    </ol>
  );
}
