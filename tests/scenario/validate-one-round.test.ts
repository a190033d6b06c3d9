// Validation in one round (issue 15, item 4): once the YAML parses, the field errors, the tip's, the
// references' and the rule book's are all reported together, at their places in the file, with nothing
// reported twice and no error that is only a consequence of another.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { byPosition, formatDiagnostic } from '../../src/scenario/diagnostics.js';
import { validateExerciseText } from '../../src/scenario/validate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILE = join(ROOT, 'fixtures', 'scenarios', 'webmail-houston.yaml');
const HOUSTON = readFileSync(FILE, 'utf8');
const engine = new Engine(bundledReference());
const validate = (text: string) =>
  validateExerciseText(engine, text, 'houston.yaml', (path) => readFileSync(join(ROOT, 'fixtures', 'scenarios', path), 'utf8'))
    .diagnostics.sort(byPosition)
    .map(formatDiagnostic);

/** The 1-based number of the first line of the Houston exercise that reads exactly `line`. */
const lineOf = (line: string) => {
  const n = HOUSTON.split('\n').indexOf(line);
  if (n < 0) throw new Error(`the Houston exercise has no line ${JSON.stringify(line)}`);
  return n + 1;
};

/** Replaces whole lines of the Houston exercise, each found by its text (so adding a field moves nothing here). */
const withLines = (edits: Record<string, string>) => {
  const byLine = new Map(Object.entries(edits).map(([from, to]) => [lineOf(from), to]));
  return HOUSTON.split('\n')
    .map((line, i) => byLine.get(i + 1) ?? line)
    .join('\n');
};

const DURATION = lineOf('duration: 20m');
const PRIORITY = lineOf('    priority: P3');
const POINT = lineOf('    point: triage');
const CAPABILITY = lineOf('    capability: triage');
const REFERRAL = lineOf('    objective: referral');

describe('validate reports every error in one round', () => {
  it('a field error, a broken reference and a departure from the rule book, together', () => {
    expect(
      validate(
        withLines({
          'duration: 20m': 'duration: 20 minutes',
          '    priority: P3': '    priority: P2',
          '    objective: referral': '    objective: referal',
        }),
      ),
    ).toEqual([
      `houston.yaml:${DURATION}:11: error: duration: a duration such as 45m or 2h`,
      `houston.yaml:${PRIORITY}:15: error: expected action triage-p3 differs from the rule book (the rule book says P3 referral); if that is your local policy, say why in override:`,
      `houston.yaml:${REFERRAL}:16: error: unknown objective referal (objectives: triage, geolocation, referral)`,
    ]);
  });

  it('an expected action that does not parse is left out, and the later ones keep their places in the file', () => {
    const diagnostics = validate(withLines({ '    point: triage': '    point: triaging', '    objective: referral': '    objective: referal' }));
    expect(diagnostics).toEqual([
      expect.stringMatching(new RegExp(`^houston\\.yaml:${POINT}:12: error: expectedActions\\[0\\]\\.point: `)),
      `houston.yaml:${REFERRAL}:16: error: unknown objective referal (objectives: triage, geolocation, referral)`,
    ]);
  });

  it('an objective with a field error is not also an unknown objective where it is named', () => {
    expect(validate(withLines({ '    capability: triage': '    capability: triaging' }))).toEqual([
      `houston.yaml:${CAPABILITY}:17: error: objectives[0].capability: "triaging" is not allowed; expected one of "intake", "triage", "geolocation", "referral", "legalProcess"`,
    ]);
  });

  it('a tip error and an exercise field error, together', () => {
    const inline = HOUSTON.replace('tip: ../tips/webmail-houston.json', `tip: ${JSON.stringify({ ...(JSON.parse(readFileSync(join(ROOT, 'fixtures/tips/webmail-houston.json'), 'utf8')) as object), source: 'espp' })}`).replace('duration: 20m', 'duration: 20 minutes');
    const diagnostics = validate(inline);
    expect(diagnostics.some((d) => d.includes('duration: a duration such as 45m or 2h'))).toBe(true);
    expect(diagnostics.some((d) => d.includes('tip source: "espp" is not allowed'))).toBe(true);
  });
});
