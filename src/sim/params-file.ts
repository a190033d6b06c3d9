// Reading a parameters file (the shell's part): the bundled default or one given with --params.
import { readFileSync } from 'node:fs';
import { formatIssues } from '../domain/tip/parse.js';
import { fixturePath } from '../io/project-files.js';
import { parseSimParams, type SimParams } from './params.js';

export const DEFAULT_PARAMS_FILE = fixturePath('sim', 'parameters.yaml');

export class ParamsFileError extends Error {}

export function readSimParams(file = DEFAULT_PARAMS_FILE): SimParams {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ParamsFileError(`cannot read the parameters file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parseSimParams(text);
  if (!parsed.ok) throw new ParamsFileError(`${file} is not a valid parameters file:\n${formatIssues(parsed.issues).replace(/^/gm, '  ')}`);
  return parsed.value;
}
