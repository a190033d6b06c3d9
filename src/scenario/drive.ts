// Driving an exercise headless through the exercise runner (runner.ts): a decision at each decision point
// from a decider (the expected actions for validation, a trainee's answer file for `tipflow run`), and when
// none is pending a wait for the next scheduled thing, as a trainee who decides at once would. Pure apart
// from the engine it is given.
import type { RoutingEvent } from '../domain/events.js';
import { answerKeyDecision, type DecisionPoint } from '../domain/routing/answer-key.js';
import type { RoutingContext } from '../domain/routing/context.js';
import type { Tip } from '../domain/tip/schema.js';
import { isMachineRecord, routingPath, type ActorRole, type AuditRecord, type Engine, type RefusalKind, type RoutingSession } from '../engine/index.js';
import type { Exercise } from './format.js';
import { deliveredInjectsOf } from './inbox.js';
import { refusalsOf, type RefusedDecision } from './refusals.js';
import { ExerciseRunner, INJECT_ID_PREFIX } from './runner.js';

export { injectEvent, startTimeOf } from './runner.js';

export interface DecisionRequest {
  point: DecisionPoint;
  occurrence: number;
  context: RoutingContext;
}

/**
 * The next event for a decision point, null to let the answer key decide (logged as actor `auto`), or a wait
 * the trainee takes first (`{ wait: ms }`: they took their time; the decider is asked again afterwards).
 */
export type Decider = (request: DecisionRequest) => RoutingEvent | { wait: number } | null;

export interface DriveOptions {
  /** On a refused decision: stop (validation) or note it and let the answer key continue (a graded run). */
  onRefusal?: 'stop' | 'answer-key';
  /** Who the decider's decisions and the run's waits are recorded as: `trainee` (a trainee's answers), `auto` (the proof). */
  actor?: ActorRole;
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
  | { kind: 'refused-decision'; point: DecisionPoint; occurrence: number; message: string; code?: RefusalKind; event: RoutingEvent }
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

export function driveExercise(engine: Engine, exercise: Exercise, tip: Tip, decide: Decider, options: DriveOptions = {}): DriveResult {
  const runner = ExerciseRunner.start(engine, exercise, tip, { sessionId: exercise.id });
  const session = runner.session;
  const takenOver = new Set<string>();
  let clockWaits = 0;
  let restingState: string | null = null;
  const finish = (problem: DriveProblem | null): DriveResult => ({ session, steps: stepsOf(exercise, session.log), ...injectsOf(exercise, session, problem === null), refusals: refusalsOf(session.log), problem, restingState: problem === null ? null : (restingState ?? session.state) });

  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (session.closed) return finish(null);
    const at = runner.pendingDecision();
    if (at !== null) {
      const { point, occurrence } = at;
      // After a refusal the answer key finishes that decision, so a half-accepted answer cannot loop.
      const answer = takenOver.has(`${point}#${occurrence}`) ? null : decide({ point, occurrence, context: session.context });
      if (answer !== null && 'wait' in answer) {
        runner.wait({ ms: answer.wait }, { actor: options.actor ?? 'trainee' });
        continue;
      }
      const decided = answer;
      const event = decided ?? answerKeyDecision(point, session.context, engine.reference);
      const result = runner.decide(event, { actor: decided === null ? 'auto' : (options.actor ?? 'trainee') });
      if (!result.ok) {
        takenOver.add(`${point}#${occurrence}`);
        if (options.onRefusal !== 'answer-key') return finish({ kind: 'refused-decision', point, occurrence, message: result.refusal.message, ...(result.refusal.code === undefined ? {} : { code: result.refusal.code }), event });
        const keyed = runner.decide(answerKeyDecision(point, session.context, engine.reference), { actor: 'auto' });
        if (!keyed.ok) throw new Error(`internal: the answer key was refused at ${session.state}: ${keyed.refusal.message}`);
      }
      continue;
    }
    const next = runner.nextScheduledMs();
    if (next === null) return finish({ kind: 'stuck', state: session.state });
    const injectNext = runner.nextInjectMs();
    if (injectNext === null || injectNext > next) {
      // Only the clock can move the tip on: the tip came to rest here, with nothing scripted left to come.
      if (injectNext === null) restingState ??= session.state;
      clockWaits += 1;
      if (clockWaits > MAX_CLOCK_FIRINGS && injectNext === null) return finish({ kind: 'stuck', state: session.state });
    }
    runner.wait({ until: 'next' }, { actor: options.actor ?? 'trainee' });
  }
  return finish(session.closed ? null : { kind: 'runaway', state: session.state });
}

/** The steps of a run, read off its log: decisions, injects (with the inject they came from) and timers. */
function stepsOf(exercise: Exercise, log: readonly AuditRecord[]): Step[] {
  const kindOf = new Map((exercise.injects ?? []).map((i) => [i.id, i.kind]));
  const steps: Step[] = [];
  for (const record of log.slice(1)) {
    const state = routingPath(record.from ?? record.to);
    if (record.eventId.startsWith(INJECT_ID_PREFIX)) {
      const id = record.eventId.slice(INJECT_ID_PREFIX.length);
      steps.push({ at: record.at, state, kind: 'inject', description: `${kindOf.get(id) ?? 'inject'}: ${describeEvent(record.event)}`, sourceId: id });
    } else if (record.event.type === 'INJECT.MESSAGE' && !log.some((r) => r.eventId === `${INJECT_ID_PREFIX}${String(record.event.injectId)}`)) {
      steps.push({ at: record.at, state, kind: 'inject', description: `message: ${String(record.event.text)}`, sourceId: String(record.event.injectId) });
    } else if (record.actor === 'clock' && isMachineRecord(record)) {
      steps.push({ at: record.at, state, kind: 'clock', description: record.event.type });
    } else if (isMachineRecord(record)) {
      steps.push({ at: record.at, state, kind: 'decision', description: describeEvent(record.event) });
    }
  }
  return steps;
}

/** Injects delivered, and the scripted ones that were not (with why), from the log. */
function injectsOf(exercise: Exercise, session: RoutingSession, finished: boolean): Pick<DriveResult, 'sentInjects' | 'unsentInjects'> {
  const sent = deliveredInjectsOf(session.log);
  const unsent: { id: string; why: string }[] = [];
  const held = new Map<string, string>();
  for (const record of session.log) {
    const id = typeof record.event.injectId === 'string' ? record.event.injectId : null;
    if (id === null) continue;
    if (record.event.type === 'INJECT.MESSAGE') held.delete(id);
    else if (record.event.type === 'INJECT.HELD') held.set(id, String(record.event.why));
    else if (record.event.type === 'INJECT.UNDELIVERED') {
      held.delete(id);
      unsent.push({ id, why: `it was not delivered: ${String(record.event.why)}` });
    }
  }
  for (const [id, why] of held) unsent.push({ id, why: `it is held (${why}) and never taken` });
  // A run that stopped on a problem says nothing of the injects it never came to.
  if (!finished) return { sentInjects: sent, unsentInjects: unsent };
  const dealt = new Set([...sent, ...unsent.map((u) => u.id)]);
  for (const inject of (exercise.injects ?? []).filter((i) => i.contingency !== true)) {
    if (dealt.has(inject.id)) continue;
    unsent.push({ id: inject.id, why: inject.when !== undefined ? `its state ${inject.when.state} (entry ${inject.when.occurrence ?? 1}) is never reached` : 'the tip is closed before its time' });
  }
  return { sentInjects: sent, unsentInjects: unsent };
}
