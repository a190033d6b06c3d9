import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { exerciseToYaml, generateExercise, GenerateError } from '../../src/scenario/generate.js';
import { validateExerciseText } from '../../src/scenario/validate.js';

const engine = new Engine(bundledReference());
const validate = (text: string, file: string) => validateExerciseText(engine, text, file);

describe('tipflow generate', () => {
  it('every generated exercise validates strictly and is solvable (200 seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const text = exerciseToYaml(generateExercise(engine, seed));
        const report = validate(text, `generated-${seed}.yaml`);
        expect(report.diagnostics).toEqual([]);
        expect(report.outcome).not.toBeNull();
      }),
      { numRuns: 200, seed: 20261129 },
    );
  });

  it.each(['CGNAT_NO_PORT', 'VPN', 'HOSTING_PROVIDER', 'CONFLICTING_INDICATORS', 'attache', 'interpol', 'legal-process', 'informational'])(
    'generates a solvable exercise for the lesson %s whose run shows it',
    (lesson) => {
      const exercise = generateExercise(engine, 11, lesson);
      expect(exercise.lesson).toBe(lesson);
      const report = validate(exerciseToYaml(exercise), 'lesson.yaml');
      expect(report.diagnostics).toEqual([]);
    },
  );

  it('writes the same file for the same seed and lesson, byte for byte', () => {
    expect(exerciseToYaml(generateExercise(engine, 42, 'VPN'))).toBe(exerciseToYaml(generateExercise(new Engine(bundledReference()), 42, 'VPN')));
    expect(exerciseToYaml(generateExercise(engine, 42))).not.toBe(exerciseToYaml(generateExercise(engine, 43)));
  });

  it('refuses a lesson it does not know, listing what it can teach', () => {
    expect(() => generateExercise(engine, 1, 'NOT_A_LESSON')).toThrow(GenerateError);
    expect(() => generateExercise(engine, 1, 'NOT_A_LESSON')).toThrow(/caveat code/);
  });
});
