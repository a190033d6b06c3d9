// Mermaid export: text that Mermaid's stateDiagram-v2 grammar takes. Every line is one of the statement
// forms used, braces balance, `--` only separates the regions of a parallel state, ids are plain and no
// keyword, and labels carry no character that ends or comments out a statement (`;`, `#`, `:`), only
// Mermaid's entity codes for them. (Checked by hand once with mermaid 11 in a browser: parses and renders.)
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { createRoutingMachine } from '../../machines/routing.js';
import { machineGraph, mermaidIds, mermaidLabel, renderMermaid, type DiagramTransition } from '../../src/diagram/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { LABEL, syntaxProblems } from './mermaid-syntax.js';

const routing = machineGraph(createRoutingMachine(bundledReference()));

describe('renderMermaid', () => {
  it('writes only statements of the stateDiagram-v2 grammar, with balanced blocks', () => {
    expect(syntaxProblems(renderMermaid(routing))).toEqual([]);
  });

  it('separates the routing and clock regions with -- inside the parallel root, and nowhere else', () => {
    const lines = renderMermaid(routing).split('\n');
    const separators = lines.flatMap((line, index) => (line.trim() === '--' ? [index] : []));
    expect(separators).toHaveLength(1);
    const at = separators[0] ?? 0;
    expect(lines.slice(0, at).map((line) => line.trim())).toContain('state routing {');
    expect(lines[at + 1]?.trim()).toBe('state clock {');
  });

  it('nests composite states and marks initial children, final states and decision points', () => {
    const text = renderMermaid(routing);
    expect(text).toMatch(/state intake \{\n\s+\[\*\] --> validating\n/);
    expect(text).toMatch(/^\s+rejected --> \[\*\]$/m);
    expect(text).toMatch(/^ {2}class triage, tagging, selecting decision$/m);
    expect(text).toContain('triage --> informational : TRIAGE.ASSIGN [hasReasonForP1Downgrade and choosesInformationalTrack]');
    expect(text).toContain('triage --> triage : after triageSla');
  });

  it('writes characters that would end or comment out a label as entity codes', () => {
    const transition = { label: ['GO; NOW', '[a:b # {c} "d"]'] } as DiagramTransition;
    expect(mermaidLabel(transition)).toBe('GO#59; NOW [a#58;b #35; #123;c#125; #34;d#34;]');
    expect(new RegExp(`^${LABEL}$`).test(mermaidLabel(transition))).toBe(true);
  });

  it('gives states with the same name distinct ids, and renames keywords', () => {
    const machine = createMachine({
      id: 'door',
      initial: 'closed',
      states: {
        closed: { initial: 'idle', states: { idle: { on: { OPEN: '#door.open' } } } },
        open: { initial: 'idle', states: { idle: { after: { 5000: '#door.closed' } }, end: { type: 'final' } } },
      },
    });
    const graph = machineGraph(machine);
    const ids = mermaidIds(graph);
    expect(new Set(ids.values()).size).toBe(graph.states.length);
    expect(ids.get('door.closed.idle')).toBe('door_closed_idle');
    expect(ids.get('door.open.end')).toBe('s_end');
    const text = renderMermaid(graph);
    expect(syntaxProblems(text)).toEqual([]);
    expect(text).toContain('state "idle" as door_closed_idle');
    expect(text).toContain('door_open_idle --> closed : after 5000ms');
  });
});
