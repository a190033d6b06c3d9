// `tipflow exercises`: the bundled exercises and the instructor's own, one line each.
import { relative } from 'node:path';
import { listExercises } from '../../scenario/catalog.js';
import { renderTable } from '../../io/text-table.js';

/** The instructor's exercise folders: given ones, else TIPFLOW_EXERCISES (colon-separated), else ./exercises. */
export const userExerciseDirs = (given?: string[]): string[] =>
  given ?? (process.env.TIPFLOW_EXERCISES === undefined ? ['exercises'] : process.env.TIPFLOW_EXERCISES.split(':'));

export function exercisesCommand(options: { dir?: string[]; json?: boolean }): number {
  const dirs = userExerciseDirs(options.dir);
  const entries = listExercises(dirs);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  const rows = entries.map((e) => [
    e.id ?? '(invalid)',
    e.origin,
    e.lesson ?? '-',
    e.duration ?? '-',
    e.errors > 0 ? `${e.errors} error${e.errors === 1 ? '' : 's'}: run tipflow validate ${relative(process.cwd(), e.file)}` : (e.title ?? ''),
  ]);
  process.stdout.write(`${renderTable(['id', 'origin', 'lesson', 'duration', 'title'], rows)}\n`);
  process.stdout.write(`\n${entries.length} exercises. Your own: put .yaml files in ${dirs.join(', ')} (or --dir, or TIPFLOW_EXERCISES).\n`);
  return 0;
}
