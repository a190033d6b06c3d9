// DOT export: strings escaped as DOT wants them, and (where Graphviz is installed) `dot` reads the routing
// machine's graph without an error or a warning.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRoutingMachine } from '../../machines/routing.js';
import { dotString, machineGraph, renderDot } from '../../src/diagram/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';

const graphviz = spawnSync('dot', ['-V'], { encoding: 'utf8' });
const hasGraphviz = graphviz.error === undefined && graphviz.status === 0;
// .ci/run installs Graphviz: in CI its absence is a failure, elsewhere the check is skipped with a word why.
if (!hasGraphviz && process.env.CI !== undefined) throw new Error('Graphviz (dot) is missing: .ci/run installs Debian\'s graphviz package');
if (!hasGraphviz) console.warn('DOT check by Graphviz skipped: install Debian\'s graphviz package to run it');

describe('renderDot', () => {
  it('escapes quotes, backslashes and line breaks in strings', () => {
    expect(dotString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
  });

  it('draws compound states as clusters with their point, and clips arrows at their border', () => {
    const dot = renderDot(machineGraph(createRoutingMachine(bundledReference())));
    expect(dot).toContain('subgraph "cluster_tip.routing.geolocation" {');
    expect(dot).toMatch(/"tip\.routing\.legalProcess" -> "tip\.routing\.geolocation" \[.*ltail="cluster_tip\.routing\.legalProcess", lhead="cluster_tip\.routing\.geolocation"\]/);
    expect(dot).toMatch(/"tip\.routing\.closed\.referred" \[label="referred", peripheries=2\]/);
  });

  it.skipIf(!hasGraphviz)('is read by Graphviz without errors or warnings', () => {
    const run = spawnSync('dot', ['-Tsvg'], { input: renderDot(machineGraph(createRoutingMachine(bundledReference()))), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('<svg');
  });
});
