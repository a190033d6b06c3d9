// `tipflow simulate` as a user runs it (bin/tipflow.js on the built dist/; npm test builds first): the JSON
// summary, the files it writes, plain progress lines when stderr is not a terminal, and clear errors with
// exit 2 for bad flags and 1 for a bad parameters file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationSummary } from '../../src/sim/summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tipflow.js');
let scratch = '';

function tipflow(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, 'simulate', ...args], { cwd: scratch, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error !== undefined) throw run.error;
  return run;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'sim', 'worker.js'))) throw new Error('tipflow is not built: run `npm run build` before the simulate CLI tests');
  scratch = mkdtempSync(join(tmpdir(), 'tipflow-simulate-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('tipflow simulate', () => {
  it('prints the JSON summary, writes summary.json and report.html, and reports progress on stderr', () => {
    const run = tipflow('--tips', '4000', '--seed', '5', '--workers', '2', '--json', '--out', 'out-a');
    expect(run.stderr).toMatch(/simulate: 100\.0 % {2}4,000 \/ 4,000 tips {2}[\d,]+ tips\/s {2}ETA 0s/);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as SimulationSummary;
    expect(summary.format).toBe('tipflow.simulation/1');
    expect(summary.run).toMatchObject({ tips: 4000, seed: 5, year: 2019, workers: 2 });
    const c = summary.conservation;
    expect(c.holds).toBe(true);
    expect(c.referred + c.legalProcess + c.informational + c.bundled + c.rejected).toBe(4000);
    const written = JSON.parse(readFileSync(join(scratch, 'out-a', 'summary.json'), 'utf8')) as SimulationSummary;
    expect(written.conservation).toEqual(summary.conservation);
    const html = readFileSync(join(scratch, 'out-a', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('prints the summary table and names the files it wrote (default folder simulation-<n>-<seed>)', () => {
    const run = tipflow('--tips', '1500', '--workers', '1');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Outcomes: in 1,500 = referred [\d,]+ \+ legal process [\d,]+ \+ informational [\d,]+ \+ bundled [\d,]+ \+ rejected [\d,]+ \(conserved\)/);
    for (const heading of ['SLA breaches', 'Channels', 'jurisdictions', 'Caveats', 'Confidence', 'Legal process']) expect(run.stdout).toContain(heading);
    expect(run.stdout).toContain(`wrote ${join('simulation-1500-1', 'summary.json')} and ${join('simulation-1500-1', 'report.html')}`);
  });

  it('gives the same figures for the same seed whatever the worker count', () => {
    const figures = (workers: string) => {
      const { run: _run, ...rest } = JSON.parse(tipflow('--tips', '3000', '--seed', '8', '--workers', workers, '--json', '--out', `w${workers}`).stdout) as SimulationSummary;
      return rest;
    };
    expect(figures('1')).toEqual(figures('2'));
  });

  it.each([
    [[], /say how much to simulate: --tips <n>/],
    [['--tips', 'many'], /--tips many is not a whole number from 1 to 100,000,000/],
    [['--tips', '0'], /--tips 0 is not a whole number/],
    [['--year', '2018'], /--year 2018 is not a whole number from 2,019 to 2,024/],
    [['--tips', '10', '--workers', '-1'], /--workers -1 is not a whole number from 0 to 16/],
    [['--tips', '10', '--seed', '1.5'], /--seed 1.5 is not a whole number/],
  ])('refuses %j with a clear message and exit 2', (args, message) => {
    const run = tipflow(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('refuses an unknown option the way every tipflow command does (commander: exit 1)', () => {
    const run = tipflow('--tips', '10', '--bogus');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('refuses a parameters file that is not valid, naming the field, with exit 1', () => {
    const bad = readFileSync(join(ROOT, 'fixtures', 'sim', 'parameters.yaml'), 'utf8').replace('publicShare: 0.008915', 'publicShare: 1.5');
    writeFileSync(join(scratch, 'bad.yaml'), bad);
    const run = tipflow('--tips', '10', '--params', 'bad.yaml');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/bad\.yaml is not a valid parameters file:\n\s+publicShare: /);
    expect(tipflow('--tips', '10', '--params', 'missing.yaml').stderr).toMatch(/cannot read the parameters file .*missing\.yaml: ENOENT/);
  });

  it('explains itself in --help', () => {
    const run = tipflow('--help');
    expect(run.status).toBe(0);
    for (const flag of ['--tips <n>', '--year <yyyy>', '--seed <s>', '--workers <k>', '--json', '--out <dir>', '--params <file>']) expect(run.stdout).toContain(flag);
  });
});
