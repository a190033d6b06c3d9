// `tipflow validate`: every problem of every exercise file at once, as file:line:col, then the
// solvability proof (`--explain` prints the path it took).
import { readFileSync } from 'node:fs';
import { Engine } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { byPosition, formatDiagnostic } from '../../scenario/diagnostics.js';
import { validateExerciseText } from '../../scenario/validate.js';

export interface ValidateOptions {
  strict?: boolean;
  explain?: boolean;
}

export function validateCommand(files: readonly string[], options: ValidateOptions): number {
  const engine = new Engine(bundledReference());
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    // Paths as given on the command line (and tip files beside them in the same style), never rewritten.
    const shown = file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      process.stderr.write(`${shown}:1:1: error: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
      errors += 1;
      continue;
    }
    const report = validateExerciseText(engine, text, shown);
    const diagnostics = [...report.diagnostics].sort(byPosition);
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    const fileErrors = diagnostics.filter((d) => d.severity === 'error').length;
    const fileWarnings = diagnostics.length - fileErrors;
    errors += fileErrors;
    warnings += fileWarnings;
    if (fileErrors === 0) {
      process.stdout.write(`${shown}: valid and solvable (outcome ${report.outcome ?? 'none'}, ${report.steps.length} steps)${fileWarnings > 0 ? `, ${fileWarnings} warning${fileWarnings === 1 ? '' : 's'}` : ''}\n`);
      if (options.explain === true) {
        for (const step of report.steps) process.stdout.write(`  ${step.at}  ${step.state.padEnd(36)} ${step.kind.padEnd(8)} ${step.description}${step.sourceId === undefined ? '' : ` [${step.sourceId}]`}\n`);
      }
    }
  }
  if (files.length > 1) process.stdout.write(`${files.length} files: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return errors > 0 || (options.strict === true && warnings > 0) ? 1 : 0;
}
