// The inspector (issue 8): the routing machine's chart with the active states of a chosen step, the event
// log to move through the steps, the context's changes and the clock at each one; a free simulation of a
// sample tip is stepped with the events the chosen step accepts, and continuing from an earlier step makes a
// branch (issue 18: the simulation keeps its later steps, the branch links back to it); a trainee's
// session is followed live, read only. Instructors only; the place is kept in the hash
// (#/sandbox/<id>, #/session/<id>), so a reload shows the same thing.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { Me } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { Chart } from '../inspect/chart.js';
import { EventControls, type EventChoices } from '../inspect/event-controls.js';
import { EventLog } from '../inspect/event-log.js';
import { loadTraineeSessions, SourcePicker, type TraineeSession } from '../inspect/source-picker.js';
import { StepDetails } from '../inspect/step-details.js';
import type { Inspected, MachineDiagram, Source, StepChoices } from '../inspect/types.js';
import { useInspected, type ActResult } from '../inspect/use-inspected.js';
import { go, type Route } from '../route.js';

const sourceOf = (route: Route): Source | null => {
  const [kind, id] = route.parts;
  return (kind === 'sandbox' || kind === 'session') && id !== undefined ? { kind, id } : null;
};

export function InspectPage({ me, route }: { me: Me; route: Route }) {
  if (me.user.role !== 'instructor') {
    return (
      <main class="page narrow" id="main">
        <h1>Inspector</h1>
        <p class="note">The inspector is for instructors. <a href="/">Back to your exercises</a></p>
      </main>
    );
  }
  return <Inspector route={route} />;
}

function Inspector({ route }: { route: Route }) {
  const source = sourceOf(route);
  const [machine, setMachine] = useState<MachineDiagram | null>(null);
  const [machineError, setMachineError] = useState<unknown>(null);
  const [sessions, setSessions] = useState<TraineeSession[] | null>(null);
  const [tipNames, setTipNames] = useState<ReadonlyMap<string, string>>(new Map());
  // The chosen step's seq, or null to follow the newest.
  const [chosen, setChosen] = useState<number | null>(null);
  // A trainee's practice undo replaces the followed session: follow the one that goes on, and say so.
  const [followedTo, setFollowedTo] = useState<string | null>(null);
  const { inspected, error, live, busy, act, prime } = useInspected(source, (by) => {
    setFollowedTo(by);
    go('session', by);
    // The new session is not in the list yet: without it the title could not name the trainee.
    loadTraineeSessions().then(setSessions, () => undefined);
  });

  useEffect(() => {
    api<{ machine: MachineDiagram }>('GET', '/api/inspect/machines/routing')
      .then((reply) => setMachine(reply.machine))
      .catch(setMachineError);
  }, []);
  useEffect(() => setChosen(null), [source?.kind, source?.id]);

  const steps = inspected?.steps ?? [];
  const latest = steps.at(-1);
  const index = chosen === null ? steps.length - 1 : steps.findIndex((s) => s.seq === chosen);
  const step = steps[index] ?? latest;
  const previous = index > 0 ? (steps[index - 1] ?? null) : null;
  const following = chosen === null || chosen === latest?.seq;
  const sandbox = inspected?.kind === 'sandbox';

  // At an earlier step of a sandbox, what that step accepted (the newest step's comes with the sandbox).
  const [stepChoices, setStepChoices] = useState<StepChoices | null>(null);
  const [choicesError, setChoicesError] = useState<unknown>(null);
  const earlierSeq = sandbox && !following && step !== undefined ? step.seq : null;
  const sandboxId = sandbox ? inspected.id : null;
  useEffect(() => {
    setStepChoices(null);
    setChoicesError(null);
    if (sandboxId === null || earlierSeq === null) return;
    let current = true;
    api<{ choices: StepChoices }>('GET', `/api/inspect/sandboxes/${encodeURIComponent(sandboxId)}/steps/${earlierSeq}`).then(
      (reply) => current && setStepChoices(reply.choices),
      (e: unknown) => current && setChoicesError(e),
    );
    return () => {
      current = false;
    };
  }, [sandboxId, earlierSeq, latest?.seq]);
  const choices: EventChoices | null =
    inspected === null || latest === undefined
      ? null
      : earlierSeq === null
        ? { seq: latest.seq, closed: inspected.closed, allowed: inspected.allowed, examples: inspected.examples, steps: steps.length }
        : stepChoices?.seq === earlierSeq
          ? { ...stepChoices, steps: index + 1 }
          : null;

  // Continuing from an earlier step makes a branch: a new sandbox with the steps up to it (and the first
  // event or clock advance, if that is how it continues); the page moves to it.
  const [branching, setBranching] = useState(false);
  const [branchError, setBranchError] = useState<unknown>(null);
  const focusLogOn = useRef<string | null>(null);
  const branchFrom = async (seq: number, first: { event: unknown } | { ms: number } | null): Promise<ActResult> => {
    if (inspected === null) return { ok: false, error: new Error('nothing to branch from') };
    setBranching(true);
    setBranchError(null);
    try {
      const reply = await api<{ inspected: Inspected }>('POST', `/api/inspect/sandboxes/${encodeURIComponent(inspected.id)}/branch`, { seq, ...first });
      const created = reply.inspected;
      const name = tipNames.get(inspected.id);
      if (name !== undefined) setTipNames((names) => new Map(names).set(created.id, name));
      prime(created);
      if (first === null) focusLogOn.current = created.id;
      go('sandbox', created.id);
      return { ok: true, inspected: created };
    } catch (e) {
      return { ok: false, error: e };
    } finally {
      setBranching(false);
    }
  };
  const stepAnd = async (action: 'events' | 'advance', body: unknown): Promise<ActResult> => {
    if (earlierSeq !== null) return branchFrom(earlierSeq, body as { event: unknown } | { ms: number });
    setChosen(null);
    return act(action, body);
  };
  const continueHere = async () => {
    if (step === undefined) return;
    const result = await branchFrom(step.seq, null);
    if (!result.ok) setBranchError(result.error);
  };
  // The button goes away in the branch (its newest step is the chosen one): the focus moves to that step.
  useEffect(() => {
    if (inspected === null || focusLogOn.current !== inspected.id) return;
    focusLogOn.current = null;
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('.event-log button[aria-current="step"]')?.focus());
  }, [inspected]);
  const working = busy || branching;

  const traineeSession = source?.kind === 'session' ? sessions?.find((s) => s.session.id === source.id) : undefined;
  const title =
    inspected === null
      ? null
      : inspected.kind === 'sandbox'
        ? `Free simulation of ${tipNames.get(inspected.id) ?? 'a sample tip'} (${inspected.tipId ?? 'tip'})`
        : traineeSession === undefined
          ? `Session ${inspected.id} (${inspected.tipId ?? 'tip'})`
          : `${traineeSession.trainee}'s session of ${traineeSession.session.exerciseId ?? inspected.tipId ?? 'a tip'} (${traineeSession.session.mode}, cohort ${traineeSession.cohort})`;

  return (
    <main class="page inspect-page" id="main">
      <h1>Inspector</h1>
      <p class="lede">See the routing machine step by step: start a free simulation from a sample tip and step it with the allowed events, or follow a trainee's session live. Choose any entry of the event log to see the machine as it stood then.</p>
      <section class="card" aria-labelledby="source-title">
        <h2 id="source-title">What to inspect</h2>
        <SourcePicker
          sessions={sessions}
          setSessions={setSessions}
          onSandbox={(created, tip) => {
            setTipNames((names) => new Map(names).set(created.id, tip));
            go('sandbox', created.id);
          }}
          onSession={(id) => go('session', id)}
        />
      </section>
      {followedTo !== null && source?.kind === 'session' && source.id === followedTo ? (
        <p class="note" role="status">
          The trainee took their last decision back (a practice undo starts a new session): now following the new session.
        </p>
      ) : null}
      <ErrorNote error={machineError} />
      {error instanceof ApiError && error.status === 404 && source?.kind === 'sandbox' ? (
        <p class="note warn" role="alert">
          This free simulation is gone: simulations live in the server's memory only (until it restarts, 20 per instructor). Start a new one above.
        </p>
      ) : (
        <ErrorNote error={error} />
      )}
      {source !== null && inspected === null && error === null ? <p role="status">Loading…</p> : null}
      {inspected?.branchOf !== null && inspected?.branchOf !== undefined ? (
        <p class="note branch-note" role="status">
          A branch from step #{inspected.branchOf.seq} of an earlier free simulation, which keeps all its steps.{' '}
          <a href={`#/sandbox/${encodeURIComponent(inspected.branchOf.id)}`}>Back to that simulation</a>
        </p>
      ) : null}
      {inspected !== null && step !== undefined ? (
        <div class="inspect-layout">
          <section class="card chart-card" aria-labelledby="chart-title">
            <div class="spread">
              <h2 id="chart-title">Chart at step #{step.seq}</h2>
              <p class="small inspect-status" role="status">
                {inspected.kind === 'session' ? (
                  <>
                    <span class={`live-dot${live ? '' : ' off'}`} aria-hidden="true" />
                    {live ? 'Live, read only' : 'Read only, connecting…'}
                  </>
                ) : (
                  'Free simulation'
                )}
                {following ? ' · following the newest step' : ` · showing an earlier step (newest #${latest?.seq ?? 0})`}
              </p>
            </div>
            <p class="small muted">{title}</p>
            {machine === null ? <p role="status">Drawing the chart…</p> : <Chart machine={machine} active={step.activeStates} />}
          </section>
          <div class="inspect-side">
            {sandbox ? (
              <section class="card" aria-labelledby="events-title">
                <h2 id="events-title">{earlierSeq === null ? 'Send an event' : `Send an event at step #${earlierSeq}`}</h2>
                {choices === null ? choicesError === null ? <p role="status">Loading the events of step #{step.seq}…</p> : <ErrorNote error={choicesError} /> : <EventControls sandboxId={inspected.id} choices={choices} newest={earlierSeq === null ? null : (latest?.seq ?? null)} busy={working} act={stepAnd} />}
              </section>
            ) : (
              <section class="card" aria-labelledby="allowed-title">
                <h2 id="allowed-title">Allowed now</h2>
                <p class="small">
                  {inspected.closed
                    ? 'The tip is closed.'
                    : inspected.allowed.map((a) => (
                        <span key={a} class="badge mono">
                          {a}
                        </span>
                      ))}
                </p>
                <p class="small muted">A trainee's session is read only here: the trainee decides.</p>
              </section>
            )}
            <section class="card" aria-labelledby="log-title">
              <h2 id="log-title">Event log</h2>
              <EventLog steps={steps} selected={step.seq} following={following} onSelect={(seq, isLatest) => setChosen(isLatest ? null : seq)} />
            </section>
            <section class="card" aria-labelledby="step-title">
              <div class="spread">
                <h2 id="step-title">Step #{step.seq}</h2>
                {sandbox && !following ? (
                  <button type="button" class="secondary" disabled={working} aria-describedby="continue-note" onClick={() => void continueHere()}>
                    Continue from here
                  </button>
                ) : null}
              </div>
              {sandbox && !following ? (
                <p id="continue-note" class="small muted">
                  Continues in a new branch from step #{step.seq}; this simulation keeps {latest?.seq === step.seq + 1 ? `step #${latest.seq}` : `its steps #${step.seq + 1}–#${latest?.seq ?? step.seq}`}.
                </p>
              ) : null}
              <ErrorNote error={branchError} />
              <StepDetails step={step} previous={previous} />
            </section>
          </div>
        </div>
      ) : null}
    </main>
  );
}
