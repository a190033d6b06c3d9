// The README shows the routing machine as Mermaid, and docs/machine.svg as a laid-out picture; both are
// generated from machines/routing.ts and must not fall behind it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGRAM_MACHINES, diagramText } from '../../src/cli/commands/diagram.js';
import { MACHINE_SVG, readmeDiagram, readmeDiagramBlock, withReadmeDiagram } from '../../src/cli/commands/diagram-docs.js';
import { PROJECT_ROOT } from '../../src/io/project-files.js';

const HOW_TO_UPDATE = 'run `npm run diagram` to regenerate it from machines/routing.ts, and commit the result';
const routing = (DIAGRAM_MACHINES.routing as () => Parameters<typeof diagramText>[0])();

describe('generated copies of the machine diagram', () => {
  it('the README shows what `tipflow diagram --format mermaid` prints', async () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const current = readmeDiagram(readme);
    expect(current, 'README.md has lost its <!-- diagram:start --> / <!-- diagram:end --> markers').not.toBeNull();
    const expected = readmeDiagramBlock(await diagramText(routing, 'mermaid'));
    expect(current === expected, `The README's machine diagram is out of date: ${HOW_TO_UPDATE}.`).toBe(true);
  });

  it(`${MACHINE_SVG} is what \`tipflow diagram --format svg\` prints`, async () => {
    const current = readFileSync(join(PROJECT_ROOT, MACHINE_SVG), 'utf8');
    const expected = await diagramText(routing, 'svg');
    expect(current === expected, `${MACHINE_SVG} is out of date: ${HOW_TO_UPDATE}.`).toBe(true);
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# title\n\n${readmeDiagramBlock('stateDiagram-v2\n  old\n')}\n\nafter\n`;
    const updated = withReadmeDiagram(readme, 'stateDiagram-v2\n  new $& $1\n');
    expect(updated).toBe(`# title\n\n${readmeDiagramBlock('stateDiagram-v2\n  new $& $1\n')}\n\nafter\n`);
    expect(() => withReadmeDiagram('# no markers\n', 'x')).toThrow(/no diagram markers/);
  });
});
