// Where the tip is: intake → triage → geolocation → referral (or legal process) → closed. Steps a closed
// tip never went through (an informational track skips geolocation and the route) are marked skipped.
import type { AnalystWords } from '../../api/contract.js';
import type { SessionView } from '../api-types.js';
import { PHASE_STEPS, stepLabel, stepOf, type PhaseStep } from './format.js';

function skippedSteps(view: Pick<SessionView, 'closed' | 'priority' | 'track'>): Set<PhaseStep> {
  if (!view.closed) return new Set();
  if (view.priority === null) return new Set(['triage', 'geolocation', 'route']);
  if (view.track === 'informational') return new Set(['geolocation', 'route']);
  return new Set();
}

export function PhaseBar({ view, words }: { view: Pick<SessionView, 'phase' | 'closed' | 'priority' | 'track'>; words: AnalystWords }) {
  const current = PHASE_STEPS.indexOf(stepOf(view.phase));
  const skipped = skippedSteps(view);
  return (
    <ol class="phases" aria-label="Progress">
      {PHASE_STEPS.map((step, i) => {
        const state = i === current ? 'current' : skipped.has(step) ? 'skipped' : i < current ? 'done' : 'ahead';
        return (
          <li key={step} class={state === 'done' || state === 'skipped' ? state : undefined} aria-current={state === 'current' ? 'step' : undefined}>
            {state === 'done' ? <span aria-hidden="true">✓ </span> : null}
            {stepLabel(step, view.phase, words)}
            {state === 'done' || state === 'skipped' ? <span class="visually-hidden"> ({state})</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
