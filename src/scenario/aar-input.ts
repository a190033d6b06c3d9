// What `tipflow aar` reads, turned into the report's sessions: a saved session (`tipflow play`, `tipflow run
// --save`: graded again by replay, so the evidence is complete), a debrief as JSON (`tipflow run --json`,
// `tipflow report --json`), or a cohort's results export (the server's results.json: ratings per objective
// only). Anything else is refused with the file's name and what was expected.
import { z } from 'zod';
import { ReplayError, type Engine } from '../engine/index.js';
import type { AarSession } from './aar.js';
import { objectiveDeadlines } from './aar.js';
import type { Debrief } from './debrief.js';
import { gradeSession } from './debrief.js';
import { RATINGS } from './format.js';
import { exerciseOf, parsePlayRecord, PLAY_FORMAT, PlayRecordError } from './play-record.js';

export class AarInputError extends Error {}

const rating = z.enum(RATINGS);
const tag = z.looseObject({ caveat: z.string(), indicatorId: z.string().nullable() });
const debriefSchema = z.looseObject({
  exercise: z.looseObject({ id: z.string(), title: z.string() }),
  outcome: z.string().nullable(),
  state: z.string(),
  decisions: z.array(
    z.looseObject({
      point: z.enum(['triage', 'geolocation', 'route']),
      occurrence: z.number(),
      objective: z.string().nullable(),
      verdict: z.enum(['right', 'partly', 'wrong']),
      at: z.string(),
      expected: z.looseObject({ point: z.enum(['triage', 'geolocation', 'route']) }),
      missedCaveats: z.array(tag),
      extraCaveats: z.array(tag),
      words: z.looseObject({ yours: z.string(), expected: z.string() }),
    }),
  ),
  objectives: z.array(z.looseObject({ objective: z.string(), capability: z.string(), description: z.string(), rating })),
  overall: z.looseObject({ score: z.number(), rating }),
  clock: z.looseObject({ start: z.string(), end: z.string(), elapsedMs: z.number() }),
  hintsUsed: z.number(),
  undos: z.number(),
});
const resultsSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      sessionId: z.string(),
      trainee: z.string(),
      exerciseId: z.string().nullable(),
      mode: z.string(),
      overallRating: rating.nullable(),
      objectives: z.record(z.string(), rating),
    }),
  ),
});
const playSchema = z.looseObject({ format: z.literal(PLAY_FORMAT) });

const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0];
  return issue === undefined ? 'unknown shape' : `${issue.path.join('.') || 'the top level'}: ${issue.message}`;
};

/**
 * The sessions in one input file. `name` is the file's name without folder and extension: a saved session
 * or a debrief carries no trainee, so the file's name stands for the trainee (save one file per trainee,
 * e.g. alice.json).
 */
export function aarSessionsOf(file: string, name: string, text: string, engine: Engine): AarSession[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AarInputError(`${file}: not JSON (${(error as Error).message}); expected a session file, a debrief (tipflow run --json) or a results export (results.json)`);
  }
  if (playSchema.safeParse(value).success) return [sessionOfRecord(file, name, value, engine)];
  const results = resultsSchema.safeParse(value);
  if (results.success) {
    return results.data.results.flatMap((r) =>
      r.exerciseId === null ? [] : [{ id: r.sessionId, trainee: r.trainee, mode: r.mode, exercise: { id: r.exerciseId, title: r.exerciseId }, debrief: null, ratings: r.objectives, overall: r.overallRating }],
    );
  }
  const debrief = debriefSchema.safeParse(value);
  if (debrief.success) return [{ id: name, trainee: name, mode: 'headless', exercise: { id: debrief.data.exercise.id, title: debrief.data.exercise.title }, debrief: value as Debrief }];
  const looksLikeDebrief = typeof value === 'object' && value !== null && 'decisions' in value;
  throw new AarInputError(
    `${file}: not a tipflow session file, debrief or results export (${looksLikeDebrief ? `as a debrief, ${firstIssue(debrief.error)}` : results.error.issues.some((i) => i.path[0] === 'results' && i.path.length > 1) ? `as a results export, ${firstIssue(results.error)}` : 'expected "format": "tipflow.play/1", a debrief\'s "decisions" or a results export\'s "results"'})`,
  );
}

function sessionOfRecord(file: string, name: string, value: unknown, engine: Engine): AarSession {
  try {
    const record = parsePlayRecord(file, value);
    const { exercise } = exerciseOf(record);
    const debrief = gradeSession(engine, exercise, record.session, record.refusals);
    return { id: name, trainee: name, mode: record.mode, exercise: { id: exercise.id, title: exercise.title }, debrief, deadlines: objectiveDeadlines(exercise) };
  } catch (error) {
    if (error instanceof PlayRecordError) throw new AarInputError(error.message.startsWith(file) ? error.message : `${file}: ${error.message}`);
    if (error instanceof ReplayError) throw new AarInputError(`${file}: the saved log does not replay through the machine (the file was changed, or saved by an incompatible version): ${error.message}`);
    throw error;
  }
}
