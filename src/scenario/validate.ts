// `tipflow validate`: an exercise is valid when it loads, its references hold, and it is solvable: driven
// in guided mode with its expected actions and every scripted inject, the tip reaches a closed state.
import type { RoutingEvent } from '../domain/events.js';
import { answerKeyDecision } from '../domain/routing/answer-key.js';
import type { RoutingContext, Tag } from '../domain/routing/context.js';
import { nextTagEvent, tagsNotIn } from '../domain/routing/tags.js';
import { indicatorsOf, timeOf } from '../domain/indicators.js';
import type { Engine, RefusalKind } from '../engine/index.js';
import { answerKeyAction } from './answer-key-action.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { checkAgencyInjects } from './inject-checks.js';
import { driveExercise, startTimeOf, type Decider, type DriveResult, type Step } from './drive.js';
import type { ActionDecision, Exercise, ExpectedAction } from './format.js';
import type { Tip } from '../domain/tip/schema.js';
import { loadExerciseText, type LoadedExercise } from './load.js';
import type { JsonPath } from './source-map.js';

export interface ValidationReport {
  file: string;
  diagnostics: Diagnostic[];
  /** The solvability run, when the file loaded. */
  steps: Step[];
  outcome: string | null;
}

const tagKey = (t: Tag) => `${t.indicatorId ?? 'tip'}:${t.caveat}`;

/** How an expected action differs from the answer key, or null when they agree. */
export function differenceFromAnswerKey(expected: ExpectedAction, key: ActionDecision): string | null {
  if (expected.point === 'triage' && key.point === 'triage') {
    if (expected.priority !== key.priority || expected.track !== key.track) return `the rule book says ${key.priority} ${key.track}`;
    return null;
  }
  if (expected.point === 'geolocation' && key.point === 'geolocation') {
    const missing = tagsNotIn(key.caveats, expected.caveats);
    const extra = tagsNotIn(expected.caveats, key.caveats);
    if (missing.length === 0 && extra.length === 0) return null;
    return `the rule book tags ${key.caveats.map(tagKey).join(', ') || 'nothing'}${missing.length > 0 ? `; not expected here: ${missing.map(tagKey).join(', ')}` : ''}${extra.length > 0 ? `; not in the rule book: ${extra.map(tagKey).join(', ')}` : ''}`;
  }
  if (expected.point === 'route' && key.point === 'route') {
    const jurisdictionDiffers = expected.route === 'refer' && expected.jurisdictionId !== undefined && expected.jurisdictionId !== key.jurisdictionId;
    if (expected.route !== key.route || jurisdictionDiffers) return `the rule book says ${key.route}${key.jurisdictionId === undefined ? '' : ` to ${key.jurisdictionId}`}`;
    return null;
  }
  return null;
}

/** The logged reason for a local-policy triage: the override itself when it fits a reason's 80 characters. */
function policyReason(expected: ExpectedAction): string {
  const override = expected.override ?? '';
  const oneLine = override.replace(/\s+/g, ' ').trim();
  return oneLine.length <= 80 ? oneLine : `local policy (expected action ${expected.id})`;
}

/** The field of an expected action where it departs from the rule book. */
function decisiveField(expected: ExpectedAction, key: ActionDecision): string {
  if (expected.point === 'triage' && key.point === 'triage') return expected.priority !== key.priority ? 'priority' : 'track';
  if (expected.point === 'route' && key.point === 'route') return expected.route !== key.route || expected.jurisdictionId === undefined ? 'route' : 'jurisdictionId';
  return 'caveats';
}

/** The field of an expected action the machine refused: the jurisdiction when the agency is the problem. */
function refusedField(expected: ExpectedAction, code: RefusalKind | undefined): string {
  if (expected.point === 'triage') return 'priority';
  if (expected.point === 'geolocation') return 'caveats';
  const agencyIsTheProblem = code === 'JURISDICTION_DECLINED' || code === 'UNKNOWN_JURISDICTION';
  return expected.route === 'refer' && expected.jurisdictionId !== undefined && agencyIsTheProblem ? 'jurisdictionId' : 'route';
}

/** The event an expected action calls for now (geolocation is a series of tags, then a confirmation). */
export function eventForExpectedAction(expected: ExpectedAction, context: RoutingContext, engine: Engine): RoutingEvent {
  switch (expected.point) {
    case 'triage':
      return { type: 'TRIAGE.ASSIGN', priority: expected.priority, track: expected.track, ...(expected.override === undefined ? {} : { reason: policyReason(expected) }) };
    case 'geolocation':
      return nextTagEvent(context.tags, expected.caveats) ?? { type: 'GEO.CONFIRM' };
    case 'route':
      if (expected.route === 'legal-process') return { type: 'ROUTE.LEGAL_PROCESS' };
      if (expected.route === 'informational') return { type: 'ROUTE.INFORMATIONAL' };
      if (expected.jurisdictionId !== undefined) return { type: 'ROUTE.REFER', jurisdictionId: expected.jurisdictionId };
      return answerKeyDecision('route', context, engine.reference);
  }
}

export function validateExerciseText(engine: Engine, text: string, file: string, readTipFile?: (path: string) => string): ValidationReport {
  const { loaded, diagnostics, salvaged } = loadExerciseText(text, file, readTipFile);
  // Every check runs in one round (issue 15): on what parsed when the file has errors, so an instructor
  // sees the field, reference and rule-book problems together instead of in four fix cycles.
  const target = loaded ?? salvaged;
  if (target === undefined) return { file, diagnostics, steps: [], outcome: null };
  const indices = loaded === null ? (salvaged?.indices ?? {}) : {};
  const seen = new Set(diagnostics.map((d) => `${d.file}:${d.line}:${d.column}:${d.message}`));
  const report = (path: JsonPath, severity: Severity, message: string, key = false) => {
    // A list that lost items that do not parse: point at the item's place in the file, not in what was kept.
    const [list, index] = path;
    const original = typeof list === 'string' && typeof index === 'number' ? indices[list]?.[index] : undefined;
    const at: JsonPath = original === undefined ? path : [list as string, original, ...path.slice(2)];
    const diagnostic = { file, ...target.map.positionOf(at, { key }), severity, message };
    const id = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
    if (!seen.has(id)) diagnostics.push(diagnostic);
    seen.add(id);
  };
  const complete = loaded !== null;
  checkReferences(target.exercise, target.tip, report, { complete, objectivesLeftOut: salvaged?.droppedIds['objectives'] ?? [] });
  checkAgencyInjects(target.exercise, engine.reference.jurisdictions, report);
  if (target.tip === null) return { file, diagnostics, steps: [], outcome: null };
  const run = checkSolvable(engine, { file, exercise: target.exercise, tip: target.tip, map: target.map }, report, complete && !diagnostics.some((d) => d.severity === 'error'));
  return { file, diagnostics, steps: run.steps, outcome: run.session.outcome };
}

type Report = (path: JsonPath, severity: Severity, message: string, key?: boolean) => void;

/** `complete`: nothing was left out for errors (else a missing expected action is no news); `objectivesLeftOut`: ids of objectives with errors. */
function checkReferences(exercise: Exercise, tip: Tip | null, report: Report, parts: { complete: boolean; objectivesLeftOut: readonly string[] }): void {
  const duplicates = (kind: string, list: readonly { id: string }[], at: string) => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      if (seen.has(item.id)) report([at, index, 'id'], 'error', `duplicate ${kind} id ${item.id}`);
      seen.add(item.id);
    });
  };
  duplicates('objective', exercise.objectives, 'objectives');
  duplicates('inject', exercise.injects ?? [], 'injects');
  duplicates('expected action', exercise.expectedActions, 'expectedActions');

  const objectives = new Set(exercise.objectives.map((o) => o.id));
  const leftOut = new Set(parts.objectivesLeftOut);
  exercise.expectedActions.forEach((action, index) => {
    if (!objectives.has(action.objective) && !leftOut.has(action.objective)) report(['expectedActions', index, 'objective'], 'error', `unknown objective ${action.objective} (objectives: ${[...objectives].join(', ')})`);
  });
  exercise.objectives.forEach((objective, index) => {
    if (parts.complete && !exercise.expectedActions.some((a) => a.objective === objective.id)) report(['objectives', index, 'id'], 'warning', `objective ${objective.id} has no expected action, so it cannot be rated`);
  });
  for (const id of Object.keys(exercise.rubric?.objectives ?? {})) {
    if (!objectives.has(id) && !leftOut.has(id)) report(['rubric', 'objectives', id], 'error', `rubric for unknown objective ${id}`, true);
  }
  const points = new Set<string>();
  exercise.expectedActions.forEach((action, index) => {
    const key = `${action.point}#${action.occurrence ?? 1}`;
    if (points.has(key)) report(['expectedActions', index, 'point'], 'error', `a second expected action for ${action.point} (occurrence ${action.occurrence ?? 1}); give it an occurrence`);
    points.add(key);
  });

  // The rest needs the tip; without one (its errors are reported) the injects' own rules are still checked.
  if (tip !== null) {
    const start = startTimeOf(exercise, tip);
    if (timeOf(start) < timeOf(tip.receivedAt)) report(['clock', 'start'], 'error', `the clock starts at ${start}, before the tip was received (${tip.receivedAt})`);
  }

  const indicatorIds = new Set(tip === null ? [] : indicatorsOf(tip).map((i) => i.id));
  (exercise.injects ?? []).forEach((inject, index) => {
    const timing = (inject.at === undefined ? 0 : 1) + (inject.when === undefined ? 0 : 1);
    if (timing === 2) report(['injects', index, 'when'], 'error', `inject ${inject.id} has both at and when; give one`);
    if (timing === 0 && inject.contingency !== true) report(['injects', index], 'error', `inject ${inject.id} needs at (+2h) or when (a state), unless it is a contingency`);
    if (tip !== null && inject.kind === 'subscriber-returned' && !indicatorIds.has(inject.indicatorId)) {
      report(['injects', index, 'indicatorId'], 'error', `the tip has no indicator ${inject.indicatorId} (it has ${[...indicatorIds].join(', ') || 'none'})`);
    }
    if (inject.kind === 'new-indicator' && (inject.ipEvent === undefined) === (inject.p2p === undefined)) {
      report(['injects', index], 'error', `new-indicator inject ${inject.id} carries exactly one of ipEvent or p2p`);
    }
    if (inject.kind === 'new-indicator' && inject.ipEvent !== undefined && inject.subjectId === undefined) {
      report(['injects', index], 'error', `new-indicator inject ${inject.id} with an ipEvent names its subjectId`);
    }
  });
  exercise.expectedActions.forEach((action, index) => {
    if (tip === null || action.point !== 'geolocation') return;
    action.caveats.forEach((t, c) => {
      if (t.indicatorId !== null && !indicatorIds.has(t.indicatorId) && !/^subjects\[\d+\]\.estimatedLocation$|ipEvents|p2p/.test(t.indicatorId)) {
        report(['expectedActions', index, 'caveats', c, 'indicatorId'], 'error', `the tip has no indicator ${t.indicatorId}`);
      }
    });
  });
}

/**
 * Drives the exercise with its expected actions. `complete`: the file had no error so far; otherwise parts
 * may be missing, so only the rule-book and refusal errors are reported (not "stuck" or unreachable ones,
 * which a missing inject or action would cause).
 */
function checkSolvable(engine: Engine, loaded: LoadedExercise, report: Report, complete: boolean): DriveResult {
  const { exercise, tip } = loaded;
  const indexOf = new Map(exercise.expectedActions.map((a, i) => [a, i]));
  const checked = new Set<ExpectedAction>();
  const decide: Decider = ({ point, occurrence, context }) => {
    const expected = exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
    if (expected === undefined) return null;
    if (!checked.has(expected)) {
      checked.add(expected);
      const index = indexOf.get(expected) ?? 0;
      const difference = differenceFromAnswerKey(expected, answerKeyAction(point, context, engine));
      if (difference !== null && expected.override === undefined) {
        report(['expectedActions', index, decisiveField(expected, answerKeyAction(point, context, engine))], 'error', `expected action ${expected.id} differs from the rule book (${difference}); if that is your local policy, say why in override:`);
      }
      if (difference === null && expected.override !== undefined) {
        report(['expectedActions', index, 'override'], 'warning', `expected action ${expected.id} has an override but agrees with the rule book`, true);
      }
    }
    return eventForExpectedAction(expected, context, engine);
  };
  const run = driveExercise(engine, exercise, tip, decide);
  const problem = run.problem;
  if (problem?.kind === 'refused-decision') {
    const expected = exercise.expectedActions.find((a) => a.point === problem.point && (a.occurrence ?? 1) === problem.occurrence);
    const path: JsonPath = expected === undefined ? ['expectedActions'] : ['expectedActions', indexOf.get(expected) ?? 0, refusedField(expected, problem.code)];
    report(path, 'error', `not solvable: at ${problem.point} (occurrence ${problem.occurrence}) the machine cannot take ${problem.event.type}: ${problem.message}`);
  } else if (problem !== null && complete) {
    // Point at the last expected action taken: the tip came to rest after it.
    const last = [...checked].pop();
    const path: JsonPath = last === undefined ? ['expectedActions'] : ['expectedActions', indexOf.get(last) ?? 0];
    report(path, 'error', `not solvable: the tip stops in ${run.restingState ?? problem.state} with nothing scripted to move it on (add an inject such as agency-acknowledge, or an expected action)`);
  }
  if (!complete) return run;
  exercise.expectedActions.forEach((action, index) => {
    if (!checked.has(action) && problem === null) report(['expectedActions', index], 'warning', `expected action ${action.id} is never reached (${action.point}, occurrence ${action.occurrence ?? 1})`);
  });
  for (const unsent of run.unsentInjects) {
    const index = (exercise.injects ?? []).findIndex((i) => i.id === unsent.id);
    report(['injects', index], 'warning', `inject ${unsent.id} is unreachable: ${unsent.why}`);
  }
  return run;
}
