// The reference (caveats, priorities, agencies …) is the same for everyone and every session: load it once.
import { api } from '../api.js';
import type { ExerciseSummary } from '../api-types.js';
import type { ClientReference } from './types.js';

let reference: Promise<ClientReference> | null = null;
let exercises: Promise<ExerciseSummary[]> | null = null;

export function loadReference(): Promise<ClientReference> {
  reference ??= api<ClientReference>('GET', '/api/reference').catch((error: unknown) => {
    reference = null;
    throw error;
  });
  return reference;
}

/** The exercises offered to the trainee (titles for the session page and the list of sessions). */
export function loadExercises(fresh = false): Promise<ExerciseSummary[]> {
  if (fresh) exercises = null;
  exercises ??= api<{ exercises: ExerciseSummary[] }>('GET', '/api/exercises')
    .then((r) => r.exercises)
    .catch((error: unknown) => {
      exercises = null;
      throw error;
    });
  return exercises;
}
