// `tipflow generate` (issue 15, item 3): a valid, solvable exercise from a seed whose lesson decides an
// expected action: the caveat is expected on the indicator it decides (the primary one, or the one it takes
// out of the deciding ones), the route goes through the channel, or the outcome is reached. The tip is
// built around the lesson, the rest of it drawn from the volume simulator's mix (lesson-tips.ts). Every
// decision the run meets, including those after a subscriber return, has an expected action and a hint.
// Same seed and lesson, same file, byte for byte; different lessons of one seed, different tips.
import { stringify } from 'yaml';
import { isCaveatCode } from '../domain/caveats/codes.js';
import { CAVEAT_EFFECTS } from '../domain/caveats/codes.js';
import { CHANNELS } from '../domain/reference/jurisdictions.js';
import { legalProcessCandidates, type GeoAssessment } from '../domain/assessment.js';
import { acceptedTip } from '../domain/routing/context.js';
import { chooseRoute } from '../domain/routing/route-choice.js';
import { tipSchema, type Tip } from '../domain/tip/schema.js';
import { priorityFor, trackFor } from '../domain/triage.js';
import { routeResultOf, runAutoDriver, type Engine, type RouteResult } from '../engine/index.js';
import { readSimParams } from '../sim/params-file.js';
import type { SimParams } from '../sim/params.js';
import { Rng } from '../sim/prng.js';
import { driveExercise } from './drive.js';
import { EXERCISE_FORMAT, type ActionDecision, type ExpectedAction, type Exercise, type Inject } from './format.js';
import { excludesIndicator, LessonTips } from './lesson-tips.js';
import { tagWords } from './plain-words.js';
import { answerKeyAction } from './answer-key-action.js';

export const GENERATED_LESSONS = ['informational', 'legal-process', 'referred'] as const;
/** Every lesson `generate` can teach: the caveat codes, the channels, the outcomes. */
export const ALL_LESSONS: readonly string[] = [...Object.keys(CAVEAT_EFFECTS), ...CHANNELS, ...GENERATED_LESSONS];
const MAX_ATTEMPTS = 60;
/** The `$schema` line: the schema's own id, the same wherever the file is written (see README). */
export const SCENARIO_SCHEMA_ID = 'https://tipflow.example.org/schema/scenario.json';

export class GenerateError extends Error {}

export function isKnownLesson(lesson: string): boolean {
  return ALL_LESSONS.includes(lesson);
}

/**
 * Does `lesson` decide an expected action of this routed tip? A caveat is expected on the primary
 * indicator (or, for one that takes its indicator out of the deciding ones, on an indicator when nothing
 * of the network class decides); a tip-level caveat is on the tip; a channel is the referral's; an
 * outcome is reached. Always on the referral track (the informational track never reaches geolocation).
 */
export function lessonDecides(lesson: string, result: RouteResult, assessment: GeoAssessment | null): boolean {
  if (isCaveatCode(lesson)) {
    if (result.track !== 'referral' || assessment === null) return false;
    if (CAVEAT_EFFECTS[lesson].tipLevel === true) return assessment.tipCaveats.includes(lesson);
    const carrying = assessment.indicators.filter((i) => i.caveats.includes(lesson));
    if (carrying.some((i) => i.id === assessment.primaryId)) return true;
    const primary = assessment.indicators.find((i) => i.id === assessment.primaryId);
    return excludesIndicator(lesson) && carrying.length > 0 && (primary === undefined || primary.source === 'estimatedLocation');
  }
  if ((CHANNELS as readonly string[]).includes(lesson)) return result.jurisdiction?.channel === lesson;
  return result.outcome === lesson;
}

/** A stream per (seed, lesson): the lessons of one seed draw different tips. */
function streamOf(seed: number, lesson: string): Rng {
  let h = 0x811c9dc5;
  for (const c of lesson) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return new Rng(seed | 0, h >>> 0);
}

const indicatorCount = (tip: Tip) => (tip.subjects ?? []).reduce((n, s) => n + (s.ipEvents ?? []).length + (s.estimatedLocation === undefined ? 0 : 1), 0) + (tip.p2p ?? []).length;

function pickTip(engine: Engine, tips: LessonTips, rng: Rng, seed: number, lesson: string): { tip: Tip; result: RouteResult; assessment: GeoAssessment | null } {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // Extra indicators early on; the last attempts draw the lesson's indicator alone, which decides by construction.
    const extras = attempt < MAX_ATTEMPTS - 10 ? rng.int(0, 3) : 0;
    const drawn = tips.tip(rng, lesson, extras);
    const parsed = tipSchema.safeParse(drawn);
    if (!parsed.success || indicatorCount(parsed.data) < 1 || indicatorCount(parsed.data) > 4) continue;
    const session = engine.start(parsed.data);
    runAutoDriver(engine, session);
    const result = routeResultOf(session);
    if (lessonDecides(lesson, result, session.context.assessment)) return { tip: parsed.data, result, assessment: session.context.assessment };
  }
  throw new GenerateError(`no tip teaching ${lesson} from seed ${seed}; try another seed`);
}

/** The hint for a decision: the rule book's reason, in the instructor's words. */
function hintFor(decision: ActionDecision, reasons: { priority: string; track: string; route: string | null }): string {
  switch (decision.point) {
    case 'triage':
      return `${reasons.priority} ${reasons.track}`.slice(0, 300);
    case 'geolocation':
      return decision.caveats.length === 0
        ? 'No caveat applies: each indicator has a city, a port, a recent time and a network that is not anonymized.'
        : `Tag ${decision.caveats.map((t) => `${tagWords(t)} (${CAVEAT_EFFECTS[t.caveat].meaning})`).join('; ')}.`.slice(0, 300);
    case 'route':
      return (reasons.route ?? 'Informational: nothing is actionable.').slice(0, 300);
  }
}

export function generateExercise(engine: Engine, seed: number, lesson?: string, params: SimParams = readSimParams()): Exercise {
  if (lesson !== undefined && !isKnownLesson(lesson)) {
    throw new GenerateError(`unknown lesson ${lesson}: use a caveat code (e.g. CGNAT_NO_PORT), a channel (${CHANNELS.join(', ')}) or an outcome (${GENERATED_LESSONS.join(', ')})`);
  }
  const chosen = lesson ?? new Rng(seed | 0, 0x6c65).pick(ALL_LESSONS);
  const rng = streamOf(seed, chosen);
  const tips = new LessonTips(engine.reference, params);
  const { tip, result, assessment } = pickTip(engine, tips, rng, seed, chosen);

  const injects: Inject[] = [];
  if (result.outcome === 'referred') {
    injects.push({ id: 'acknowledged', kind: 'agency-acknowledge', when: { state: 'referral.awaitingAcknowledgement' }, message: '{agency} acknowledges the referral.' });
  }
  if (result.outcome === 'legal-process') {
    const candidate = assessment === null ? undefined : legalProcessCandidates(assessment)[0];
    injects.push({ id: 'preserved', kind: 'preservation-confirmed', when: { state: 'legalProcess.preservationRequested' }, message: 'The carrier confirms it has preserved the subscriber records.' });
    if (candidate !== undefined) {
      // The carrier's subscriber lives in the carrier's country.
      const location = tips.subscriberLocation(rng, candidate.country);
      const where = [location.city, location.region, location.countryCode].filter((p) => p !== undefined).join(', ');
      injects.push({ id: 'subscriber', kind: 'subscriber-returned', when: { state: 'legalProcess.preserved' }, indicatorId: candidate.id, location, message: `Subscriber information returns: the account holder is in ${where}.` });
      injects.push({ id: 'acknowledged', kind: 'agency-acknowledge', when: { state: 'referral.awaitingAcknowledgement' }, message: '{agency} acknowledges the referral.' });
    }
  }

  // Every decision the run meets, in order, with the rule book's answer and its reason as the hint.
  const actions: ExpectedAction[] = [];
  const draft = { ...baseExercise(seed, chosen, tip, result), injects, expectedActions: [{ id: 'placeholder', point: 'route', occurrence: 20, objective: 'referral', route: 'informational' }] } as Exercise;
  driveExercise(engine, draft, tip, ({ point, occurrence, context }) => {
    // Geolocation asks once per tag: the decision is recorded the first time its point is reached.
    if (actions.some((a) => a.point === point && (a.occurrence ?? 1) === occurrence)) return null;
    const decision = answerKeyAction(point, context, engine);
    const t = acceptedTip(context);
    const route = context.assessment === null ? null : chooseRoute(context.assessment, engine.reference.jurisdictions, context.declined, context.indicatorsVersion).reason;
    const objective = point === 'route' ? (decision.point === 'route' && decision.route === 'legal-process' ? 'legal-process' : 'referral') : point;
    actions.push({ id: `${point}-${occurrence}`, objective, ...(occurrence > 1 ? { occurrence } : {}), ...decision, hint: hintFor(decision, { priority: priorityFor(t).reason, track: trackFor(t).reason, route }) } as ExpectedAction);
    return null;
  });

  const used = new Set(actions.map((a) => a.objective));
  const objectives: Exercise['objectives'] = [
    { id: 'triage', capability: 'triage', description: 'Assign the priority and track the rule book gives.' },
    { id: 'geolocation', capability: 'geolocation', description: 'Tag every caveat of every location indicator, and no other.' },
    { id: 'referral', capability: 'referral', description: 'Choose the route and jurisdiction the primary location calls for.' },
    { id: 'legal-process', capability: 'legalProcess', description: 'Recognise when only legal process can place the subject.' },
  ];
  return { ...baseExercise(seed, chosen, tip, result), objectives: objectives.filter((o) => used.has(o.id)), ...(injects.length === 0 ? {} : { injects }), expectedActions: actions };
}

function baseExercise(seed: number, lesson: string, tip: Tip, result: RouteResult): Omit<Exercise, 'objectives' | 'expectedActions'> & { objectives: Exercise['objectives'] } {
  return {
    format: EXERCISE_FORMAT,
    id: `generated-${seed}-${lesson.toLowerCase().replace(/_/g, '-')}`.slice(0, 40).replace(/-+$/, ''),
    title: `Generated exercise ${seed} (${lesson})`,
    summary: `A generated ${tip.source === 'esp' ? 'service-provider' : 'public'} report (${tip.incident.type}) that teaches ${lesson}; its routing ends ${result.outcome ?? 'open'}${result.jurisdiction === null ? '' : ` with ${result.jurisdiction.id}`}. Generated from seed ${seed}.`,
    lesson: lesson.replace(/[^A-Za-z0-9_-]/g, '-'),
    audience: ['analysts in training'],
    duration: '20m',
    objectives: [{ id: 'triage', capability: 'triage', description: 'Triage.' }, { id: 'geolocation', capability: 'geolocation', description: 'Geolocation.' }, { id: 'referral', capability: 'referral', description: 'Referral.' }, { id: 'legal-process', capability: 'legalProcess', description: 'Legal process.' }],
    tip: tip as Record<string, unknown>,
  };
}

export function exerciseToYaml(exercise: Exercise, schema = SCENARIO_SCHEMA_ID): string {
  return `# yaml-language-server: $schema=${schema}\n${stringify(exercise, { lineWidth: 0 })}`;
}
