// `tipflow validate` and `tipflow schema scenario` as a user runs them (the real bin/tipflow.js on the built
// dist/): exit codes, the file:line:col lines on stderr, the summary and the --explain path on stdout.
// `npm test` builds first (pretest); run `npm run build` before calling vitest on this file directly.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tipflow.js');
const HOUSTON = 'fixtures/scenarios/webmail-houston.yaml';
const M = 'tests/scenario/malformed';
const RUN_TIMEOUT_MS = 20_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tipflow(args: string[], cwd = ROOT): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error !== undefined) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

const BAD_DURATION = `${M}/bad-duration.yaml:8:11: error: duration: a duration such as 45m or 2h`;
const UNREACHABLE = `${M}/unreachable-inject.yaml:25:5: warning: inject preserved is unreachable: its state legalProcess.preservationRequested (entry 1) is never reached`;
const MISSING_TITLE = `${M}/missing-title.yaml:2:1: error: title: is required (string)`;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('tipflow is not built: run `npm run build` (npm test does it through pretest) before the CLI tests');
  }
});

describe('tipflow validate: exit codes', () => {
  it('exits 0 on a valid, solvable exercise, even with --strict, and prints nothing on stderr', () => {
    const run = tipflow(['validate', '--strict', HOUSTON]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${HOUSTON}: valid and solvable (outcome referred, 4 steps)\n`);
  });

  it('exits 1 on an error and prints it as file:line:col: severity: message', () => {
    const run = tipflow(['validate', `${M}/bad-duration.yaml`]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${BAD_DURATION}\n`);
    expect(run.stdout).toBe('');
  });

  it('exits 0 on warnings alone, and says the file is valid with its warning count', () => {
    const run = tipflow(['validate', `${M}/unreachable-inject.yaml`]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`${UNREACHABLE}\n`);
    expect(run.stdout).toBe(`${M}/unreachable-inject.yaml: valid and solvable (outcome referred, 4 steps), 1 warning\n`);
  });

  it('exits 1 on warnings with --strict, printing the same lines', () => {
    const run = tipflow(['validate', '--strict', `${M}/unreachable-inject.yaml`]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${UNREACHABLE}\n`);
  });

  it('exits 1 on an error in a tip file, reported against that JSON file', () => {
    const run = tipflow(['validate', `${M}/tip-file-broken-json.yaml`]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${M}/broken-tip.json:4:3: error: not valid JSON: expected a comma\n`);
  });

  it('reports a missing file as an error at 1:1 and exits 1', () => {
    const run = tipflow(['validate', 'no-such-exercise.yaml']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('no-such-exercise.yaml:1:1: error: no such file\n');
    expect(run.stdout).toBe('');
  });
});

describe('tipflow validate: several files', () => {
  it('reports every file, valid ones included, then one summary line, and exits 1 when any has an error', () => {
    const files = [HOUSTON, `${M}/bad-duration.yaml`, `${M}/unreachable-inject.yaml`, `${M}/missing-title.yaml`, 'no-such-exercise.yaml'];
    const run = tipflow(['validate', ...files]);
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([BAD_DURATION, UNREACHABLE, MISSING_TITLE, 'no-such-exercise.yaml:1:1: error: no such file']);
    expect(lines(run.stdout)).toEqual([
      `${HOUSTON}: valid and solvable (outcome referred, 4 steps)`,
      `${M}/unreachable-inject.yaml: valid and solvable (outcome referred, 4 steps), 1 warning`,
      '5 files: 3 errors, 1 warning',
    ]);
  });

  it('exits 0 for several valid files with warnings without --strict, 1 with it', () => {
    const files = [HOUSTON, `${M}/unreachable-inject.yaml`, `${M}/objective-without-action.yaml`];
    const lax = tipflow(['validate', ...files]);
    expect(lax.status).toBe(0);
    expect(lines(lax.stdout).at(-1)).toBe('3 files: 0 errors, 2 warnings');
    expect(lines(lax.stderr)).toHaveLength(2);
    const strict = tipflow(['validate', '--strict', ...files]);
    expect(strict.status).toBe(1);
    expect(lines(strict.stdout).at(-1)).toBe('3 files: 0 errors, 2 warnings');
  });

  it('names files relative to the folder it runs in', () => {
    const run = tipflow(['validate', 'malformed/bad-duration.yaml', 'malformed/tip-file-broken-json.yaml'], join(ROOT, 'tests', 'scenario'));
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'malformed/bad-duration.yaml:8:11: error: duration: a duration such as 45m or 2h',
      'malformed/broken-tip.json:4:3: error: not valid JSON: expected a comma',
    ]);
  });
});

describe('tipflow validate: paths as given on the command line', () => {
  it('an absolute path outside the project is printed as given, never as ../../tmp/…, and so is its tip file beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipflow-validate-'));
    try {
      copyFileSync(join(ROOT, M, 'tip-file-broken-json.yaml'), join(dir, 'exercise.yaml'));
      copyFileSync(join(ROOT, M, 'broken-tip.json'), join(dir, 'broken-tip.json'));
      copyFileSync(join(ROOT, M, 'bad-duration.yaml'), join(dir, 'bad-duration.yaml'));
      const run = tipflow(['validate', join(dir, 'exercise.yaml'), join(dir, 'bad-duration.yaml')]);
      expect(run.status).toBe(1);
      expect(lines(run.stderr)).toEqual([
        `${join(dir, 'broken-tip.json')}:4:3: error: not valid JSON: expected a comma`,
        `${join(dir, 'bad-duration.yaml')}:8:11: error: duration: a duration such as 45m or 2h`,
        // In the same round as the field error: its tip path does not hold outside the project.
        `${join(dir, 'bad-duration.yaml')}:19:6: error: tip file ../../../fixtures/tips/webmail-houston.json not found (looked for ${join(dir, '../../../fixtures/tips/webmail-houston.json')})`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tipflow validate --explain', () => {
  it('prints the path the solvability run took: each decision and inject in order', () => {
    const run = tipflow(['validate', '--explain', HOUSTON]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const out = lines(run.stdout);
    expect(out[0]).toBe(`${HOUSTON}: valid and solvable (outcome referred, 4 steps)`);
    const path = out.slice(1).map((l) => l.trim().split(/\s+/).slice(1));
    expect(path).toEqual([
      ['triage', 'decision', 'TRIAGE.ASSIGN', 'priority=P3', 'track=referral'],
      ['geolocation.tagging', 'decision', 'GEO.CONFIRM'],
      ['referral.selecting', 'decision', 'ROUTE.REFER', 'jurisdictionId=US-TX-ICAC-HOU'],
      ['referral.awaitingAcknowledgement', 'inject', 'agency-acknowledge:', 'AGENCY.ACKNOWLEDGE', '[acknowledged]'],
    ]);
    for (const line of out.slice(1)) expect(line).toMatch(/^ {2}2019-06-01T10:00:00\.000Z {2}/);
  });

  it('prints the path for a file with warnings too', () => {
    const run = tipflow(['validate', '--explain', `${M}/objective-without-action.yaml`]);
    expect(run.status).toBe(0);
    const out = lines(run.stdout);
    expect(out[0]).toBe(`${M}/objective-without-action.yaml: valid and solvable (outcome referred, 4 steps), 1 warning`);
    expect(out.slice(1)).toHaveLength(4);
  });

  it('prints no path for a file with errors', () => {
    const run = tipflow(['validate', '--explain', `${M}/bad-duration.yaml`]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${BAD_DURATION}\n`);
  });
});

describe('tipflow schema scenario', () => {
  it('prints a JSON Schema that parses, is strict at the top and names the required fields', () => {
    const run = tipflow(['schema', 'scenario']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const schema = JSON.parse(run.stdout) as { $schema?: unknown; type?: unknown; additionalProperties?: unknown; required?: unknown; properties?: Record<string, unknown> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'id', 'title', 'objectives', 'tip', 'expectedActions']));
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['injects', 'expectedActions', 'rubric', 'clock']));
    expect(Object.keys(schema.properties ?? {})).not.toContain('expectedAction');
  });
});
