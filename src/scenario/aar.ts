// The after-action report (HSEEP's AAR/IP, DESIGN §14, issue 18): drafted from the evidence of graded
// sessions (a cohort's, or saved session files): an overview, per objective the P/S/M/U distribution with
// the decisions behind it, strengths and areas for improvement, a timeline on the simulated clock, a
// per-trainee appendix and an improvement plan that starts with rows drafted from the areas for improvement.
// Content only and pure: the renderers (aar-markdown.ts, aar-html.ts) lay it out. Same sessions, same model:
// every list is sorted by what it shows, never by the order the sessions came in.
import { CAVEAT_EFFECTS, isCaveatCode } from '../domain/caveats/codes.js';
import type { JurisdictionRegistry } from '../domain/reference/jurisdictions.js';
import type { Debrief } from './debrief.js';
import { DEFAULT_THRESHOLDS, type Exercise, type Rating, type Within } from './format.js';
import type { GradedDecision } from './grading.js';
import { capabilityWords, modeWords, outcomeWords, POINT_WORDS, spanWords, stateWords, utcWords, VERDICT_WORDS } from './plain-words.js';

export const AAR_RATINGS = ['P', 'S', 'M', 'U'] as const satisfies readonly Rating[];

/** How the grader's ratings come about (DESIGN §10, grading.ts), said once in the report. */
export const RATING_RULE = `A decision counts 1 when right, half when partly right and 0 when wrong (a late or hinted decision counts at most partly); an objective's score is the mean over the decisions serving it, rated against the exercise's rubric (by default P at ${DEFAULT_THRESHOLDS.P * 100} %, S from ${DEFAULT_THRESHOLDS.S * 100} %, M from ${DEFAULT_THRESHOLDS.M * 100} %, U below; U also when no decision was reached).`;

/** One graded session, as the report reads it. */
export interface AarSession {
  /** The server's session id, or the session file's name. */
  id: string;
  trainee: string;
  /** practice, assessment, or headless (a scripted run). */
  mode: string;
  exercise: { id: string; title: string };
  /** The full debrief: decisions, deadlines, caveats. Null for a results export's row, which has ratings only. */
  debrief: Debrief | null;
  /** A results row's ratings per objective id (used when there is no debrief). */
  ratings?: Readonly<Record<string, Rating>>;
  overall?: Rating | null;
  /** The exercise's named deadlines per objective id ("within 1h of the tip's arrival"), when the exercise is known. */
  deadlines?: Readonly<Record<string, string>>;
}

/** A row of the improvement plan: the instructor's (stored) or one drafted from an area for improvement. */
export interface PlanRow {
  /** The stored row's id; null for a suggested row. */
  id: string | null;
  action: string;
  capability: string;
  owner: string;
  /** A date (YYYY-MM-DD), or '' when not set. */
  due: string;
  suggested: boolean;
}

export type StoredPlanRow = Omit<PlanRow, 'suggested'> & { id: string };

export interface AarOptions {
  /** What the report covers: a cohort's name, or null for a set of files. */
  cohort?: string | null;
  /** The registry, to say what kind of wrong a wrong referral is (another country, channel, state, unit). */
  registry?: JurisdictionRegistry;
  /** The instructor's stored improvement plan. */
  plan?: readonly StoredPlanRow[];
}

export interface AarEvidence {
  trainee: string;
  session: string;
  mode: string;
  rating: Rating;
  /** The decisions serving the objective: "triage: P3, referral track (right)". */
  decisions: string[];
}

export interface AarObjective {
  exercise: { id: string; title: string };
  id: string;
  capability: string;
  description: string;
  deadline: string | null;
  counts: Record<Rating, number>;
  attempts: number;
  /** The mean of the attempts' scores (0 to 1), over the attempts with a debrief; null when none has one. */
  meanScore: number | null;
  evidence: AarEvidence[];
}

export const AREA_KINDS = ['objective', 'caveat', 'referral', 'late', 'hint', 'undo'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export interface AarArea {
  kind: AreaKind;
  capability: string;
  /** The finding, in one sentence. */
  text: string;
  /** How many attempts (or decisions) it concerns: the areas are listed most frequent first. */
  count: number;
  /** Who and where: "alice (session s-1): refer to US-TX-ICAC instead of US-TX-ICAC-HOU". */
  evidence: string[];
  /** The corrective action the plan suggests for it. */
  action: string;
}

export interface AarTimelineEntry {
  at: string;
  trainee: string;
  session: string;
  text: string;
}

export interface AarTraineeSession {
  id: string;
  exercise: { id: string; title: string };
  mode: string;
  from: string | null;
  to: string | null;
  outcome: string | null;
  overall: Rating | null;
  objectives: { id: string; rating: Rating }[];
  decisions: { point: string; yours: string; expected: string; verdict: string; notes: string[] }[];
  hintsUsed: number;
  undos: number;
  ratingsOnly: boolean;
}

export interface AarModel {
  title: string;
  cohort: string | null;
  overview: {
    exercises: { id: string; title: string; attempts: number; trainees: number; from: string | null; to: string | null }[];
    from: string | null;
    to: string | null;
    trainees: string[];
    attempts: number;
    modes: { mode: string; attempts: number }[];
    overall: Record<Rating, number>;
    /** Attempts known by their ratings only (a results export), without the decisions behind them. */
    ratingsOnly: number;
  };
  objectives: AarObjective[];
  strengths: string[];
  areas: AarArea[];
  timeline: { exercise: { id: string; title: string }; entries: AarTimelineEntry[] }[];
  trainees: { name: string; sessions: AarTraineeSession[] }[];
  plan: PlanRow[];
}

/** How many areas the plan drafts a row for. */
export const SUGGESTED_ROWS = 8;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const zeroCounts = (): Record<Rating, number> => ({ P: 0, S: 0, M: 0, U: 0 });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const pointWords = (d: Pick<GradedDecision, 'point' | 'occurrence'>) => `${POINT_WORDS[d.point]}${d.occurrence > 1 ? ` (${d.occurrence})` : ''}`;
const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
const who = (s: AarSession) => `${s.trainee} (${s.id})`;
const capabilityOfPoint = (d: GradedDecision) => capabilityWords(d.point === 'route' ? (d.expected.point === 'route' && d.expected.route === 'legal-process' ? 'legalProcess' : 'referral') : d.point);
const caveatText = (code: string) => (isCaveatCode(code) ? `${code} (${CAVEAT_EFFECTS[code].meaning})` : code);

/** The named deadlines of an exercise's objectives, for AarSession.deadlines. */
export function objectiveDeadlines(exercise: Pick<Exercise, 'objectives'>): Record<string, string> {
  const words = (w: Within) => (typeof w === 'string' ? `within ${w} of the tip's arrival` : `within ${w.limit} of ${w.from === 'state' ? 'reaching the decision' : "the tip's arrival"}`);
  return Object.fromEntries(exercise.objectives.flatMap((o) => (o.within === undefined ? [] : [[o.id, words(o.within)]])));
}

/** Sessions in a fixed order: by trainee, exercise, start on the simulated clock, id. */
function ordered(sessions: readonly AarSession[]): AarSession[] {
  const key = (s: AarSession) => [s.trainee, s.exercise.id, s.debrief?.clock.start ?? '', s.id];
  return [...sessions].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      const c = byText(ka[i] ?? '', kb[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

function ratingsOf(s: AarSession): Map<string, Rating> {
  if (s.debrief !== null) return new Map(s.debrief.objectives.map((o) => [o.objective, o.rating]));
  return new Map(Object.entries(s.ratings ?? {}).sort(([a], [b]) => byText(a, b)));
}

const decisionLine = (d: GradedDecision) => `${pointWords(d)}: ${d.words.yours} (${VERDICT_WORDS[d.verdict]}${d.late === undefined ? '' : `, late by ${spanWords(d.late.byMs)}`}${d.hinted === true ? ', hinted' : ''}${d.undone === true ? ', made again after an undo' : ''})`;

function objectivesOf(sessions: readonly AarSession[]): AarObjective[] {
  const found = new Map<string, AarObjective>();
  const scores = new Map<string, number[]>();
  for (const s of sessions) {
    const definitions = new Map((s.debrief?.objectives ?? []).map((o) => [o.objective, o]));
    for (const [id, rating] of ratingsOf(s)) {
      const key = `${s.exercise.id}\u0000${id}`;
      const definition = definitions.get(id);
      let objective = found.get(key);
      if (objective === undefined) {
        objective = { exercise: s.exercise, id, capability: '', description: '', deadline: null, counts: zeroCounts(), attempts: 0, meanScore: null, evidence: [] };
        found.set(key, objective);
      }
      // A results row knows no capability or description: any debrief of the same exercise does.
      if (definition !== undefined && objective.description === '') {
        objective.capability = capabilityWords(definition.capability);
        objective.description = definition.description;
      }
      objective.deadline ??= s.deadlines?.[id] ?? null;
      objective.counts[rating] += 1;
      objective.attempts += 1;
      const score = definition?.score;
      if (score !== undefined) scores.set(key, [...(scores.get(key) ?? []), score]);
      const serving = (s.debrief?.decisions ?? []).filter((d) => d.objective === id);
      objective.evidence.push({ trainee: s.trainee, session: s.id, mode: modeWords(s.mode), rating, decisions: s.debrief === null ? ['ratings only (no decisions in a results export)'] : serving.length === 0 ? ['no decision was reached'] : serving.map(decisionLine) });
    }
  }
  for (const [key, list] of scores) {
    const objective = found.get(key);
    if (objective !== undefined) objective.meanScore = list.reduce((sum, x) => sum + x, 0) / list.length;
  }
  return [...found.values()].sort((a, b) => byText(a.exercise.id, b.exercise.id) || byText(a.id, b.id));
}

function strengthsOf(objectives: readonly AarObjective[]): string[] {
  const strengths: string[] = [];
  for (const o of objectives) {
    const name = `${o.id} (${o.capability === '' || o.capability === o.id ? o.exercise.title : `${o.capability}, ${o.exercise.title}`})`;
    if (o.counts.P === o.attempts) strengths.push(`${name}: every attempt (${o.attempts}) performed without challenges.`);
    else if (o.counts.M + o.counts.U === 0) strengths.push(`${name}: every attempt (${o.attempts}) performed, ${plural(o.counts.S, 'attempt')} with some challenges.`);
    else if ((o.counts.P + o.counts.S) / o.attempts >= 0.75) strengths.push(`${name}: ${o.counts.P + o.counts.S} of ${o.attempts} attempts performed without or with some challenges.`);
  }
  return strengths;
}

/** The kind of a wrong referral, as an analyst sorts them. */
function referralKind(d: GradedDecision, registry: JurisdictionRegistry | undefined): string {
  const { yours, expected } = d;
  if (yours === null || yours.point !== 'route') return d.refused !== undefined ? 'no route chosen: every attempt was refused' : 'no route chosen';
  if (expected.point !== 'route') return 'a route where another decision was due';
  if (yours.route !== expected.route) return `${d.words.yours} instead of ${d.words.expected}`;
  const mine = registry?.jurisdictionById(yours.jurisdictionId ?? '') ?? null;
  const theirs = registry?.jurisdictionById(expected.jurisdictionId ?? '') ?? null;
  if (registry !== undefined && mine === null) return 'a referral to an agency the registry does not know';
  if (mine === null || theirs === null) return d.verdict === 'partly' ? 'a referral to the wrong unit' : 'a referral to another agency';
  if (mine.country !== theirs.country) return 'a referral to another country';
  if (mine.channel !== theirs.channel) return 'a referral to another channel';
  if (mine.region !== theirs.region) return 'a referral to another state';
  return 'a referral to the wrong unit of the right state';
}

interface Group {
  kind: AreaKind;
  capability: string;
  count: number;
  evidence: string[];
  trainees: Set<string>;
  detail: { text: string; action: string };
  /** For late decisions: the longest overrun. */
  worstMs?: number;
  /** For caveats: how many attempts the caveat applied in. */
  of?: number;
}

function areasOf(sessions: readonly AarSession[], objectives: readonly AarObjective[], registry: JurisdictionRegistry | undefined): AarArea[] {
  const groups = new Map<string, Group>();
  const add = (key: string, seed: Omit<Group, 'count' | 'evidence' | 'trainees'>, s: AarSession, evidence: string) => {
    let g = groups.get(key);
    if (g === undefined) {
      g = { ...seed, count: 0, evidence: [], trainees: new Set() };
      groups.set(key, g);
    }
    g.count += 1;
    g.evidence.push(`${who(s)}: ${evidence}`);
    g.trainees.add(s.trainee);
    return g;
  };
  const applied = new Map<string, number>();
  for (const s of sessions) {
    for (const d of s.debrief?.decisions ?? []) {
      if (d.expected.point === 'geolocation') for (const code of new Set(d.expected.caveats.map((t) => t.caveat))) applied.set(code, (applied.get(code) ?? 0) + 1);
      for (const code of [...new Set(d.missedCaveats.map((t) => t.caveat))].sort()) {
        const on = d.missedCaveats.filter((t) => t.caveat === code).map((t) => t.indicatorId ?? 'the tip as a whole');
        add(`caveat-missed ${code}`, { kind: 'caveat', capability: capabilityWords('geolocation'), detail: { text: `Missed caveat ${caveatText(code)}`, action: `Refresher on the ${code} caveat (${isCaveatCode(code) ? CAVEAT_EFFECTS[code].meaning : code}), then a drill where it applies` } }, s, `missed on ${on.join(', ')}`);
      }
      for (const code of [...new Set(d.extraCaveats.map((t) => t.caveat))].sort()) {
        const on = d.extraCaveats.filter((t) => t.caveat === code).map((t) => t.indicatorId ?? 'the tip as a whole');
        add(`caveat-extra ${code}`, { kind: 'caveat', capability: capabilityWords('geolocation'), detail: { text: `Caveat ${caveatText(code)} tagged where it does not apply`, action: `Review when ${code} applies and when it does not, with an indicator of each kind` } }, s, `tagged on ${on.join(', ')}`);
      }
      if (d.point === 'route' && d.verdict !== 'right') {
        const kind = referralKind(d, registry);
        add(`referral ${kind}`, { kind: 'referral', capability: capabilityOfPoint(d), detail: { text: `Wrong route or referral: ${kind}`, action: `Walk through the referral rules for ${kind.replace(/^a /, 'each ')} (the rule book's order: determining indicators, then jurisdiction)` } }, s, `${d.words.yours} where ${d.words.expected} was expected`);
      }
      if (d.late !== undefined) {
        const g = add(`late ${s.exercise.id} ${d.point} ${d.late.deadline}`, { kind: 'late', capability: capabilityOfPoint(d), worstMs: 0, detail: { text: `${capitalized(POINT_WORDS[d.point])} decided late against the deadline "${d.late.deadline}" (${s.exercise.title})`, action: `Practise ${POINT_WORDS[d.point]} against its deadline (${d.late.deadline}) on a paced clock` } }, s, `late by ${spanWords(d.late.byMs)}`);
        g.worstMs = Math.max(g.worstMs ?? 0, d.late.byMs);
      }
      if (d.hinted === true) add(`hint ${d.point}`, { kind: 'hint', capability: capabilityOfPoint(d), detail: { text: `Hints relied on for ${POINT_WORDS[d.point]}`, action: `Practise ${POINT_WORDS[d.point]} without hints before the next assessment` } }, s, `${decisionLine(d)}`);
      if (d.undone === true) add(`undo ${d.point}`, { kind: 'undo', capability: capabilityOfPoint(d), detail: { text: `Decisions on ${POINT_WORDS[d.point]} taken back and made again`, action: `Review the ${POINT_WORDS[d.point]} decisions that were taken back: what made the first one doubtful` } }, s, `${decisionLine(d)}`);
    }
  }
  for (const [key, g] of groups) if (key.startsWith('caveat-missed ')) g.of = applied.get(key.slice('caveat-missed '.length));
  const areas: AarArea[] = [];
  for (const o of objectives) {
    const weak = o.counts.M + o.counts.U;
    if (weak === 0) continue;
    areas.push({
      kind: 'objective',
      capability: o.capability,
      text: `Objective ${o.id}${o.description === '' ? '' : ` (${o.description})`}: ${weak} of ${o.attempts} attempts performed with major challenges or unable to be performed.`,
      count: weak,
      evidence: o.evidence.filter((e) => e.rating === 'M' || e.rating === 'U').map((e) => `${e.trainee} (${e.session}): ${e.rating}`),
      action: `Repeat the drill for objective ${o.id} (${o.exercise.title}) with a debrief of each decision`,
    });
  }
  for (const g of groups.values()) {
    const trainees = plural(g.trainees.size, 'trainee');
    const tail =
      g.kind === 'caveat' && g.of !== undefined
        ? `${g.count} of ${g.of} decisions where it applied (${trainees})`
        : g.kind === 'late'
          ? `${plural(g.count, 'decision')} (${trainees}), by up to ${spanWords(g.worstMs ?? 0)}`
          : `${plural(g.count, 'decision')} (${trainees})`;
    areas.push({ kind: g.kind, capability: g.capability, text: `${g.detail.text}: ${tail}.`, count: g.count, evidence: g.evidence, action: g.detail.action });
  }
  const rank = (k: AreaKind) => AREA_KINDS.indexOf(k);
  return areas.sort((a, b) => b.count - a.count || rank(a.kind) - rank(b.kind) || byText(a.text, b.text));
}

function timelineOf(sessions: readonly AarSession[]): AarModel['timeline'] {
  const byExercise = new Map<string, { exercise: AarSession['exercise']; entries: (AarTimelineEntry & { iso: string; order: number })[] }>();
  for (const s of sessions) {
    const d = s.debrief;
    if (d === null) continue;
    const group = byExercise.get(s.exercise.id) ?? { exercise: s.exercise, entries: [] };
    byExercise.set(s.exercise.id, group);
    const entry = (iso: string, order: number, text: string) => group.entries.push({ iso, order, at: utcWords(iso), trainee: s.trainee, session: s.id, text });
    entry(d.clock.start, 0, `started (${modeWords(s.mode)})`);
    d.decisions.forEach((x, i) => entry(x.at, i + 1, decisionLine(x)));
    entry(d.clock.end, d.decisions.length + 1, d.outcome === null ? `stopped ${stateWords(d.state)}` : outcomeWords(d.outcome));
  }
  return [...byExercise.values()]
    .sort((a, b) => byText(a.exercise.id, b.exercise.id))
    .map((g) => ({
      exercise: g.exercise,
      entries: g.entries.sort((a, b) => byText(a.iso, b.iso) || byText(a.trainee, b.trainee) || byText(a.session, b.session) || a.order - b.order).map(({ at, trainee, session, text }) => ({ at, trainee, session, text })),
    }));
}

function traineeSession(s: AarSession): AarTraineeSession {
  const d = s.debrief;
  const notes = (x: GradedDecision) => [
    ...(x.late === undefined ? [] : [`late by ${spanWords(x.late.byMs)} (due ${x.late.deadline})`]),
    ...(x.hinted === true ? ['a hint was used'] : []),
    ...(x.undone === true ? ['made again after an undo'] : []),
    ...(x.refused === undefined ? [] : [x.refused]),
    ...(x.refusedAttempts ?? []).map((r) => `refused first: ${r}`),
  ];
  return {
    id: s.id,
    exercise: s.exercise,
    mode: modeWords(s.mode),
    from: d === null ? null : utcWords(d.clock.start),
    to: d === null ? null : utcWords(d.clock.end),
    outcome: d === null ? null : d.outcome === null ? `not closed (${stateWords(d.state)})` : outcomeWords(d.outcome),
    overall: d?.overall.rating ?? s.overall ?? null,
    objectives: [...ratingsOf(s)].map(([id, rating]) => ({ id, rating })),
    decisions: (d?.decisions ?? []).map((x) => ({ point: pointWords(x), yours: x.words.yours, expected: x.words.expected, verdict: VERDICT_WORDS[x.verdict], notes: notes(x) })),
    hintsUsed: d?.hintsUsed ?? 0,
    undos: d?.undos ?? 0,
    ratingsOnly: d === null,
  };
}

function span(sessions: readonly AarSession[]): { from: string | null; to: string | null } {
  const starts = sessions.flatMap((s) => (s.debrief === null ? [] : [s.debrief.clock.start])).sort();
  const ends = sessions.flatMap((s) => (s.debrief === null ? [] : [s.debrief.clock.end])).sort();
  const from = starts[0];
  const to = ends[ends.length - 1];
  return { from: from === undefined ? null : utcWords(from), to: to === undefined ? null : utcWords(to) };
}

/** The improvement plan: the instructor's rows, then a drafted row for each of the most frequent areas they have not written up. */
function planOf(areas: readonly AarArea[], stored: readonly StoredPlanRow[]): PlanRow[] {
  const written = new Set(stored.map((r) => r.action.trim().toLowerCase()));
  const drafts = areas
    .filter((a) => !written.has(a.action.trim().toLowerCase()))
    .slice(0, SUGGESTED_ROWS)
    .map((a): PlanRow => ({ id: null, action: a.action, capability: a.capability, owner: '', due: '', suggested: true }));
  return [...stored.map((r): PlanRow => ({ ...r, suggested: false })), ...drafts];
}

/** Builds the report of a set of graded sessions (one exercise or several). */
export function buildAar(input: readonly AarSession[], options: AarOptions = {}): AarModel {
  // A results row knows its exercise by id only: any session of the same exercise that knows its title lends it.
  const titles = new Map<string, string>();
  for (const { exercise } of input) {
    const known = titles.get(exercise.id);
    if (known === undefined || (exercise.title !== exercise.id && (known === exercise.id || exercise.title < known))) titles.set(exercise.id, exercise.title);
  }
  const sessions = ordered(input.map((s) => ({ ...s, exercise: { id: s.exercise.id, title: titles.get(s.exercise.id) ?? s.exercise.title } })));
  const objectives = objectivesOf(sessions);
  const areas = areasOf(sessions, objectives, options.registry);
  const exerciseIds = [...new Set(sessions.map((s) => s.exercise.id))].sort();
  const exercises = exerciseIds.map((id) => {
    const mine = sessions.filter((s) => s.exercise.id === id);
    return { id, title: mine[0]?.exercise.title ?? id, attempts: mine.length, trainees: new Set(mine.map((s) => s.trainee)).size, ...span(mine) };
  });
  const modes = [...new Set(sessions.map((s) => modeWords(s.mode)))].sort().map((mode) => ({ mode, attempts: sessions.filter((s) => modeWords(s.mode) === mode).length }));
  const overall = zeroCounts();
  for (const s of sessions) {
    const rating = s.debrief?.overall.rating ?? s.overall ?? null;
    if (rating !== null) overall[rating] += 1;
  }
  const cohort = options.cohort ?? null;
  const names = [...new Set(sessions.map((s) => s.trainee))].sort(byText);
  const covers = cohort !== null ? cohort : exercises.length === 1 ? (exercises[0]?.title ?? '') : `${exercises.length} exercises`;
  return {
    title: `After-action report: ${covers}`,
    cohort,
    overview: { exercises, ...span(sessions), trainees: names, attempts: sessions.length, modes, overall, ratingsOnly: sessions.filter((s) => s.debrief === null).length },
    objectives,
    strengths: strengthsOf(objectives),
    areas,
    timeline: timelineOf(sessions),
    trainees: names.map((name) => ({ name, sessions: sessions.filter((s) => s.trainee === name).map(traineeSession) })),
    plan: planOf(areas, options.plan ?? []),
  };
}

/** A due date the plan accepts: a real calendar date, YYYY-MM-DD. */
export function isPlanDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return days !== undefined && d >= 1 && d <= days;
}
