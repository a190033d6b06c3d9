import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExerciseText, MAX_OFFSET_DAYS } from '../../src/scenario/load.js';
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_SCALAR } from '../../src/scenario/yaml-limits.js';

const london = readFileSync(new URL('../../fixtures/scenarios/direct-london.yaml', import.meta.url), 'utf8');

/** Loads a text and returns its one error (line, column, message); fails when it loads. */
function refused(text: string): { line: number; column: number; message: string } {
  const started = performance.now();
  const { loaded, diagnostics } = loadExerciseText(text, 'x.yaml', () => {
    throw new Error('no tip files');
  });
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(loaded).toBeNull();
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error === undefined) throw new Error('no error diagnostic');
  return error;
}

describe('hostile YAML gets a positioned diagnostic, never an exception', () => {
  it('loads the fixture as given (the mutations below are what fails)', () => {
    expect(loadExerciseText(london, 'x.yaml').loaded).not.toBeNull();
  });

  it('refuses an alias bomb, at the alias past the limit', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const error = refused(`${london}\n${lines.join('\n')}\n`);
    expect(error.message).toContain(`more than ${MAX_YAML_ALIASES} aliases`);
    expect(error.line).toBeGreaterThan(london.split('\n').length);
  });

  it('refuses a small alias fan-out that expands past the alias count when built', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const error = refused(`${london}\n${bomb}`);
    expect(error.message).toMatch(/^YAML: /);
  });

  it(`refuses nesting deeper than ${MAX_YAML_DEPTH}`, () => {
    const error = refused(`${london}\ndeep: ${'['.repeat(200)}${']'.repeat(200)}\n`);
    expect(error.message).toContain(`nested deeper than ${MAX_YAML_DEPTH}`);
  });

  it('refuses a huge scalar before any pattern reads it', () => {
    const error = refused(london.replace(/^title: .*$/m, `title: ${'a1.'.repeat(65_000)}`));
    expect(error.message).toContain(`the longest field takes ${MAX_YAML_SCALAR}`);
    expect(error).toMatchObject({ line: 4, column: 8 });
  });

  it.each([['!!binary aGVsbG8gd29ybGQ='], ['!!timestamp 2019-99-99'], ['!foo bar'], ['!!set {a, b}']])('refuses the tag in %s', (value) => {
    const error = refused(london.replace(/^lesson: .*$/m, `lesson: ${value}`));
    expect(error.message).toMatch(/the tag .* is not used in exercise files/);
    expect(error.line).toBe(london.split('\n').findIndex((l) => l.startsWith('lesson:')) + 1);
  });

  it('reads a %YAML 1.1 file with the core schema (a date stays a string, then fails its own field)', () => {
    const { loaded, diagnostics } = loadExerciseText(`%YAML 1.1\n---\n${london.replace(/^duration: .*$/m, 'duration: 2019-01-01')}`, 'x.yaml');
    expect(loaded).toBeNull();
    expect(diagnostics.map((d) => d.message).join('\n')).toContain('duration');
  });

  it(`refuses an inject at +99999999999d, at its at:, saying the bound (+${MAX_OFFSET_DAYS}d)`, () => {
    const text = london.replace('    when: { state: referral.awaitingAcknowledgement }\n', '    at: +99999999999d\n');
    const error = refused(text);
    expect(error.message).toContain(`later than +${MAX_OFFSET_DAYS}d`);
    expect(text.split('\n')[error.line - 1]).toContain('+99999999999d');
  });

  it('accepts an inject at the bound', () => {
    const text = london.replace('    when: { state: referral.awaitingAcknowledgement }\n', `    at: +${MAX_OFFSET_DAYS}d\n`);
    expect(loadExerciseText(text, 'x.yaml').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
