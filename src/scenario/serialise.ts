// An exercise as the server keeps an upload (issue 16): the parsed, validated document written out again, so
// nothing the schema did not read is stored (no comments, no unknown anchors, no tip file: the tip inline).
import { stringify } from 'yaml';
import type { LoadedExercise } from './load.js';

export function serialiseExercise(loaded: Pick<LoadedExercise, 'exercise' | 'tip'>): string {
  return stringify({ ...loaded.exercise, tip: loaded.tip }, { lineWidth: 0, aliasDuplicateObjects: false });
}
