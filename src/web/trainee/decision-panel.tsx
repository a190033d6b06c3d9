// The decision at hand, built from view.allowed: triage, caveat tagging, or the route. Refusals are shown
// in the server's words; when there is nothing to decide, it says what the tip waits for.
import { api, ApiError } from '../api.js';
import type { SessionView } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { useEffect, useState } from 'preact/hooks';
import { go } from '../route.js';
import { moveToReplacement } from './arrival.js';
import { CaveatTagging } from './caveat-tagging.js';
import { FinalCheck, needsNoCheck, type DecisionEvent } from './final-check.js';
import { RouteForm } from './route-form.js';
import { TriageForm } from './triage-form.js';
import type { ClientReference } from './types.js';
import type { SessionState } from './use-session.js';

type Send = (event: { type: string; [key: string]: unknown }) => Promise<void>;

/**
 * A refusal (422) in the rule's own words: the machine's prefix ("ROUTE.REFER refused in
 * referral.selecting: ") is dropped, the reason after it is kept as the server said it.
 */
function refusal(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.status !== 422) return error;
  const reason = error.message.replace(/^[A-Z][A-Z_.]* refused in [a-zA-Z.]+: /, '');
  return new ApiError(422, { ...error.body, error: `Not accepted: ${reason}` });
}

export function decisionTitle(view: SessionView): string {
  if (view.allowed.includes('TRIAGE.ASSIGN')) return 'Decide: triage';
  if (view.allowed.includes('GEO.CONFIRM') || view.allowed.includes('GEO.TAG')) return 'Decide: geolocation caveats';
  if (view.allowed.some((e) => e.startsWith('ROUTE.'))) return 'Decide: route';
  return 'Nothing to decide now';
}

/** Whether the geolocation step is behind the tip (in an assessment the view holds no rule-book assessment until the close). */
const geolocationDone = (view: SessionView): boolean => view.assessment !== null || (view.routingTime !== null && view.phase !== 'geolocation' && view.phase !== 'triage' && view.phase !== 'intake');

function waitingText(view: SessionView): string {
  if (view.state.startsWith('referral.awaiting')) return 'The tip is referred: it waits for the agency to acknowledge it (or decline).';
  if (view.state === 'referral.acknowledgementOverdue') return "The agency's acknowledgement is overdue; the referral stands while the tip waits for its answer.";
  if (view.phase === 'legalProcess') return "Legal process is under way: the tip waits for the carrier's preservation and the subscriber information.";
  return 'The tip waits for what happens next.';
}

export function DecisionPanel({ view, reference, session, onSend }: { view: SessionView; reference: ClientReference | null; session: SessionState; onSend: Send }) {
  const title = decisionTitle(view);
  // Assessment: a decision is said back and sent only once the trainee confirms it.
  const [pending, setPending] = useState<DecisionEvent | null>(null);
  // A decision the server would refuse is never called final: it is checked first (nothing is recorded).
  const [checkError, setCheckError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    setPending(null);
    setCheckError(null);
  }, [view.id, view.lastSeq]);
  const send: Send = async (event) => {
    setCheckError(null);
    if (view.mode === 'assessment' && !needsNoCheck(event)) {
      if (checking) return;
      setChecking(true);
      session.clearMessages();
      try {
        await api('POST', `/api/sessions/${encodeURIComponent(view.id)}/check`, { event });
        setPending(event);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && typeof e.body.replacedBy === 'string') moveToReplacement(view.id, e.body.replacedBy, go);
        else setCheckError(e);
      } finally {
        setChecking(false);
      }
      return;
    }
    await onSend(event);
  };
  const confirm = async () => {
    if (pending === null) return;
    await onSend(pending);
    setPending(null);
  };
  const decided = [
    view.priority === null ? null : `priority ${view.priority}, ${view.track ?? '?'} track`,
    !geolocationDone(view) ? null : view.tags.length === 0 ? 'geolocation confirmed with no caveat' : `geolocation confirmed with ${view.tags.length} caveat${view.tags.length === 1 ? '' : 's'}`,
    view.jurisdiction === null ? null : `referred to ${view.jurisdiction.id}`,
  ].filter((d): d is string => d !== null);
  return (
    <section class="card decision" aria-labelledby="decision-title">
      <h2 id="decision-title" tabIndex={-1}>
        {title}
      </h2>
      {decided.length === 0 ? null : <p class="small muted">Decided so far: {decided.join(' · ')}.</p>}
      {view.mode === 'assessment' && title !== 'Nothing to decide now' ? <p class="small">Assessment: each decision is final (no hint, no undo). Your caveat tags stay as you set them; the rule book's are in the debrief.</p> : null}
      {session.notice === null ? null : (
        <div class="note warn" role="alert">
          <p>{session.notice}</p>
        </div>
      )}
      <ErrorNote error={refusal(session.error)} />
      <ErrorNote error={refusal(checkError)} />
      {reference === null ? (
        <p role="status">Loading the decision controls…</p>
      ) : pending !== null ? (
        <FinalCheck event={pending} busy={session.busy} onConfirm={() => void confirm()} onBack={() => setPending(null)} />
      ) : title === 'Decide: triage' ? (
        <TriageForm reference={reference} busy={session.busy || checking} onSend={send} assessment={view.mode === 'assessment'} />
      ) : title === 'Decide: geolocation caveats' ? (
        <CaveatTagging view={view} reference={reference} busy={session.busy} onSend={send} />
      ) : title === 'Decide: route' ? (
        <RouteForm view={view} reference={reference} busy={session.busy || checking} onSend={send} />
      ) : (
        <p>
          {waitingText(view)}
          {view.mode === 'practice' ? ' Use Wait (beside the clock) to let simulated time pass.' : ' Your instructor moves the exercise on.'}
        </p>
      )}
    </section>
  );
}
