// The exercises a classroom has: the bundled ones and the instructor's own folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../io/project-files.js';
import { loadExerciseText } from './load.js';

export interface CatalogEntry {
  file: string;
  origin: 'bundled' | 'user';
  id: string | null;
  title: string | null;
  lesson: string | null;
  duration: string | null;
  /** The trainee's brief (DESIGN §10), or null. */
  brief: string | null;
  errors: number;
}

export const BUNDLED_EXERCISES_DIR = fixturePath('scenarios');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(dir, name));
}

export function listExercises(userDirs: readonly string[] = []): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  const add = (file: string, origin: CatalogEntry['origin']) => {
    const { loaded, diagnostics } = loadExerciseText(readFileSync(file, 'utf8'), file);
    const e = loaded?.exercise;
    entries.push({
      file,
      origin,
      id: e?.id ?? null,
      title: e?.title ?? null,
      lesson: e?.lesson ?? null,
      duration: e?.duration ?? null,
      brief: e?.brief?.trim() ?? null,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
    });
  };
  for (const file of yamlFiles(BUNDLED_EXERCISES_DIR)) add(file, 'bundled');
  for (const dir of userDirs) for (const file of yamlFiles(dir)) add(file, 'user');
  return entries;
}
