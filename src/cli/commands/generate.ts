// `tipflow generate`: a valid, solvable exercise from a seed.
import { writeFileSync } from 'node:fs';
import { Engine } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { exerciseToYaml, generateExercise, GenerateError } from '../../scenario/generate.js';

export function generateCommand(options: { seed: string; lesson?: string; output?: string }): number {
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(seed)) {
    process.stderr.write(`tipflow generate: --seed ${options.seed} is not a whole number\n`);
    return 2;
  }
  try {
    const exercise = generateExercise(new Engine(bundledReference()), seed, options.lesson);
    // The same file wherever it is written (stdout or -o anywhere): the $schema line names the schema's id.
    const text = exerciseToYaml(exercise);
    if (options.output === undefined) process.stdout.write(text);
    else {
      writeFileSync(options.output, text);
      process.stderr.write(`wrote ${options.output} (${exercise.id}); check it with: tipflow validate --explain ${options.output}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    process.stderr.write(`tipflow generate: ${error.message}\n`);
    return 1;
  }
}
