// The debrief of a played exercise (DESIGN §10, issues 5 and 15): every trainee decision graded against the
// exercise (or the rule book), deadlines, hints and undos, ratings per objective, caveats missed and extra,
// time on the simulated clock. It is computed by replaying the session's log, so the same session always
// gives the same debrief. Decisions are read by their event types (TRIAGE.ASSIGN, GEO.*, ROUTE.*); records
// the grader does not know (clock advances, messages, timers) only move time on.
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { Tag } from '../domain/routing/context.js';
import { acceptedTip } from '../domain/routing/context.js';
import { chooseRoute } from '../domain/routing/route-choice.js';
import { priorityFor, trackFor } from '../domain/triage.js';
import { timeOf } from '../domain/indicators.js';
import { decisionPointOf, type AuditRecord, type Engine, type RoutingSession, type SessionRecord } from '../engine/index.js';
import { DEFAULT_THRESHOLDS, spanMs, type ActionDecision, type Exercise, type ExpectedAction, type Rating, type Within } from './format.js';
import { capVerdict, gradeDecision, rateObjectives, ratingFor, type GradeContext, type GradedDecision, type ObjectiveRating, type Verdict } from './grading.js';
import { DecisionCounts, decisionCompletedBy } from './state-entries.js';
import { refusalsOf, type RefusedDecision } from './refusals.js';
import { answerKeyAction } from './answer-key-action.js';
import { decisionWords, eventWords, refusedWords, spanWords } from './plain-words.js';

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
  /** Hints shown and decisions taken back, whatever they cost under the rubric. */
  hintsUsed: number;
  undos: number;
  /** Decisions the machine refused (each attempt, also those followed by an accepted one). */
  refusedAttempts: number;
}

/** A decision point and which time it is reached. */
export interface DecisionRef {
  point: DecisionPoint;
  occurrence: number;
}

export interface GradeOptions {
  /** Decisions a hint was shown for (besides the HINT.USED records of the log). */
  hinted?: readonly DecisionRef[];
  /** Decisions taken back by a practice undo and made again. */
  undone?: readonly DecisionRef[];
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

/** The rule book's reasons at this point, so a why can cite the rule the expected decision follows. */
function ruleContext(engine: Engine, session: RoutingSession, point: DecisionPoint, key: ActionDecision, caveatShare: number | undefined): GradeContext {
  const context: GradeContext = { registry: engine.reference.jurisdictions, ruleDecision: key, ...(caveatShare === undefined ? {} : { caveatShare }) };
  if (point === 'triage') {
    const tip = acceptedTip(session.context);
    return { ...context, reasons: { priority: priorityFor(tip).reason, track: trackFor(tip).reason } };
  }
  if (point === 'route' && session.context.assessment !== null) {
    const choice = chooseRoute(session.context.assessment, engine.reference.jurisdictions, session.context.declined, session.context.indicatorsVersion);
    return { ...context, reasons: { route: choice.reason } };
  }
  return context;
}

/** A deadline on a decision: the expected action's own, else its objective's. */
function deadlineOf(exercise: Exercise, action: ExpectedAction | undefined, objective: string | null): Within | undefined {
  return action?.within ?? exercise.objectives.find((o) => o.id === objective)?.within;
}

const limitOf = (within: Within) => (typeof within === 'string' ? { limit: within, from: 'arrival' as const } : within);


export function gradeSession(engine: Engine, exercise: Exercise, record: SessionRecord, refusals: readonly RefusedDecision[] = [], options: GradeOptions = {}): Debrief {
  const decisions: GradedDecision[] = [];
  const counts = new DecisionCounts();
  const rubric = exercise.rubric;
  const hinted = new Set((options.hinted ?? []).map((h) => `${h.point}#${h.occurrence}`));
  const undone = new Set((options.undone ?? []).map((h) => `${h.point}#${h.occurrence}`));
  // Every refused attempt: the runner's DECISION.REFUSED notes in the log, and those a caller kept beside it
  // (a headless run's), each once.
  const logged = refusalsOf(record.log);
  const attempts = [...logged, ...refusals.filter((r) => !logged.some((l) => l.point === r.point && l.occurrence === r.occurrence && l.message === r.message))];
  const attemptsAt = (ref: string) => attempts.filter((r) => `${r.point}#${r.occurrence}` === ref);
  const arrival = timeOf(record.log[0]?.at ?? record.now);
  let noted = 0;
  let pending: { point: DecisionPoint; since: number } | null = null;
  const session = engine.replay(record, {
    beforeEach(entry, current) {
      // Count the decisions made so far, so this record's decision point knows its occurrence.
      for (; noted < current.log.length; noted += 1) {
        const earlier = current.log[noted];
        if (earlier !== undefined) counts.note(earlier);
      }
      const point = decisionPointOf(current);
      // When the pending decision's state was entered: the time of the record that moved the tip there.
      if (point === null) pending = null;
      else if (pending?.point !== point) pending = { point, since: timeOf(current.log[current.log.length - 1]?.at ?? record.now) };
      if (point === null) return;
      const occurrence = counts.next(point);
      // A hint counts for the decision pending when it was shown.
      if (entry.event.type === 'HINT.USED') hinted.add(`${point}#${occurrence}`);
      if (decisionCompletedBy(entry.event.type) === null || entry.actor === 'instructor') return;
      const action = exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
      const key = answerKeyAction(point, current.context, engine);
      let expected: ActionDecision = action === undefined ? key : stripBookkeeping(action);
      // "refer" without a jurisdiction means the rule book's jurisdiction, as validation drove it.
      if (expected.point === 'route' && expected.route === 'refer' && expected.jurisdictionId === undefined && key.point === 'route' && key.jurisdictionId !== undefined) {
        expected = { ...expected, jurisdictionId: key.jurisdictionId };
      }
      const yours = yoursFrom(entry, current, point);
      const ref = `${point}#${occurrence}`;
      const tried = attemptsAt(ref);
      // No decision of the trainee's here: the answer key stepped in after the last refused attempt.
      const refused = yours !== null ? undefined : tried[tried.length - 1];
      const refusedText = refused === undefined ? undefined : refusedWords(refused.event, refused.message);
      const graded = refusedText !== undefined ? { ...gradeDecision(null, expected), why: refusedText } : gradeDecision(yours, expected, ruleContext(engine, current, point, key, rubric?.caveatShare));
      const objective = action?.objective ?? defaultObjective(exercise, point, expected);
      let verdict: Verdict = graded.verdict;
      const notes: string[] = [];

      const within = deadlineOf(exercise, action, objective);
      let late: GradedDecision['late'];
      let timing: GradedDecision['timing'];
      if (within !== undefined && yours !== null) {
        const { limit, from } = limitOf(within);
        const start = from === 'state' ? (pending?.since ?? arrival) : arrival;
        const usedMs = timeOf(entry.at) - start;
        const byMs = usedMs - spanMs(limit);
        timing = { usedMs, deadline: `within ${limit} of ${from === 'state' ? 'reaching this decision' : "the tip's arrival"}` };
        if (byMs > 0) {
          late = { byMs, deadline: `within ${limit} of ${from === 'state' ? 'reaching this decision' : "the tip's arrival"}` };
          verdict = capVerdict(verdict, 'partly');
          notes.push(`late by ${spanWords(byMs)} (due ${late.deadline})`);
        }
      }
      const wasHinted = hinted.has(ref) && yours !== null;
      if (wasHinted) {
        const best = rubric?.hinted ?? 'partly';
        if (capVerdict(verdict, best) !== verdict) notes.push(`a hint was used, so it counts at most ${best === 'partly' ? 'partly right' : best}`);
        else notes.push('a hint was used');
        verdict = capVerdict(verdict, best);
      }
      const wasUndone = undone.has(ref) && yours !== null;
      if (wasUndone) {
        const best = rubric?.undone ?? 'right';
        notes.push(capVerdict(verdict, best) !== verdict ? `made again after an undo, so it counts at most ${best === 'partly' ? 'partly right' : best}` : 'made again after an undo');
        verdict = capVerdict(verdict, best);
      }
      const before = yours === null ? [] : tried.map((r) => refusedWords(r.event, r.message));
      if (before.length > 0) notes.push(`refused first (${before.length === 1 ? 'one attempt' : `${before.length} attempts`}): ${before.join('; ')}`);
      const reason = entry.event.type === 'TRIAGE.ASSIGN' && typeof entry.event['reason'] === 'string' && yours !== null ? entry.event['reason'] : undefined;
      if (reason !== undefined) notes.push(`your reason: ${reason}`);
      if (action?.override !== undefined) notes.push(`local policy: ${action.override}`);
      decisions.push({
        point,
        occurrence,
        objective,
        yours,
        expected,
        ...graded,
        verdict,
        why: [graded.why, ...notes.map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}`)].join('. '),
        at: entry.at,
        expectedActionId: action?.id ?? null,
        ...(refusedText === undefined ? {} : { refused: refusedText }),
        ...(reason === undefined ? {} : { reason }),
        ...(late === undefined ? {} : { late }),
        ...(timing === undefined ? {} : { timing }),
        ...(before.length === 0 ? {} : { refusedAttempts: before }),
        ...(wasHinted ? { hinted: true } : {}),
        ...(wasUndone ? { undone: true } : {}),
        words: { yours: refused === undefined ? decisionWords(yours) : `${eventWords(refused.event)} (refused)`, expected: decisionWords(expected) },
      });
    },
  });
  const objectives = rateObjectives(exercise, decisions);
  // Overall: the mean over objectives, so an objective never reached (no decision) counts as 0.
  const score = objectives.length === 0 ? 0 : objectives.reduce((sum, o) => sum + o.score, 0) / objectives.length;
  const start = record.log[0]?.at ?? record.now;
  return {
    exercise: { id: exercise.id, title: exercise.title },
    outcome: session.outcome,
    state: session.state,
    decisions,
    objectives,
    overall: { score, rating: ratingFor(score, exercise.rubric?.default ?? DEFAULT_THRESHOLDS) },
    caveatsMissed: decisions.flatMap((d) => d.missedCaveats),
    caveatsExtra: decisions.flatMap((d) => d.extraCaveats),
    clock: { start, end: record.now, elapsedMs: timeOf(record.now) - timeOf(start) },
    hintsUsed: hinted.size,
    undos: undone.size,
    refusedAttempts: attempts.length,
  };
}

function stripBookkeeping(action: ExpectedAction): ActionDecision {
  const { id: _id, objective: _objective, occurrence: _occurrence, hint: _hint, override: _override, within: _within, ...decision } = action;
  return decision as ActionDecision;
}
