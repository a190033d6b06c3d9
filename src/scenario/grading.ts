// Grading (DESIGN §10, issue 15): each trainee decision against the exercise's expected action (or the rule
// book's answer key where the exercise expects nothing), then a P/S/M/U rating per objective. Partial credit
// exists only where DESIGN defines it: a caveat list that shares enough with the expected one (the rubric's
// share), and a referral to the right country and channel but the wrong unit. The "why" is written from
// the actual difference between the two decisions, never from a hint that may not apply. Pure.
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { Tag } from '../domain/routing/context.js';
import { tagsNotIn } from '../domain/routing/tags.js';
import { CHANNEL_TEXT, type Jurisdiction, type JurisdictionRegistry } from '../domain/reference/jurisdictions.js';
import { priorityRank } from '../domain/triage.js';
import { DEFAULT_THRESHOLDS, type ActionDecision, type Exercise, type Rating, type Thresholds } from './format.js';
import { caveatMeaning, decisionWords, tagWords } from './plain-words.js';

export type Verdict = 'right' | 'partly' | 'wrong';
export const VERDICT_SCORE: Readonly<Record<Verdict, number>> = { right: 1, partly: 0.5, wrong: 0 };
/** The default share of caveats in common for "partly right" (DESIGN §10: "by the rubric's share"). */
export const DEFAULT_CAVEAT_SHARE = 0.5;

export interface GradedDecision {
  point: DecisionPoint;
  occurrence: number;
  /** Objective the decision serves (the expected action's, or the capability's default). */
  objective: string | null;
  yours: ActionDecision | null;
  expected: ActionDecision;
  verdict: Verdict;
  /** Why: what differs, and the rule behind the expected decision. */
  why: string;
  missedCaveats: Tag[];
  extraCaveats: Tag[];
  /** Simulated time of the decision, ISO. */
  at: string;
  expectedActionId: string | null;
  /** A decision the machine refused (the answer key then continued), in the analyst's words. */
  refused?: string;
  /** The trainee's own reason, when the decision carried one (a lowered priority). */
  reason?: string;
  /** A deadline the decision missed: by how much, and which deadline. */
  late?: { byMs: number; deadline: string };
  /** For a decision with a deadline: how long it took, from where the deadline counts. */
  timing?: { usedMs: number; deadline: string };
  /** Attempts at this decision the machine refused before the accepted one, in the analyst's words. */
  refusedAttempts?: string[];
  /** A hint was shown for this decision before it was made. */
  hinted?: boolean;
  /** The decision was taken back (practice undo) and made again. */
  undone?: boolean;
  /** The yours and expected columns in the analyst's words (the terminal, Markdown and the web show these). */
  words: { yours: string; expected: string };
}

/** What the grader may know besides the two decisions, to explain the difference. */
export interface GradeContext {
  registry?: JurisdictionRegistry;
  /** The rule book's reasons for its decision here, cited when the expected decision is the rule book's. */
  reasons?: { priority?: string; track?: string; route?: string };
  /** The rule book's own decision here (so a why cites the rule only when the expectation is the rule's). */
  ruleDecision?: ActionDecision;
  caveatShare?: number;
}

type Grade = Pick<GradedDecision, 'verdict' | 'why' | 'missedCaveats' | 'extraCaveats'>;

const sameDecision = (a: ActionDecision | undefined, b: ActionDecision) => a !== undefined && decisionWords(a) === decisionWords(b);
const percent = (x: number) => `${Math.round(x * 100)}%`;

/** A decision in the analyst's words (the yours / expected columns). */
export const describeDecision = decisionWords;

/** A rule book reason without its heading: "Priority P1 (exigent): the report is annotated sextortion." → "the report is annotated sextortion". */
const plainReason = (reason: string) => reason.replace(/^(Priority|Track|Refer to|Legal process|Informational)[^:]*: /, '').replace(/\.$/, '');

/** The better of two verdicts is capped at `best`: a late or hinted decision counts at most partly. */
export function capVerdict(verdict: Verdict, best: Verdict): Verdict {
  return VERDICT_SCORE[verdict] <= VERDICT_SCORE[best] ? verdict : best;
}

/** Compares one decision with what was expected, and says why from the actual difference. */
export function gradeDecision(yours: ActionDecision | null, expected: ActionDecision, context: GradeContext = {}): Grade {
  const none = { missedCaveats: [] as Tag[], extraCaveats: [] as Tag[] };
  if (yours === null) return { ...none, verdict: 'wrong', why: 'no decision was made here' };
  const ruleAgrees = sameDecision(context.ruleDecision, expected);
  const clause = (reason: string | undefined) => (ruleAgrees && reason !== undefined ? plainReason(reason) : null);
  const because = (reason: string | undefined) => (clause(reason) === null ? '' : ` (${clause(reason) ?? ''})`);
  if (expected.point === 'triage' && yours.point === 'triage') {
    if (yours.priority === expected.priority && yours.track === expected.track) return { ...none, verdict: 'right', why: 'priority and track as expected' };
    const parts: string[] = [];
    if (yours.priority !== expected.priority) {
      const lowered = priorityRank(yours.priority) > priorityRank(expected.priority);
      parts.push(
        expected.priority === 'P1' && lowered
          ? `priority ${yours.priority} on an exigent tip${because(context.reasons?.priority)}: it is P1, and an exigent tip is never lowered`
          : `priority ${yours.priority} instead of ${expected.priority}${because(context.reasons?.priority)}`,
      );
    }
    if (yours.track !== expected.track) parts.push(`track ${yours.track} instead of ${expected.track}${because(context.reasons?.track)}`);
    return { ...none, verdict: 'wrong', why: parts.join('; ') };
  }
  if (expected.point === 'geolocation' && yours.point === 'geolocation') return gradeCaveats(yours.caveats, expected.caveats, context.caveatShare ?? DEFAULT_CAVEAT_SHARE);
  if (expected.point === 'route' && yours.point === 'route') {
    if (yours.route !== expected.route) return { ...none, verdict: 'wrong', why: `${decisionWords(yours)} instead of ${decisionWords(expected)}${because(context.reasons?.route)}` };
    if (expected.route === 'refer' && expected.jurisdictionId !== undefined && yours.jurisdictionId !== expected.jurisdictionId) {
      return { ...none, ...gradeJurisdiction(yours.jurisdictionId ?? '?', expected.jurisdictionId, context.registry, clause(context.reasons?.route)) };
    }
    return { ...none, verdict: 'right', why: 'route as expected' };
  }
  return { ...none, verdict: 'wrong', why: `a ${yours.point} decision where a ${expected.point} decision was due` };
}

/**
 * Caveats: right when the lists are the same; partly when the share in common (twice the right tags over
 * the expected plus yours, so missing and extra weigh alike) reaches the rubric's share; wrong otherwise.
 */
function gradeCaveats(yours: readonly Tag[], expected: readonly Tag[], share: number): Grade {
  const missed = tagsNotIn(expected, yours);
  const extra = tagsNotIn(yours, expected);
  if (missed.length === 0 && extra.length === 0) return { missedCaveats: [], extraCaveats: [], verdict: 'right', why: 'every caveat tagged, none extra' };
  const right = yours.length - extra.length;
  const inCommon = expected.length + yours.length === 0 ? 1 : (2 * right) / (expected.length + yours.length);
  const verdict: Verdict = right > 0 && inCommon >= share ? 'partly' : 'wrong';
  const parts = [
    missed.length > 0 ? `missed ${missed.map((t) => `${tagWords(t)} (${caveatMeaning(t.caveat)})`).join('; ')}` : null,
    extra.length > 0 ? `extra ${extra.map(tagWords).join('; ')} (${extra.length === 1 ? 'it does' : 'they do'} not apply here)` : null,
  ].filter(Boolean);
  const tally = expected.length === 0 ? 'No caveat applies to this tip' : `${right} of ${expected.length} expected caveat${expected.length === 1 ? '' : 's'} tagged, ${extra.length === 0 ? 'none' : extra.length} extra: ${percent(inCommon)} in common, partly right from ${percent(share)}`;
  return { missedCaveats: missed, extraCaveats: extra, verdict, why: `${parts.join('; ')}. ${tally}` };
}

const where = (j: Jurisdiction) => (j.region === null ? j.country : `${j.region}, ${j.country}`);

/**
 * A referral to another agency than expected: partly only for the wrong unit of the right country, channel
 * and state (a state task force instead of its listed city's); another country, channel or state is wrong.
 * `rule` is the rule book's clause ("the primary location is Houston, TX, US") when it backs the expectation.
 */
function gradeJurisdiction(yoursId: string, expectedId: string, registry: JurisdictionRegistry | undefined, rule: string | null): Pick<Grade, 'verdict' | 'why'> {
  const goesTo = `${rule === null ? '' : `${rule}, so `}the tip goes to ${expectedId}`;
  if (registry === undefined) return { verdict: 'wrong', why: `referred to ${yoursId}; ${goesTo}` };
  const yours = registry.jurisdictionById(yoursId);
  const expected = registry.jurisdictionById(expectedId);
  if (yours === null) return { verdict: 'wrong', why: `${yoursId} is not an agency of the registry; ${goesTo}` };
  if (expected === null) return { verdict: 'wrong', why: `referred to ${yoursId}; ${goesTo}` };
  if (yours.country !== expected.country) return { verdict: 'wrong', why: `${yoursId} serves another country (${yours.country}); ${goesTo} (${expected.country})` };
  if (yours.channel !== expected.channel) {
    return { verdict: 'wrong', why: `${yoursId} is another channel (${CHANNEL_TEXT[yours.channel]}); ${goesTo} (${CHANNEL_TEXT[expected.channel]})` };
  }
  if (yours.region !== expected.region) return { verdict: 'wrong', why: `${yoursId} serves another state (${where(yours)}); ${goesTo} (${where(expected)})` };
  const cities = (id: string) => registry.reference.us.find((e) => e.id === id)?.cities ?? [];
  const expectedCities = cities(expectedId);
  const yourCities = cities(yoursId);
  const unit =
    expectedCities.length > 0 && yourCities.length === 0
      ? `${yoursId} is the state's task force, but ${expectedCities.join(', ')} ${expectedCities.length === 1 ? 'has' : 'have'} its own, ${expectedId} (a listed city wins over its state's task force)`
      : yourCities.length > 0 && expectedCities.length === 0
        ? `${yoursId} covers only ${yourCities.join(', ')}; ${goesTo}, the state's task force`
        : `${yoursId} instead of ${expectedId}`;
  return { verdict: 'partly', why: `the right country and channel, the wrong unit: ${unit}` };
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
export function rateObjectives(exercise: Exercise, graded: readonly Pick<GradedDecision, 'objective' | 'verdict'>[]): ObjectiveRating[] {
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
