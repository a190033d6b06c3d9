// `tipflow diagram` on the real binary (bin/tipflow.js on the built dist/): formats, -o, and refusals.
// `npm test` builds first (pretest); run `npm run build` before calling vitest on this file directly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagramDocument } from '../../src/diagram/index.js';
import { xmlProblems } from './xml.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tipflow.js');

function tipflow(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error !== undefined) throw run.error;
  return run;
}

let scratch = '';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'commands', 'diagram.js'))) {
    throw new Error('tipflow is not built: run `npm run build` (npm test does it through pretest) before the CLI tests');
  }
  scratch = mkdtempSync(join(tmpdir(), 'tipflow-diagram-'));
});

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('tipflow diagram', () => {
  it('prints Mermaid by default', () => {
    const run = tipflow('diagram');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(run.stdout).toBe(tipflow('diagram', '--format', 'mermaid', '--machine', 'routing').stdout);
  });

  it('prints SVG, DOT and JSON', () => {
    const svg = tipflow('diagram', '--format', 'svg');
    expect(svg.status).toBe(0);
    expect(svg.stdout).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(xmlProblems(svg.stdout)).toEqual([]);
    const dot = tipflow('diagram', '--format', 'dot');
    expect(dot.stdout).toMatch(/^digraph "tip" \{/);
    const json = JSON.parse(tipflow('diagram', '--format', 'json').stdout) as DiagramDocument;
    expect(json.format).toBe('tipflow.diagram/1');
    expect(json.layout.states.length).toBe(json.graph.states.length);
  });

  it('writes to a file with -o', () => {
    const file = join(scratch, 'machine.dot');
    const run = tipflow('diagram', '--format', 'dot', '-o', file);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(tipflow('diagram', '--format', 'dot').stdout);
  });

  it('refuses an unknown format or machine, naming the choices', () => {
    const format = tipflow('diagram', '--format', 'png');
    expect(format.status).not.toBe(0);
    expect(format.stderr).toMatch(/'png' is invalid\. Allowed choices are mermaid, svg, dot, json/);
    const machine = tipflow('diagram', '--machine', 'billing');
    expect(machine.status).not.toBe(0);
    expect(machine.stderr).toMatch(/'billing' is invalid\. Allowed choices are routing/);
    expect(machine.stdout).toBe('');
  });
});
