// A trainee's answer file for `tipflow run`: the decisions, in order, per decision point.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RoutingEvent } from '../domain/events.js';
import { CAVEAT_CODES } from '../domain/caveats/codes.js';
import { PRIORITIES, TRACKS } from '../domain/triage.js';
import { freeString } from '../domain/tip/schema.js';
import type { Diagnostic } from './diagnostics.js';
import type { Decider } from './drive.js';
import { OFFSET_PATTERN, offsetMs } from './format.js';
import { parseYamlWithPositions } from './source-map.js';
import { hostileYamlDiagnostic, yamlValues } from './yaml-limits.js';
import { schemaDiagnostics, yamlDiagnostics } from './load.js';
import { eventForExpectedAction } from './validate.js';
import type { Engine } from '../engine/index.js';

export const ANSWERS_FORMAT = 'tipflow.answers/1';
const indicatorId = z.string().regex(/^(subjects\[\d+\]\.(ipEvents\[\d+\]|estimatedLocation)|p2p\[\d+\])$/, { error: 'an indicator id such as subjects[0].ipEvents[1]' });
const common = {
  occurrence: z.int().min(1).max(20).optional(),
  /** How long the trainee took before deciding (simulated time waited first, as `+2h`): waits stop early as any wait does. */
  after: z.string().regex(OFFSET_PATTERN, { error: 'a time such as +30m, +2h or +1d2h' }).optional(),
};

export const answerSchema = z.discriminatedUnion('point', [
  z.strictObject({ ...common, point: z.literal('triage'), priority: z.enum(PRIORITIES), track: z.enum(TRACKS), reason: freeString.optional() }),
  z.strictObject({ ...common, point: z.literal('geolocation'), caveats: z.array(z.strictObject({ indicatorId: indicatorId.nullable(), caveat: z.enum(CAVEAT_CODES) })).max(200) }),
  z.strictObject({ ...common, point: z.literal('route'), route: z.enum(['refer', 'legal-process', 'informational']), jurisdictionId: z.string().regex(/^[A-Z0-9-]{2,40}$/).optional() }),
]);
export type Answer = z.infer<typeof answerSchema>;

export const answersFileSchema = z.strictObject({
  format: z.literal(ANSWERS_FORMAT),
  exercise: z.string().optional(),
  answers: z.array(answerSchema).max(100),
});
export type AnswersFile = z.infer<typeof answersFileSchema>;

export function loadAnswers(file: string): { answers: AnswersFile | null; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { answers: null, diagnostics: [{ file, line: 1, column: 1, severity: 'error', message: 'no such file' }] };
  }
  const { doc, map, lineCounter } = parseYamlWithPositions(text);
  const syntax = yamlDiagnostics(doc, text, lineCounter, file);
  if (doc.errors.length > 0) return { answers: null, diagnostics: syntax };
  const hostile = hostileYamlDiagnostic(doc, lineCounter, file);
  if (hostile !== null) return { answers: null, diagnostics: [...syntax, hostile] };
  const built = yamlValues(doc, file);
  if (!built.ok) return { answers: null, diagnostics: [...syntax, built.diagnostic] };
  const parsed = answersFileSchema.safeParse(built.value, { reportInput: true });
  if (!parsed.success) return { answers: null, diagnostics: [...syntax, ...schemaDiagnostics(parsed.error, map, file, 'answers')] };
  return { answers: parsed.data, diagnostics: [] };
}

/** Answers are used in order per decision point; an answer may name its occurrence explicitly. */
export function answersDecider(engine: Engine, answers: readonly Answer[]): Decider {
  const used = new Set<Answer>();
  const current = new Map<string, Answer>();
  const waited = new Set<Answer>();
  return ({ point, occurrence, context }) => {
    const key = `${point}#${occurrence}`;
    let answer = current.get(key);
    if (answer === undefined) {
      answer =
        answers.find((a) => a.point === point && a.occurrence === occurrence && !used.has(a)) ??
        answers.find((a) => a.point === point && a.occurrence === undefined && !used.has(a));
      if (answer === undefined) return null;
      used.add(answer);
      current.set(key, answer);
    }
    if (answer.after !== undefined && !waited.has(answer)) {
      waited.add(answer);
      return { wait: offsetMs(answer.after) };
    }
    const { occurrence: _o, after: _after, ...rest } = answer;
    const asAction = { id: 'answer', objective: 'answer', ...rest } as Parameters<typeof eventForExpectedAction>[0];
    const event: RoutingEvent = eventForExpectedAction(asAction, context, engine);
    if (answer.point === 'triage' && answer.reason !== undefined && event.type === 'TRIAGE.ASSIGN') return { ...event, reason: answer.reason };
    return event;
  };
}
