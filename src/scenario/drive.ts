// Driving an exercise through the engine in guided mode: scripted injects at their times or when their
// state is entered, and a decision at each decision point from a decider (the expected actions for
// validation, a trainee's answer file for `tipflow run`). Pure apart from the engine it is given.
import type { RoutingEvent } from '../domain/events.js';
import { answerKeyDecision, type DecisionPoint } from '../domain/routing/answer-key.js';
import type { RoutingContext } from '../domain/routing/context.js';
import type { Tip } from '../domain/tip/schema.js';
import { decisionPointOf, routingPath, type Engine, type RoutingSession } from '../engine/index.js';
import type { Exercise, Inject } from './format.js';
import { InjectSchedule } from './inject-schedule.js';
import { DecisionCounts } from './state-entries.js';

export interface DecisionRequest {
  point: DecisionPoint;
  occurrence: number;
  context: RoutingContext;
}

/** The next event for a decision point, or null to let the answer key decide (logged as actor `auto`). */
export type Decider = (request: DecisionRequest) => RoutingEvent | null;

export interface DriveOptions {
  /** On a refused decision: stop (validation) or note it and let the answer key continue (a graded run). */
  onRefusal?: 'stop' | 'answer-key';
}

export interface RefusedDecision {
  point: DecisionPoint;
  occurrence: number;
  event: RoutingEvent;
  message: string;
}

export interface Step {
  at: string;
  state: string;
  kind: 'decision' | 'inject' | 'clock';
  description: string;
  /** The expected action or inject behind the step, when there is one. */
  sourceId?: string;
}

export type DriveProblem =
  | { kind: 'refused-decision'; point: DecisionPoint; occurrence: number; message: string; event: RoutingEvent }
  | { kind: 'stuck'; state: string }
  | { kind: 'runaway'; state: string };

export interface DriveResult {
  session: RoutingSession;
  steps: Step[];
  /** Injects that were sent, and the scripted ones that were not (unreachable). */
  sentInjects: string[];
  unsentInjects: { id: string; why: string }[];
  refusals: RefusedDecision[];
  problem: DriveProblem | null;
  /** Where the tip first waited with nothing scripted left, before the clock alone moved it on. */
  restingState: string | null;
}

/** The machine event an inject sends, or null for a message the trainee only reads. */
export function injectEvent(inject: Inject): RoutingEvent | null {
  switch (inject.kind) {
    case 'agency-acknowledge':
      return { type: 'AGENCY.ACKNOWLEDGE' };
    case 'agency-decline':
      return { type: 'AGENCY.DECLINE', reason: inject.reason };
    case 'subscriber-returned':
      return { type: 'SUBSCRIBER.RETURNED', indicatorId: inject.indicatorId, location: inject.location };
    case 'new-indicator':
      return {
        type: 'INDICATOR.ADD',
        ...(inject.subjectId === undefined ? {} : { subjectId: inject.subjectId }),
        ...(inject.ipEvent === undefined ? {} : { ipEvent: inject.ipEvent }),
        ...(inject.p2p === undefined ? {} : { p2p: inject.p2p }),
      };
    case 'supplemental-report':
      return { type: 'TIP.SUPPLEMENT', supplement: inject.supplement };
    case 'preservation-confirmed':
      return { type: 'PRESERVATION.CONFIRMED' };
    case 'message':
      return null;
  }
}

const MAX_STEPS = 2_000;
const MAX_CLOCK_FIRINGS = 12;

export function describeEvent(event: { type: string; [key: string]: unknown }): string {
  const { type, ...rest } = event;
  const details = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return details === '' ? type : `${type} ${details}`;
}

export function startTimeOf(exercise: Exercise, tip: Tip): string {
  return exercise.clock?.start ?? tip.receivedAt;
}

export function driveExercise(engine: Engine, exercise: Exercise, tip: Tip, decide: Decider, options: DriveOptions = {}): DriveResult {
  const start = startTimeOf(exercise, tip);
  const session = engine.start(tip, { at: start, sessionId: exercise.id });
  const startMs = session.clock.now;
  const steps: Step[] = [];
  const schedule = new InjectSchedule(exercise, startMs);
  const { scripted, sent } = schedule;
  const unsent: { id: string; why: string }[] = [];
  const refusals: RefusedDecision[] = [];
  const takenOver = new Set<string>();
  const decisions = new DecisionCounts();
  let clockFirings = 0;
  let restingState: string | null = null;

  const noteEntries = (fromIndex: number) => {
    const records = session.log.slice(fromIndex);
    for (const record of records) decisions.note(record);
    schedule.note(records);
  };
  const sendInject = (inject: Inject): void => {
    const before = session.log.length;
    const event = injectEvent(inject);
    schedule.markSent(inject);
    if (event === null) {
      steps.push({ at: session.now, state: session.state, kind: 'inject', description: `message: ${inject.message}`, sourceId: inject.id });
      return;
    }
    const result = engine.deliver(session, event, { actor: 'instructor', eventId: `inject-${inject.id}` });
    if (result.ok) {
      steps.push({ at: session.now, state: routingPath(result.audit.from ?? result.audit.to), kind: 'inject', description: `${inject.kind}: ${describeEvent(result.audit.event)}`, sourceId: inject.id });
      noteEntries(before);
    } else {
      unsent.push({ id: inject.id, why: `arrives in ${session.state}, where it is refused: ${result.refusal.message}` });
    }
  };

  noteEntries(0);
  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (session.closed) break;
    const next = schedule.shiftQueued();
    if (next !== undefined) {
      sendInject(next);
      continue;
    }
    const point = decisionPointOf(session);
    if (point !== null) {
      const occurrence = decisions.next(point);
      // After a refusal the answer key finishes that decision, so a half-accepted answer cannot loop.
      const decided = takenOver.has(`${point}#${occurrence}`) ? null : decide({ point, occurrence, context: session.context });
      const event = decided ?? answerKeyDecision(point, session.context, engine.reference);
      const before = session.log.length;
      let result = engine.deliver(session, event, { actor: decided === null ? 'auto' : 'trainee' });
      if (!result.ok) {
        refusals.push({ point, occurrence, event, message: result.refusal.message });
        takenOver.add(`${point}#${occurrence}`);
        if (options.onRefusal !== 'answer-key') {
          return { session, steps, sentInjects: [...sent], unsentInjects: unsent, refusals, problem: { kind: 'refused-decision', point, occurrence, message: result.refusal.message, event }, restingState };
        }
        result = engine.deliver(session, answerKeyDecision(point, session.context, engine.reference), { actor: 'auto' });
        if (!result.ok) throw new Error(`internal: the answer key was refused at ${session.state}: ${result.refusal.message}`);
      }
      steps.push({ at: session.now, state: routingPath(result.audit.from ?? result.audit.to), kind: 'decision', description: describeEvent(result.audit.event) });
      noteEntries(before);
      continue;
    }
    const due = schedule.nextTimed();
    const timer = session.clock.next();
    if (due !== undefined && (timer === null || due.due <= timer.due || clockFirings >= MAX_CLOCK_FIRINGS)) {
      const before = session.log.length;
      engine.advanceTo(session, due.due);
      noteEntries(before);
      sendInject(due.inject);
      continue;
    }
    if (timer !== null && clockFirings < MAX_CLOCK_FIRINGS) {
      restingState ??= session.state;
      clockFirings += 1;
      const before = session.log.length;
      const fired = engine.advanceTo(session, timer.due);
      for (const record of fired) steps.push({ at: record.at, state: routingPath(record.from ?? record.to), kind: 'clock', description: record.event.type });
      noteEntries(before);
      continue;
    }
    return { session, steps, sentInjects: [...sent], unsentInjects: unsent, refusals, problem: { kind: 'stuck', state: session.state }, restingState: restingState ?? session.state };
  }
  if (!session.closed) return { session, steps, sentInjects: [...sent], unsentInjects: unsent, refusals, problem: { kind: 'runaway', state: session.state }, restingState };
  for (const inject of scripted) {
    if (!sent.has(inject.id) && !unsent.some((u) => u.id === inject.id)) {
      unsent.push({ id: inject.id, why: inject.when !== undefined ? `its state ${inject.when.state} (entry ${inject.when.occurrence ?? 1}) is never reached` : 'the tip is closed before its time' });
    }
  }
  return { session, steps, sentInjects: [...sent], unsentInjects: unsent, refusals, problem: null, restingState: null };
}
