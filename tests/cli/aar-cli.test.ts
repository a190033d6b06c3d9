// `tipflow aar` (issue 18, item 1): session files saved by `tipflow run --save`, a debrief printed by `tipflow
// run --json` and a cohort's results export, in one report; HTML by default, Markdown with --md, a file with
// -o; an unreadable or foreign input is refused naming the file. Spawns bin/tipflow.js on the built dist/
// (run `npm run build` before calling vitest on this file directly).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tipflow.js');
const HOUSTON = 'fixtures/scenarios/webmail-houston.yaml';
const tipflow = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-aar-'));
  expect(tipflow('run', HOUSTON, '--answers', 'fixtures/answers/webmail-houston.answers.yaml', '--save', join(dir, 'alice.json')).status).toBe(0);
  expect(tipflow('run', HOUSTON, '--answers', 'fixtures/answers/wrong/webmail-houston.state-task-force.yaml', '--save', join(dir, 'bob.json')).status).toBe(0);
  const carol = tipflow('run', HOUSTON, '--answers', 'fixtures/answers/wrong/webmail-houston.state-task-force.yaml', '--json');
  writeFileSync(join(dir, 'carol.json'), carol.stdout);
  writeFileSync(
    join(dir, 'results.json'),
    JSON.stringify({ results: [{ sessionId: 's-1', trainee: 'dave', exerciseId: 'webmail-houston', mode: 'assessment', closed: true, outcome: 'referred', overallRating: 'U', overallScore: 0, objectives: { triage: 'U', geolocation: 'U', referral: 'U' }, decisions: { right: 0, partly: 0, wrong: 3 }, simulatedMs: 0, simulatedTime: '0m' }] }),
  );
  writeFileSync(join(dir, 'foreign.json'), JSON.stringify({ hello: 'world' }));
  writeFileSync(join(dir, 'broken.json'), '{ "format": ');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tipflow aar', () => {
  it('reads saved sessions, a debrief and a results export into one Markdown report', () => {
    const run = tipflow('aar', join(dir, 'alice.json'), join(dir, 'bob.json'), join(dir, 'carol.json'), join(dir, 'results.json'), '--md');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# After-action report: Webmail report to the Houston task force\n/);
    expect(run.stdout).toContain('- Trainees: 4 (alice, bob, carol, dave)');
    // alice right, bob and carol the state's task force (partly: the wrong unit), dave U from the export.
    expect(run.stdout).toContain('- Ratings over 4 attempts: P 1, S 0, M 2, U 1');
    expect(run.stdout).toContain('Wrong route or referral: a referral to the wrong unit of the right state: 2 decisions (2 trainees).');
    expect(run.stdout).toContain('1 of the attempts come from a results export');
  });

  it('writes self-contained HTML, to stdout by default and to a file with -o', () => {
    const out = tipflow('aar', join(dir, 'alice.json'), join(dir, 'bob.json'));
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(out.stdout).not.toMatch(/https?:|<script/);
    const file = join(dir, 'report.html');
    const written = tipflow('aar', join(dir, 'alice.json'), join(dir, 'bob.json'), '-o', file);
    expect(written.status).toBe(0);
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain(`wrote ${file}: 2 attempts of 2 trainees`);
    expect(readFileSync(file, 'utf8')).toBe(out.stdout);
  });

  it('refuses an unreadable, a broken and a foreign file, naming it', () => {
    const missing = tipflow('aar', join(dir, 'nobody.json'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`tipflow aar: ${join(dir, 'nobody.json')}: cannot be read (ENOENT)\n`);
    const broken = tipflow('aar', join(dir, 'alice.json'), join(dir, 'broken.json'));
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain(`tipflow aar: ${join(dir, 'broken.json')}: not JSON`);
    const foreign = tipflow('aar', join(dir, 'foreign.json'));
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain(`${join(dir, 'foreign.json')}: not a tipflow session file, debrief or results export`);
  });

  it('explains itself in --help', () => {
    const help = tipflow('aar', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: tipflow aar [options] <files...>');
    expect(help.stdout).toContain('--md');
    expect(help.stdout).toContain('-o, --output <file>');
  });
});
