// Golden diagnostics for exercise files with one deliberate mistake each (tests/scenario/malformed/*.yaml):
// the exact list `tipflow validate` prints, as file:line:col: severity: message, with paths relative to the
// project and sorted as the CLI sorts them. Each position was read off the file by hand: it points at the
// offending value (the key for an unknown field). Where the program points somewhere less helpful, the entry
// says so in `bug` and asserts the helpful position, so the test fails until the program is fixed.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { byPosition, formatDiagnostic } from '../../src/scenario/diagnostics.js';
import { validateExerciseText, type ValidationReport } from '../../src/scenario/validate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = 'tests/scenario/malformed';
const M = DIR;

interface Golden {
  file: string;
  mistake: string;
  diagnostics: string[];
  /** Why the program's current answer is not enshrined (the assertion shows the helpful one). */
  bug?: string;
}

const NOT_DOCUMENTATION = 'is not a documentation address (allowed: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)';
const INJECT_KINDS = "'agency-acknowledge' | 'agency-decline' | 'subscriber-returned' | 'new-indicator' | 'supplemental-report' | 'preservation-confirmed' | 'message'";

const GOLDEN: Golden[] = [
  // YAML syntax
  {
    file: 'yaml-bad-indentation.yaml',
    mistake: 'capability indented one space too far (line 14)',
    diagnostics: [
      `${M}/yaml-bad-indentation.yaml:14:6: error: YAML: Implicit keys need to be on a single line`,
      `${M}/yaml-bad-indentation.yaml:14:6: error: YAML: Nested mappings are not allowed in compact mappings`,
    ],
    bug: 'reported at 13:9 (the value of the line before, `geolocation`), not at the over-indented key on line 14',
  },
  {
    file: 'yaml-dedented-key.yaml',
    mistake: 'description indented one space too little (line 15)',
    diagnostics: [`${M}/yaml-dedented-key.yaml:15:4: error: YAML: Sequence item without - indicator`],
    bug: 'reported at 15:1 (the start of the line, inside the indentation), not at the key at 15:4',
  },
  {
    file: 'yaml-unclosed-bracket.yaml',
    mistake: 'audience: [ ... never closed',
    diagnostics: [`${M}/yaml-unclosed-bracket.yaml:7:11: error: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    bug: 'reported at 8:1 (the next key, duration), not at the [ on line 7 that is never closed',
  },
  {
    file: 'duplicate-key.yaml',
    mistake: 'duration twice',
    diagnostics: [`${M}/duplicate-key.yaml:9:1: error: YAML: duration appears twice in the same mapping; keep one`],
  },
  {
    file: 'yaml-unquoted-indicator-id.yaml',
    mistake: 'caveats: [{ indicatorId: subjects[0].ipEvents[0], … }] with the id unquoted (the parser gave ~50 errors)',
    diagnostics: [`${M}/yaml-unquoted-indicator-id.yaml:38:30: error: YAML: subjects[0].ipEvents[0] must be quoted inside { }: brackets start a list there; write indicatorId: "subjects[0].ipEvents[0]"`],
  },
  {
    file: 'yaml-colon-in-message.yaml',
    mistake: 'message: Acknowledged: the … (a colon and a space inside an unquoted value)',
    diagnostics: [
      `${M}/yaml-colon-in-message.yaml:27:14: error: YAML: this value holds ": " (a colon and a space), which starts a new key; put the whole value in quotes: "Acknowledged: the Houston Metro ICAC Task Force opens a case."`,
    ],
  },
  {
    file: 'yaml-tab-indent.yaml',
    mistake: 'a tab indents line 14 (the parser gave a cascade for every line after it)',
    diagnostics: [`${M}/yaml-tab-indent.yaml:14:1: error: YAML: a tab indents this line; YAML indents with spaces only`],
  },
  // Schema
  {
    file: 'missing-title.yaml',
    mistake: 'no title',
    diagnostics: [`${M}/missing-title.yaml:2:1: error: title: is required (string)`],
  },
  {
    file: 'unknown-field-typo.yaml',
    mistake: 'expectedAction: for expectedActions:',
    diagnostics: [
      `${M}/unknown-field-typo.yaml:2:1: error: expectedActions: is required (array)`,
      `${M}/unknown-field-typo.yaml:25:1: error: expectedAction: unknown field (see \`tipflow schema scenario\` for the fields)`,
    ],
  },
  {
    file: 'wrong-capability.yaml',
    mistake: 'capability: triaging',
    diagnostics: [`${M}/wrong-capability.yaml:11:17: error: objectives[0].capability: "triaging" is not allowed; expected one of "intake", "triage", "geolocation", "referral", "legalProcess"`],
  },
  {
    file: 'bad-duration.yaml',
    mistake: 'duration: 20 minutes',
    diagnostics: [`${M}/bad-duration.yaml:8:11: error: duration: a duration such as 45m or 2h`],
  },
  {
    file: 'inject-time-without-plus.yaml',
    mistake: 'at: 2h without +',
    diagnostics: [`${M}/inject-time-without-plus.yaml:23:9: error: injects[0].at: a time after the clock start such as +30m, +2h, +3d or +1d2h`],
  },
  {
    file: 'inject-unknown-kind.yaml',
    mistake: 'kind: acknowledge',
    diagnostics: [`${M}/inject-unknown-kind.yaml:22:11: error: injects[0].kind: Invalid discriminator value. Expected ${INJECT_KINDS}`],
    bug: 'the message names the path twice: "injects[0].kind.kind: Invalid discriminator value ..."',
  },
  {
    file: 'summary-real-domain.yaml',
    mistake: 'summary mentions gmail.com',
    diagnostics: [`${M}/summary-real-domain.yaml:5:10: error: summary: mentions gmail.com, which is not an example.com, example.org or example.net domain`],
  },
  // The tip
  {
    file: 'inline-tip-non-synthetic.yaml',
    mistake: 'inline tip with ip 8.8.8.8',
    diagnostics: [`${M}/inline-tip-non-synthetic.yaml:22:15: error: tip subjects[0].ipEvents[0].ip: 8.8.8.8 ${NOT_DOCUMENTATION}`],
  },
  {
    file: 'tip-file-missing.yaml',
    mistake: 'tip path relative to the project instead of this file',
    diagnostics: [
      `${M}/tip-file-missing.yaml:19:6: error: tip file fixtures/tips/webmail-houston.json not found (looked for ${join(ROOT, DIR, 'fixtures/tips/webmail-houston.json')})`,
    ],
  },
  {
    file: 'tip-file-broken-json.yaml',
    mistake: 'tip file broken-tip.json misses a comma after line 3',
    diagnostics: [`${M}/broken-tip.json:4:3: error: not valid JSON: expected a comma`],
  },
  // References
  {
    file: 'duplicate-ids.yaml',
    mistake: 'two expected actions with id triage-p3',
    diagnostics: [`${M}/duplicate-ids.yaml:31:9: error: duplicate expected action id triage-p3`],
  },
  {
    file: 'unknown-objective.yaml',
    mistake: 'objective: referal',
    diagnostics: [
      `${M}/unknown-objective.yaml:16:9: warning: objective referral has no expected action, so it cannot be rated`,
      `${M}/unknown-objective.yaml:37:16: error: unknown objective referal (objectives: triage, geolocation, referral)`,
    ],
  },
  {
    file: 'rubric-unknown-objective.yaml',
    mistake: 'rubric for objective intake',
    diagnostics: [`${M}/rubric-unknown-objective.yaml:43:5: error: rubric for unknown objective intake`],
  },
  {
    file: 'subscriber-unknown-indicator.yaml',
    mistake: 'subscriber return for subjects[0].ipEvents[1]',
    diagnostics: [`${M}/subscriber-unknown-indicator.yaml:28:18: error: the tip has no indicator subjects[0].ipEvents[1] (it has subjects[0].ipEvents[0])`],
  },
  {
    file: 'clock-before-receipt.yaml',
    mistake: 'clock starts a day before receivedAt',
    diagnostics: [`${M}/clock-before-receipt.yaml:21:10: error: the clock starts at 2019-05-31T10:00:00Z, before the tip was received (2019-06-01T10:00:00Z)`],
  },
  {
    file: 'inject-at-and-when.yaml',
    mistake: 'inject with both at and when',
    diagnostics: [`${M}/inject-at-and-when.yaml:24:11: error: inject acknowledged has both at and when; give one`],
    bug: 'reported at 21:5 (the start of the inject), not at the second timing field (when, 24:11)',
  },
  {
    file: 'inject-without-timing.yaml',
    mistake: 'inject with neither at nor when, not a contingency',
    diagnostics: [`${M}/inject-without-timing.yaml:21:5: error: inject acknowledged needs at (+2h) or when (a state), unless it is a contingency`],
  },
  {
    file: 'objective-without-action.yaml',
    mistake: 'objective intake with no expected action',
    diagnostics: [`${M}/objective-without-action.yaml:19:9: warning: objective intake has no expected action, so it cannot be rated`],
  },
  // The rule book and the solvability run
  {
    file: 'differs-without-override.yaml',
    mistake: 'priority P2 where the rule book says P3, no override',
    diagnostics: [
      `${M}/differs-without-override.yaml:29:15: error: expected action triage-p3 differs from the rule book (the rule book says P3 referral); if that is your local policy, say why in override:`,
    ],
    bug: 'reported at 26:5 (the start of the expected action), not at the priority that differs (29:15)',
  },
  {
    file: 'override-agrees.yaml',
    mistake: 'override on a triage that agrees with the rule book',
    diagnostics: [`${M}/override-agrees.yaml:31:5: warning: expected action triage-p3 has an override but agrees with the rule book`],
  },
  {
    file: 'unsolvable-no-acknowledge.yaml',
    mistake: 'referral with no agency-acknowledge inject',
    diagnostics: [
      `${M}/unsolvable-no-acknowledge.yaml:30:5: error: not solvable: the tip stops in referral.awaitingAcknowledgement with nothing scripted to move it on (add an inject such as agency-acknowledge, or an expected action)`,
    ],
    bug: 'reported at 2:1 (format:, the first line of the document; the file has no injects key) and names referral.acknowledgementOverdue, the state after the acknowledgement SLA ran out, instead of the state where the tip started waiting; the helpful position is the expected action that took the tip there (refer-houston, 30:5)',
  },
  {
    file: 'refer-after-decline.yaml',
    mistake: 'second route re-refers to the task force that declined',
    diagnostics: [
      `${M}/refer-after-decline.yaml:50:21: error: not solvable: at route (occurrence 2) the machine cannot take ROUTE.REFER: ROUTE.REFER refused in referral.selecting: US-TX-ICAC-HOU declined this tip; it cannot be referred there again without a new indicator`,
    ],
    bug: 'reported at 45:5 (the start of the expected action), not at the jurisdictionId that declined (50:21)',
  },
  {
    file: 'refer-nothing-determining.yaml',
    mistake: 'route refer when only anonymized indicators exist',
    diagnostics: [
      `${M}/refer-nothing-determining.yaml:23:12: error: not solvable: at route (occurrence 1) the machine cannot take ROUTE.REFER: ROUTE.REFER refused in referral.selecting: no indicator can decide a jurisdiction (anonymized, attribution-blocked or without location): use legal process or informational`,
    ],
    bug: 'reported at 20:5 (the start of the expected action), not at route: refer (23:12)',
  },
  {
    file: 'unreachable-inject.yaml',
    mistake: 'preservation inject in an exercise that never enters legal process',
    diagnostics: [`${M}/unreachable-inject.yaml:25:5: warning: inject preserved is unreachable: its state legalProcess.preservationRequested (entry 1) is never reached`],
  },
];

let engine: Engine;

beforeAll(() => {
  engine = new Engine(bundledReference());
});

function validate(file: string): ValidationReport {
  const path = join(ROOT, DIR, file);
  return validateExerciseText(engine, readFileSync(path, 'utf8'), path);
}

/** What `tipflow validate` run from the project folder prints on stderr, one line per diagnostic. */
function printed(report: ValidationReport): string[] {
  return report.diagnostics
    .map((d) => ({ ...d, file: relative(ROOT, d.file) }))
    .sort(byPosition)
    .map(formatDiagnostic);
}

describe('malformed exercises: exact diagnostics', () => {
  it.each(GOLDEN.map((g) => [g.file, g.mistake, g] as const))('%s (%s)', (file, _mistake, golden) => {
    expect(printed(validate(file)), golden.bug === undefined ? undefined : `known bug: ${golden.bug}`).toEqual(golden.diagnostics);
  });

  it('covers every file in tests/scenario/malformed, at least 14 of them', () => {
    const files = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(14);
    expect(files).toEqual(GOLDEN.map((g) => g.file).sort());
  });

  it('shows each file one mistake: one diagnostic, or one plus its direct consequence', () => {
    for (const golden of GOLDEN) expect(golden.diagnostics.length, golden.file).toBeLessThanOrEqual(2);
  });

  it('still proves the warning-only files solvable (the warning does not stop the run)', () => {
    for (const golden of GOLDEN.filter((g) => g.diagnostics.every((d) => d.includes(': warning: ')))) {
      const report = validate(golden.file);
      expect(report.outcome, golden.file).toBe('referred');
      expect(report.steps.length, golden.file).toBeGreaterThan(0);
    }
  });
});
