// The parts of an exercise that parse, when the whole does not (issue 15, item 4): each field checked on
// its own, each list item on its own, so validation can go on to the references and the rule book and
// report every error in one round. What does not parse is left out (its error is already reported);
// required fields that do not parse get a neutral stand-in that no later check reads as a mistake.
import { z } from 'zod';
import { EXERCISE_FORMAT, exerciseSchema, type Exercise } from './format.js';

const STAND_INS: Readonly<Record<string, unknown>> = {
  format: EXERCISE_FORMAT,
  id: 'exercise',
  title: 'Exercise',
  summary: 'Exercise.',
  lesson: 'routing',
  audience: ['analysts'],
  duration: '20m',
  objectives: [],
  tip: 'tip.json',
  expectedActions: [],
};

export interface Salvaged {
  exercise: Exercise;
  /** For each list that lost items: the file's index of each kept item, so positions still point into the file. */
  indices: Record<string, number[]>;
  /** Ids of the items left out (so a reference to an objective that did not parse is not an error too). */
  droppedIds: Record<string, string[]>;
}

export function salvageExercise(value: unknown): Salvaged {
  const input = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  const indices: Record<string, number[]> = {};
  const droppedIds: Record<string, string[]> = {};
  for (const [key, field] of Object.entries(exerciseSchema.shape) as [string, z.ZodType][]) {
    const raw = input[key];
    const whole = field.safeParse(raw);
    if (whole.success) {
      if (whole.data !== undefined) out[key] = whole.data;
      continue;
    }
    const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
    if (inner instanceof z.ZodArray && Array.isArray(raw)) {
      const element = inner.element as z.ZodType;
      const kept = raw.flatMap((item, index) => {
        const one = element.safeParse(item);
        return one.success ? [{ data: one.data as unknown, index }] : [];
      });
      out[key] = kept.map((k) => k.data);
      indices[key] = kept.map((k) => k.index);
      droppedIds[key] = raw.flatMap((item, index) => {
        const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['id'] : undefined;
        return typeof id === 'string' && !indices[key]?.includes(index) ? [id] : [];
      });
    } else if (key in STAND_INS) {
      out[key] = STAND_INS[key];
    }
  }
  return { exercise: out as Exercise, indices, droppedIds };
}
