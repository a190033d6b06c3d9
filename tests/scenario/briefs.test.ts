// The trainee's brief (DESIGN §10, issue 14): every bundled exercise sets the scene for the trainee, and no
// brief names an answer: a priority, a caveat code (or its words), a channel, an agency, or what the
// exercise expects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAVEAT_CODES } from '../../src/domain/caveats/codes.js';
import { CHANNELS } from '../../src/domain/reference/jurisdictions.js';
import { PRIORITIES } from '../../src/domain/triage.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { fixturePath } from '../../src/io/project-files.js';
import { loadExerciseText } from '../../src/scenario/load.js';

const dir = fixturePath('scenarios');
const files = readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
const agencies = bundledReference().jurisdictions.listed();

/** Words that would answer a decision: each as a whole word, case-insensitive. */
const ANSWERS = [
  ...PRIORITIES,
  'exigent', 'urgent', 'routine', 'informational', 'legal process', 'preservation', 'subpoena',
  ...CAVEAT_CODES, ...CAVEAT_CODES.map((c) => c.toLowerCase().replace(/_/g, ' ')),
  'VPN', 'CGNAT', 'carrier-grade', 'NAT', 'proxy', 'stale', 'retention', 'hosting', 'seedbox', 'conflicting', 'country only', 'country-only',
  ...CHANNELS, 'ICAC', 'task force', 'attaché', 'national central bureau', 'NCB', 'FBI',
  ...agencies.flatMap((a) => [a.id, a.name]),
];

const named = (text: string, word: string): boolean => new RegExp(`(^|[^A-Za-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9]|$)`, 'i').test(text);

describe('trainee briefs of the bundled exercises', () => {
  for (const name of files) {
    it(`${name} has a brief that names no answer`, () => {
      const file = join(dir, name);
      const { loaded } = loadExerciseText(readFileSync(file, 'utf8'), file);
      const exercise = loaded?.exercise;
      expect(exercise?.brief, `${name} has no brief`).toEqual(expect.any(String));
      const brief = exercise?.brief ?? '';
      expect(brief.length).toBeGreaterThan(40);
      expect(ANSWERS.filter((word) => named(brief, word))).toEqual([]);
      for (const action of exercise?.expectedActions ?? []) {
        if (action.point === 'route' && action.jurisdictionId !== undefined) expect(named(brief, action.jurisdictionId)).toBe(false);
        if (action.point === 'geolocation') for (const tag of action.caveats) expect(named(brief, tag.caveat)).toBe(false);
      }
      // Nor is it the instructor's summary in other words.
      expect(brief).not.toBe(exercise?.summary);
    });
  }
});
