// The exercises a server offers: loaded once at start (the bundled ones and any user folders), valid ones only.
import { readFileSync } from 'node:fs';
import { listExercises } from '../scenario/catalog.js';
import type { Exercise } from '../scenario/format.js';
import { loadExerciseText, type LoadedExercise } from '../scenario/load.js';

export interface ServerExercise {
  id: string;
  title: string;
  lesson: string;
  duration: string;
  summary: string;
  /** The trainee's text (the situation, never the answer); null when the exercise has none. */
  brief: string | null;
  /** The exercise file's text, kept with each session started from it. */
  text: string;
  loaded: LoadedExercise;
}

export function loadServerExercises(userDirs: readonly string[] = []): ServerExercise[] {
  const out: ServerExercise[] = [];
  const seen = new Set<string>();
  for (const entry of listExercises(userDirs)) {
    if (entry.errors > 0) continue;
    const text = readFileSync(entry.file, 'utf8');
    const { loaded } = loadExerciseText(text, entry.file);
    if (loaded === null || seen.has(loaded.exercise.id)) continue;
    seen.add(loaded.exercise.id);
    const e = loaded.exercise;
    out.push({ ...listedFields(e), text, loaded });
  }
  return out;
}

const listedFields = (e: Exercise) => ({ id: e.id, title: e.title, lesson: e.lesson, duration: e.duration, summary: e.summary, brief: e.brief?.trim() ?? null });

/** The exercise a session was started from, reloaded from the text stored with it (tip: the session's). */
export function exerciseFromText(text: string, file: string, submission: unknown): LoadedExercise | null {
  const tipText = JSON.stringify(submission);
  return loadExerciseText(text, file, () => tipText).loaded;
}

/** A server exercise from a file's text (an uploaded one: its tip is inline), or null when it does not load. */
export function serverExerciseFromText(text: string, file: string): ServerExercise | null {
  const { loaded } = loadExerciseText(text, file, () => {
    throw new Error('uploaded exercises carry their tip inline');
  });
  if (loaded === null) return null;
  const e = loaded.exercise;
  return { ...listedFields(e), text, loaded };
}
