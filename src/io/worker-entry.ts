// Starting worker threads from the project's modules, wherever the code runs from: the compiled entry file
// beside its caller once built, or under vitest (sources run as .ts) the one in dist/ (npm run build); and
// the flags a thread may inherit.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './project-files.js';

/** The URL of a worker's compiled entry `file` (e.g. worker.js) in the folder of the module at `callerUrl`. */
export function workerEntry(callerUrl: string, file: string, what: string): URL {
  const here = fileURLToPath(callerUrl);
  if (!here.endsWith('.ts')) return new URL(`./${file}`, callerUrl);
  const built = join(PROJECT_ROOT, 'dist', relative(PROJECT_ROOT, dirname(here)), file);
  if (!existsSync(built)) throw new Error(`${what} needs ${built}; run npm run build first`);
  return pathToFileURL(built);
}

/** The process's flags for a worker, less --input-type (set by node -e), which a worker started from a file refuses. */
export const workerExecArgv = (): string[] => process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
