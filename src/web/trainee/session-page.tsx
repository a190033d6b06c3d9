// One exercise session: where the tip is, its facts and indicators, the decision at hand, the clock and
// the inbox; once closed, the outcome and the debrief.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExerciseSummary } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { arrival } from './arrival.js';
import { go } from '../route.js';
import { ClockPanel } from './clock-panel.js';
import { DebriefView } from './debrief-view.js';
import { DecisionPanel } from './decision-panel.js';
import { decisionEventText } from './decision-text.js';
import { IndicatorsTable } from './indicators-table.js';
import { Inbox } from './inbox.js';
import { OutcomeCard } from './outcome-card.js';
import { PhaseBar } from './phase-bar.js';
import { PracticeTools } from './practice-tools.js';
import { loadExercises, loadReference } from './reference.js';
import { TipCard } from './tip-card.js';
import { wordFor } from './format.js';
import type { ClientReference } from './types.js';
import { useSession } from './use-session.js';

const FOCUS_AFTER_STEP = ['#decision-title', '#outcome-title'];

export function SessionPage({ id, announce }: { id: string; announce: (text: string) => void }) {
  const session = useSession(id);
  const { view } = session;
  const [reference, setReference] = useState<ClientReference | null>(null);
  const [exercise, setExercise] = useState<ExerciseSummary | null>(null);
  const [referenceError, setReferenceError] = useState<unknown>(null);
  const focusNext = useRef(false);
  // Set when this page was reached because an undo replaced the session the trainee had open.
  const [movedFrom] = useState<string | null>(() => {
    const from = arrival.replacedFrom;
    arrival.replacedFrom = null;
    return from;
  });

  useEffect(() => {
    loadReference().then(setReference, setReferenceError);
  }, []);
  useEffect(() => {
    if (view?.exerciseId == null) return;
    const exerciseId = view.exerciseId;
    loadExercises().then((list) => setExercise(list.find((e) => e.id === exerciseId) ?? null), () => undefined);
  }, [view?.exerciseId]);

  // After a decision moves the tip on, focus goes to the heading of what comes next.
  useEffect(() => {
    if (!focusNext.current || view === null) return;
    focusNext.current = false;
    const target = FOCUS_AFTER_STEP.map((s) => document.querySelector<HTMLElement>(s)).find((el) => el !== null);
    target?.focus();
  }, [view?.phase, view?.state]);

  // Arriving on the page (from home, or from an undo) puts focus on its heading, or on the decision.
  const arrived = useRef(false);
  useEffect(() => {
    if (view === null || reference === null || arrived.current) return;
    arrived.current = true;
    const target = arrival.focusDecision ? document.getElementById('decision-title') : document.getElementById('session-title');
    arrival.focusDecision = false;
    target?.focus();
  }, [view, reference]);

  useEffect(() => {
    if (view !== null && reference !== null) document.title = `${exercise?.title ?? 'Exercise'} · ${wordFor(reference.words.phases, view.phase)} · tipflow`;
  }, [exercise, view?.phase, reference]);

  if (session.loadError !== null) {
    return (
      <main class="page" id="main">
        <h1>Session not found</h1>
        <ErrorNote error={session.loadError} />
        <p>
          <a href="#/">Back to your exercises</a>
        </p>
      </main>
    );
  }
  // Every panel writes the rule book's codes in the reference's words: the page waits for both (the reference
  // is loaded once and kept).
  if (view === null || reference === null) {
    return (
      <main class="page" id="main">
        <ErrorNote error={referenceError} />
        {referenceError === null ? <p role="status">Loading the session…</p> : null}
      </main>
    );
  }
  const words = reference.words;

  const facts = view.facts;
  // A session an undo replaced is kept as it was, read-only: the trainee goes on in the new one.
  const replacedBy = view.replacedBy ?? null;
  const decides = !view.closed && replacedBy === null && view.readOnly === null;
  const hints = exercise?.modes === undefined || exercise.modes.includes('practice');

  const onSend = async (event: { type: string; [key: string]: unknown }) => {
    const before = view.state;
    const result = await session.send(event);
    if (!result.ok || result.view === undefined) return;
    const moved = result.view.state !== before;
    announce(`Saved: ${decisionEventText(event)}.${moved ? ` Now: ${result.view.closed ? 'the tip is closed' : wordFor(words.phases, result.view.phase).toLowerCase()}.` : ''}`);
    if (moved) focusNext.current = true;
  };

  return (
    <main class="page trainee-session" id="main">
      <p class="back">
        <a href="#/">← Your exercises</a>
      </p>
      <div class="session-head">
        <h1 id="session-title" tabIndex={-1}>
          {exercise?.title ?? view.exerciseId ?? 'Exercise'}
        </h1>
        <span class={`badge mode ${view.mode}`}>{view.mode === 'practice' ? 'Practice' : 'Assessment'}</span>
      </div>
      <PhaseBar view={view} words={words} />
      {view.readOnly === null ? null : (
        <p class="note warn" role="status">
          {view.readOnly}
        </p>
      )}
      {movedFrom === null ? null : (
        <div class="note" role="status">
          <p>Your previous session was replaced by an undo, so this page moved to the session that goes on from just before that decision.</p>
        </div>
      )}
      {replacedBy === null ? null : (
        <div class="note warn" role="alert">
          <p>
            This session was replaced by an undo and is read-only: nothing more can be decided here.{' '}
            <a href={`#/session/${encodeURIComponent(replacedBy)}`} onClick={(e) => {
              e.preventDefault();
              go('session', replacedBy);
            }}>
              Go on in the new session
            </a>
          </p>
        </div>
      )}
      {!decides ? null : (
        <p class="skip">
          <a href="#decision-title" onClick={(e) => {
            e.preventDefault();
            document.getElementById('decision-title')?.focus();
          }}>
            Skip to the decision
          </a>
        </p>
      )}
      {view.closed ? (
        <div class="stack session-closed">
          <OutcomeCard view={view} reference={reference} />
          <DebriefView sessionId={view.id} released={view.debriefReleased ?? false} appended={session.appended} checkAgain={session.reload} />
        </div>
      ) : null}
      {/* The tip and its indicators on one side, the decision at hand on the other, near the top of the page
          (issue 18, item 4); on a narrow screen they stack in reading order: tip, indicators, decision. */}
      <div class="session-grid">
        <div class="stack session-facts">
          {facts === null ? <p class="note warn">This submission was refused at intake: there is no tip to show.</p> : <TipCard facts={facts} words={words} />}
          <IndicatorsTable view={view} reference={reference} />
        </div>
        <div class="stack session-side">
          {decides ? <DecisionPanel view={view} reference={reference} session={session} onSend={onSend} /> : null}
          <ClockPanel session={session} view={view} reference={reference} announce={announce} readOnly={replacedBy !== null || view.readOnly !== null} />
          {view.mode === 'practice' && replacedBy === null && view.readOnly === null ? <PracticeTools session={session} view={view} announce={announce} hints={hints} /> : null}
          <Inbox inbox={view.inbox} />
        </div>
      </div>
    </main>
  );
}
