// Grading (issue 5): each trainee decision against the exercise's expected action (or the rule book's
// answer key where the exercise expects nothing), then a P/S/M/U rating per objective. Pure.
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { Tag } from '../domain/routing/context.js';
import { DEFAULT_THRESHOLDS, type ActionDecision, type Exercise, type Rating, type Thresholds } from './format.js';

export type Verdict = 'right' | 'partly' | 'wrong';
export const VERDICT_SCORE: Readonly<Record<Verdict, number>> = { right: 1, partly: 0.5, wrong: 0 };

export interface GradedDecision {
  point: DecisionPoint;
  occurrence: number;
  /** Objective the decision serves (the expected action's, or the capability's default). */
  objective: string | null;
  yours: ActionDecision | null;
  expected: ActionDecision;
  verdict: Verdict;
  /** Why: what differs, and the rule or hint behind the expected decision. */
  why: string;
  missedCaveats: Tag[];
  extraCaveats: Tag[];
  /** Simulated time of the decision, ISO. */
  at: string;
  expectedActionId: string | null;
  /** A decision the machine refused (the answer key then continued), in words. */
  refused?: string;
}

const tagText = (t: Tag) => `${t.caveat}${t.indicatorId === null ? '' : ` on ${t.indicatorId}`}`;
const sameTag = (a: Tag, b: Tag) => a.indicatorId === b.indicatorId && a.caveat === b.caveat;

export function describeDecision(d: ActionDecision | null): string {
  if (d === null) return 'no decision';
  switch (d.point) {
    case 'triage':
      return `${d.priority}, ${d.track} track`;
    case 'geolocation':
      return d.caveats.length === 0 ? 'no caveats' : d.caveats.map(tagText).join('; ');
    case 'route':
      return d.route === 'refer' ? `refer to ${d.jurisdictionId ?? '?'}` : d.route;
  }
}

/** Compares one decision with what was expected. */
export function gradeDecision(yours: ActionDecision | null, expected: ActionDecision): Pick<GradedDecision, 'verdict' | 'why' | 'missedCaveats' | 'extraCaveats'> {
  const none = { missedCaveats: [] as Tag[], extraCaveats: [] as Tag[] };
  if (yours === null) return { ...none, verdict: 'wrong', why: 'no decision was made here' };
  if (expected.point === 'triage' && yours.point === 'triage') {
    const priorityRight = yours.priority === expected.priority;
    const trackRight = yours.track === expected.track;
    if (priorityRight && trackRight) return { ...none, verdict: 'right', why: 'priority and track as expected' };
    const wrongParts = [priorityRight ? null : `priority ${yours.priority} instead of ${expected.priority}`, trackRight ? null : `track ${yours.track} instead of ${expected.track}`].filter(Boolean);
    return { ...none, verdict: priorityRight || trackRight ? 'partly' : 'wrong', why: wrongParts.join('; ') };
  }
  if (expected.point === 'geolocation' && yours.point === 'geolocation') {
    const missed = expected.caveats.filter((t) => !yours.caveats.some((y) => sameTag(y, t)));
    const extra = yours.caveats.filter((t) => !expected.caveats.some((e) => sameTag(e, t)));
    if (missed.length === 0 && extra.length === 0) return { missedCaveats: [], extraCaveats: [], verdict: 'right', why: 'every caveat tagged, none extra' };
    const correct = yours.caveats.length - extra.length;
    const total = expected.caveats.length + extra.length;
    const verdict: Verdict = total > 0 && correct / total >= 0.5 ? 'partly' : 'wrong';
    const why = [missed.length > 0 ? `missed ${missed.map(tagText).join('; ')}` : null, extra.length > 0 ? `extra ${extra.map(tagText).join('; ')}` : null].filter(Boolean).join('; ');
    return { missedCaveats: missed, extraCaveats: extra, verdict, why };
  }
  if (expected.point === 'route' && yours.point === 'route') {
    if (yours.route !== expected.route) return { ...none, verdict: 'wrong', why: `${describeDecision(yours)} instead of ${describeDecision(expected)}` };
    if (expected.route === 'refer' && expected.jurisdictionId !== undefined && yours.jurisdictionId !== expected.jurisdictionId) {
      return { ...none, verdict: 'partly', why: `referred, but to ${yours.jurisdictionId ?? '?'} instead of ${expected.jurisdictionId}` };
    }
    return { ...none, verdict: 'right', why: 'route as expected' };
  }
  return { ...none, verdict: 'wrong', why: `a ${yours.point} decision where a ${expected.point} decision was due` };
}

export interface ObjectiveRating {
  objective: string;
  capability: string;
  description: string;
  decisions: number;
  score: number;
  rating: Rating;
}

export function ratingFor(score: number, thresholds: Thresholds): Rating {
  if (score >= thresholds.P) return 'P';
  if (score >= thresholds.S) return 'S';
  if (score >= thresholds.M) return 'M';
  return 'U';
}

/** P/S/M/U per objective: the mean score of the decisions serving it, against the rubric's thresholds. */
export function rateObjectives(exercise: Exercise, graded: readonly GradedDecision[]): ObjectiveRating[] {
  return exercise.objectives.map((objective) => {
    const mine = graded.filter((g) => g.objective === objective.id);
    const score = mine.length === 0 ? 0 : mine.reduce((sum, g) => sum + VERDICT_SCORE[g.verdict], 0) / mine.length;
    const thresholds = exercise.rubric?.objectives?.[objective.id] ?? exercise.rubric?.default ?? DEFAULT_THRESHOLDS;
    return {
      objective: objective.id,
      capability: objective.capability,
      description: objective.description,
      decisions: mine.length,
      score,
      rating: mine.length === 0 ? 'U' : ratingFor(score, thresholds),
    };
  });
}
