// The debrief of a played exercise (issue 5): every trainee decision graded against the exercise (or the
// rule book), ratings per objective, caveats missed and extra, time on the simulated clock. It is computed
// by replaying the session's log, so the same session always gives the same debrief.
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { Tag } from '../domain/routing/context.js';
import { timeOf } from '../domain/indicators.js';
import { decisionPointOf, type AuditRecord, type Engine, type RoutingSession, type SessionRecord } from '../engine/index.js';
import { DEFAULT_THRESHOLDS, type ActionDecision, type Exercise, type Rating } from './format.js';
import { gradeDecision, rateObjectives, ratingFor, type GradedDecision, type ObjectiveRating } from './grading.js';
import { DecisionCounts, decisionCompletedBy } from './state-entries.js';
import { describeEvent, type RefusedDecision } from './drive.js';
import { answerKeyAction } from './validate.js';

export interface Debrief {
  exercise: { id: string; title: string };
  outcome: string | null;
  state: string;
  decisions: GradedDecision[];
  objectives: ObjectiveRating[];
  overall: { score: number; rating: Rating };
  caveatsMissed: Tag[];
  caveatsExtra: Tag[];
  clock: { start: string; end: string; elapsedMs: number };
}


function yoursFrom(entry: AuditRecord, session: RoutingSession, point: DecisionPoint): ActionDecision | null {
  if (entry.actor === 'auto') return null; // the answer key stepped in: no decision was made
  const e = entry.event;
  if (point === 'triage' && e.type === 'TRIAGE.ASSIGN') return { point, priority: e.priority as 'P1', track: e.track as 'referral' };
  if (point === 'geolocation' && e.type === 'GEO.CONFIRM') return { point, caveats: session.context.tags };
  if (point === 'route') {
    if (e.type === 'ROUTE.REFER') return { point, route: 'refer', jurisdictionId: String(e.jurisdictionId) };
    if (e.type === 'ROUTE.LEGAL_PROCESS') return { point, route: 'legal-process' };
    if (e.type === 'ROUTE.INFORMATIONAL') return { point, route: 'informational' };
  }
  return null;
}

function defaultObjective(exercise: Exercise, point: DecisionPoint, expected: ActionDecision): string | null {
  const capability = point === 'route' ? (expected.point === 'route' && expected.route === 'legal-process' ? 'legalProcess' : 'referral') : point;
  return exercise.objectives.find((o) => o.capability === capability)?.id ?? null;
}

export function gradeSession(engine: Engine, exercise: Exercise, record: SessionRecord, refusals: readonly RefusedDecision[] = []): Debrief {
  const decisions: GradedDecision[] = [];
  const counts = new DecisionCounts();
  let noted = 0;
  const session = engine.replay(record, {
    beforeEach(entry, current) {
      // Count the states entered so far, so this record's decision point knows its occurrence.
      for (; noted < current.log.length; noted += 1) {
        const earlier = current.log[noted];
        if (earlier !== undefined) counts.note(earlier);
      }
      if (decisionCompletedBy(entry.event.type) === null || entry.actor === 'instructor') return;
      const point = decisionPointOf(current);
      if (point === null) return;
      const occurrence = counts.next(point);
      const action = exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
      const key = answerKeyAction(point, current.context, engine);
      let expected: ActionDecision = action === undefined ? key : stripBookkeeping(action);
      // "refer" without a jurisdiction means the rule book's jurisdiction, as validation drove it.
      if (expected.point === 'route' && expected.route === 'refer' && expected.jurisdictionId === undefined && key.point === 'route' && key.jurisdictionId !== undefined) {
        expected = { ...expected, jurisdictionId: key.jurisdictionId };
      }
      const yours = yoursFrom(entry, current, point);
      const refused = refusals.find((r) => r.point === point && r.occurrence === occurrence);
      const graded = refused !== undefined && yours === null ? { ...gradeDecision(null, expected), why: `your decision (${describeEvent(refused.event)}) was refused: ${refused.message}` } : gradeDecision(yours, expected);
      decisions.push({
        point,
        occurrence,
        objective: action?.objective ?? defaultObjective(exercise, point, expected),
        yours,
        expected,
        ...graded,
        why: [graded.why, action?.hint, action?.override === undefined ? null : `local policy: ${action.override}`].filter(Boolean).join('. '),
        at: entry.at,
        expectedActionId: action?.id ?? null,
        ...(refused !== undefined && yours === null ? { refused: describeEvent(refused.event) } : {}),
      });
    },
  });
  const objectives = rateObjectives(exercise, decisions);
  // Overall: the mean over objectives, so an objective never reached (no decision) counts as 0.
  const score = objectives.length === 0 ? 0 : objectives.reduce((sum, o) => sum + o.score, 0) / objectives.length;
  const start = record.log[0]?.at ?? record.now;
  return {
    exercise: { id: exercise.id, title: exercise.title },
    outcome: session.context.outcome,
    state: session.state,
    decisions,
    objectives,
    overall: { score, rating: ratingFor(score, exercise.rubric?.default ?? DEFAULT_THRESHOLDS) },
    caveatsMissed: decisions.flatMap((d) => d.missedCaveats),
    caveatsExtra: decisions.flatMap((d) => d.extraCaveats),
    clock: { start, end: record.now, elapsedMs: timeOf(record.now) - timeOf(start) },
  };
}

function stripBookkeeping(action: Exercise['expectedActions'][number]): ActionDecision {
  const { id: _id, objective: _objective, occurrence: _occurrence, hint: _hint, override: _override, ...decision } = action;
  return decision as ActionDecision;
}
