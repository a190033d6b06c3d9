// `tipflow generate`: a valid, solvable exercise from a seed, built on the same fast-check arbitraries as
// the property tests. Same seed (and lesson), same file, byte for byte.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { isCaveatCode } from '../domain/caveats/codes.js';
import { CHANNELS } from '../domain/reference/jurisdictions.js';
import { legalProcessCandidates } from '../domain/assessment.js';
import type { Tip } from '../domain/tip/schema.js';
import { routeResultOf, runAutoDriver, type Engine, type RouteResult } from '../engine/index.js';
import { arbRoutableTip } from './arbitraries.js';
import { EXERCISE_FORMAT, type ExpectedAction, type Exercise, type Inject } from './format.js';
import { answerKeyAction } from './validate.js';
import { answerKeyDecision } from '../domain/routing/answer-key.js';

export const GENERATED_LESSONS = ['informational', 'legal-process', 'referred'] as const;
const MAX_ATTEMPTS = 400;

export class GenerateError extends Error {}

/** Does the routed tip teach `lesson` (a caveat code, a channel, or an outcome)? */
function teaches(result: RouteResult, lesson: string | undefined): boolean {
  if (lesson === undefined) return result.outcome !== 'rejected';
  if (isCaveatCode(lesson)) return result.caveats.includes(lesson);
  if ((CHANNELS as readonly string[]).includes(lesson)) return result.jurisdiction?.channel === lesson;
  return result.outcome === lesson;
}

export function isKnownLesson(lesson: string): boolean {
  return isCaveatCode(lesson) || (CHANNELS as readonly string[]).includes(lesson) || (GENERATED_LESSONS as readonly string[]).includes(lesson);
}

function pickTip(engine: Engine, seed: number, lesson: string | undefined): { tip: Tip; result: RouteResult } {
  const tips = fc.sample(arbRoutableTip, { seed, numRuns: MAX_ATTEMPTS });
  for (const tip of tips) {
    const session = engine.start(tip);
    runAutoDriver(engine, session);
    const result = routeResultOf(session);
    if (teaches(result, lesson)) return { tip, result };
  }
  throw new GenerateError(`no tip teaching ${lesson ?? 'anything'} among ${MAX_ATTEMPTS} drawn from seed ${seed}; try another seed`);
}

export function generateExercise(engine: Engine, seed: number, lesson?: string): Exercise {
  if (lesson !== undefined && !isKnownLesson(lesson)) {
    throw new GenerateError(`unknown lesson ${lesson}: use a caveat code (e.g. CGNAT_NO_PORT), a channel (${CHANNELS.join(', ')}) or an outcome (${GENERATED_LESSONS.join(', ')})`);
  }
  const { tip, result } = pickTip(engine, seed, lesson);
  const session = engine.start(tip);
  const actions: ExpectedAction[] = [];
  // The answer key at each first decision point, as the exercise's expected actions.
  for (let step = 0; step < 1000 && !session.closed; step += 1) {
    const point = ((): 'triage' | 'geolocation' | 'route' | null => {
      if (session.snapshot.hasTag('decision:triage')) return 'triage';
      if (session.snapshot.hasTag('decision:geolocation')) return 'geolocation';
      if (session.snapshot.hasTag('decision:route')) return 'route';
      return null;
    })();
    if (point === null) break;
    if (!actions.some((a) => a.point === point)) {
      const decision = answerKeyAction(point, session.context, engine);
      const objective = point === 'route' ? (decision.point === 'route' && decision.route === 'legal-process' ? 'legal-process' : 'referral') : point;
      actions.push({ id: `${point}-1`, objective, ...decision } as ExpectedAction);
    }
    engine.deliver(session, answerKeyDecision(point, session.context, engine.reference), { actor: 'auto' });
  }

  const injects: Inject[] = [];
  if (result.outcome === 'referred') {
    injects.push({ id: 'acknowledged', kind: 'agency-acknowledge', when: { state: 'referral.awaitingAcknowledgement' }, message: '{agency} acknowledges the referral.' });
  }
  if (result.outcome === 'legal-process') {
    const candidate = session.context.assessment === null ? undefined : legalProcessCandidates(session.context.assessment)[0];
    injects.push({ id: 'preserved', kind: 'preservation-confirmed', when: { state: 'legalProcess.preservationRequested' }, message: 'The carrier confirms it has preserved the subscriber records.' });
    if (candidate !== undefined) {
      injects.push({
        id: 'subscriber',
        kind: 'subscriber-returned',
        when: { state: 'legalProcess.preserved' },
        indicatorId: candidate.id,
        location: { countryCode: 'US', region: 'PA', city: 'Scranton' },
        message: 'Subscriber information returns: the account holder lives in Scranton, Pennsylvania.',
      });
      injects.push({ id: 'acknowledged', kind: 'agency-acknowledge', when: { state: 'referral.awaitingAcknowledgement' }, message: '{agency} acknowledges the referral.' });
    }
  }

  const objectives: Exercise['objectives'] = [
    { id: 'triage', capability: 'triage', description: 'Assign the priority and track the rule book gives.' },
    { id: 'geolocation', capability: 'geolocation', description: 'Tag every caveat of every location indicator, and no other.' },
  ];
  if (actions.some((a) => a.objective === 'referral')) objectives.push({ id: 'referral', capability: 'referral', description: 'Choose the route and jurisdiction the primary location calls for.' });
  if (actions.some((a) => a.objective === 'legal-process')) objectives.push({ id: 'legal-process', capability: 'legalProcess', description: 'Recognise when only legal process can place the subject.' });
  const used = new Set(actions.map((a) => a.objective));

  const shown = lesson ?? result.caveats[0] ?? result.jurisdiction?.channel ?? result.outcome ?? 'routing';
  return {
    format: EXERCISE_FORMAT,
    id: `generated-${seed}${lesson === undefined ? '' : `-${lesson.toLowerCase().replace(/_/g, '-')}`}`.slice(0, 40),
    title: `Generated exercise ${seed}${lesson === undefined ? '' : ` (${lesson})`}`,
    summary: `A generated ${tip.source === 'esp' ? 'service-provider' : 'public'} report (${tip.incident.type}) whose routing ends ${result.outcome ?? 'open'}${result.jurisdiction === null ? '' : ` with ${result.jurisdiction.id}`}. Generated from seed ${seed}.`,
    lesson: shown.replace(/[^A-Za-z0-9_-]/g, '-'),
    audience: ['analysts in training'],
    duration: '20m',
    objectives: objectives.filter((o) => used.has(o.id)),
    tip: tip as Record<string, unknown>,
    ...(injects.length === 0 ? {} : { injects }),
    expectedActions: actions,
  };
}

export function exerciseToYaml(exercise: Exercise, schemaPath = '../../schemas/scenario.schema.json'): string {
  return `# yaml-language-server: $schema=${schemaPath}\n${stringify(exercise, { lineWidth: 0 })}`;
}
