// Graph export on machines fast-check makes up: for any statechart (nested compound and parallel
// states, final states, repeated and keyword state names, events with characters Mermaid, DOT and XML
// must escape, guards, delays, eventless and targetless transitions, arrows across containers), every
// state and transition of the definition appears in Mermaid, DOT, SVG and JSON, and the SVG is
// well-formed. Runs are few: each lays the machine out with ELK.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { and, createMachine, type AnyStateMachine } from 'xstate';
import { layoutDiagram, machineGraph, mermaidIds, renderDot, renderJson, renderMermaid, renderSvg, type DiagramDocument } from '../../src/diagram/index.js';
import { definedStateIds, definedTransitions, transitionKeys } from './definition.js';
import { dotNodeIds, dotTransitions, mermaidDeclaredIds, mermaidTransitions, svgStateIds, svgTransitions } from './parse-formats.js';
import { syntaxProblems } from './mermaid-syntax.js';
import { xmlProblems } from './xml.js';

const KEYS = ['idle', 'busy', 'done', 'end', 'state', 'note', 'a1', 'waiting_room', 'Review'];
const EVENTS = ['GO', 'ITEM.ADD', 'a:b', 'x;y', 'q"r', 'h#t', 'amp&lt', 'ü.UMLAUT', 'less<more'];
const GUARDS = ['isReady', 'hasRoom'];

interface NodeSpec {
  parent: number;
  key: string;
  kind: 'normal' | 'parallel' | 'final';
}

interface TransitionSpec {
  from: number;
  to: number | null;
  kind: 'event' | 'after' | 'always';
  event: string;
  guard: 'none' | 'one' | 'and';
  delay: number | 'slow';
}

const nodeSpecs = fc
  .array(fc.record({ parent: fc.nat(), key: fc.constantFrom(...KEYS), kind: fc.constantFrom<NodeSpec['kind']>('normal', 'normal', 'parallel', 'final') }), { minLength: 1, maxLength: 11 })
  .map((nodes) => nodes.map((node, index) => ({ ...node, parent: index === 0 ? -1 : node.parent % index })));

const transitionSpecs = fc.array(
  fc.record({
    from: fc.nat(),
    to: fc.option(fc.nat(), { nil: null }),
    kind: fc.constantFrom<TransitionSpec['kind']>('event', 'event', 'after', 'always'),
    event: fc.constantFrom(...EVENTS),
    guard: fc.constantFrom<TransitionSpec['guard']>('none', 'one', 'and'),
    delay: fc.constantFrom<TransitionSpec['delay']>(1000, 'slow'),
  }),
  { maxLength: 14 },
);

type Config = Record<string, unknown> & { states?: Record<string, Config>; on?: Record<string, unknown[]>; after?: Record<string, unknown[]>; always?: unknown[] };

/** A machine from the specs: children by parent index, sibling keys made unique, targets by `#id`. */
function buildMachine(nodes: NodeSpec[], transitions: TransitionSpec[]): AnyStateMachine {
  const configs: Config[] = nodes.map(() => ({}));
  const ids: string[] = [];
  const hasChildren = nodes.map((_, index) => nodes.some((node) => node.parent === index));
  nodes.forEach((node, index) => {
    if (index === 0) {
      ids.push('m');
      return;
    }
    const parent = configs[node.parent] as Config;
    parent.states ??= {};
    let key = node.key;
    while (key in parent.states) key = `${key}2`;
    parent.states[key] = configs[index] as Config;
    ids.push(`${ids[node.parent]}.${key}`);
  });
  nodes.forEach((node, index) => {
    const config = configs[index] as Config;
    if (hasChildren[index]) {
      if (node.kind === 'parallel') config.type = 'parallel';
      else config.initial = Object.keys(config.states ?? {})[0];
    } else if (node.kind === 'final' && index > 0) config.type = 'final';
  });
  for (const spec of transitions) {
    const from = spec.from % nodes.length;
    const config = configs[from] as Config;
    if (config.type === 'final') continue;
    const to = spec.to === null ? null : spec.to % nodes.length;
    const transition: Record<string, unknown> = to === null || to === 0 ? {} : { target: `#${ids[to]}` };
    if (spec.guard === 'one') transition.guard = GUARDS[0];
    if (spec.guard === 'and') transition.guard = and([...GUARDS]);
    if (spec.kind === 'event') ((config.on ??= {})[spec.event] ??= []).push(transition);
    else if (spec.kind === 'after') ((config.after ??= {})[String(spec.delay)] ??= []).push(transition);
    else (config.always ??= []).push(transition);
  }
  return createMachine({ id: 'm', ...(configs[0] as Config) } as Parameters<typeof createMachine>[0]);
}

describe('graph export of any machine', () => {
  test.prop([nodeSpecs, transitionSpecs], { numRuns: 20 })('every defined state and transition appears in every format', async (nodes, transitions) => {
    const machine = buildMachine(nodes, transitions);
    const stateIds = [...definedStateIds(machine)].sort();
    const expected = transitionKeys(definedTransitions(machine));
    const graph = machineGraph(machine);
    expect(transitionKeys(graph.transitions)).toEqual(expected);

    const mermaid = renderMermaid(graph);
    expect(syntaxProblems(mermaid)).toEqual([]);
    const stateOf = new Map([...mermaidIds(graph)].map(([stateId, mermaidId]) => [mermaidId, stateId]));
    const back = (id: string): string => stateOf.get(id) ?? `unknown ${id}`;
    expect([...mermaidDeclaredIds(mermaid)].map(back).sort()).toEqual(stateIds);
    expect(transitionKeys(mermaidTransitions(mermaid, back))).toEqual(expected);

    const dot = renderDot(graph);
    expect([...dotNodeIds(dot)].sort()).toEqual(stateIds);
    expect(transitionKeys(dotTransitions(dot))).toEqual(expected);

    const layout = await layoutDiagram(graph);
    const svg = renderSvg(graph, layout, { active: stateIds.slice(0, 2) });
    expect(xmlProblems(svg)).toEqual([]);
    expect([...svgStateIds(svg)].sort()).toEqual(stateIds);
    expect(transitionKeys(svgTransitions(svg))).toEqual(expected);

    const document = JSON.parse(renderJson(graph, layout)) as DiagramDocument;
    expect(transitionKeys(document.graph.transitions)).toEqual(expected);
    expect(document.layout.states.map((box) => box.id).sort()).toEqual(stateIds);
  });
});
