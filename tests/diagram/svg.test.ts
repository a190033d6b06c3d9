// The SVG export: well-formed XML, titled, decision points and final states marked, and active states
// highlighted when asked (what the inspector reuses).
import { beforeAll, describe, expect, it } from 'vitest';
import { createRoutingMachine } from '../../machines/routing.js';
import { layoutDiagram, machineGraph, renderSvg, type DiagramGraph, type DiagramLayout } from '../../src/diagram/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { xmlProblems } from './xml.js';

let graph: DiagramGraph;
let layout: DiagramLayout;

beforeAll(async () => {
  graph = machineGraph(createRoutingMachine(bundledReference()));
  layout = await layoutDiagram(graph);
});

const groupOf = (svg: string, stateId: string): string => {
  const match = new RegExp(`<g class="([^"]*)" data-state-id="${stateId.replace(/\./g, '\\.')}"`).exec(svg);
  return match?.[1] ?? '';
};

describe('renderSvg', () => {
  it('is well-formed XML with a title and a viewBox the size of the layout', () => {
    const svg = renderSvg(graph, layout, { title: 'routing <machine> & clock' });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('<title id="tipflow-diagram-title">routing &lt;machine&gt; &amp; clock</title>');
    expect(svg).toMatch(new RegExp(`viewBox="0 0 ${Math.round(layout.width * 10) / 10} ${Math.round(layout.height * 10) / 10}"`));
  });

  it('the well-formedness check catches what a browser would refuse', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg a="1" a="2"/>')).not.toEqual([]);
    expect(xmlProblems('<svg/><svg/>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a &amp; b &#9670;</text><g/></svg>')).toEqual([]);
  });

  it('marks decision points, final states, parallel regions and initial children', () => {
    const svg = renderSvg(graph, layout);
    expect(groupOf(svg, 'tip.routing.triage').split(' ')).toContain('decision');
    expect(svg).toContain('◆ decision:triage');
    expect(groupOf(svg, 'tip.routing.closed.referred').split(' ')).toContain('final');
    expect(groupOf(svg, 'tip.routing').split(' ')).toContain('region');
    expect(groupOf(svg, 'tip').split(' ')).toContain('parallel');
    const initials = [...svg.matchAll(/data-initial-of="([^"]*)"/g)].map((match) => match[1]);
    expect(initials.sort()).toEqual(graph.states.filter((state) => state.initial !== null).map((state) => state.id).sort());
  });

  it('highlights the active states and the transitions leaving them, and nothing else', () => {
    const active = ['tip', 'tip.routing', 'tip.routing.triage', 'tip.clock', 'tip.clock.running'];
    const svg = renderSvg(graph, layout, { active });
    for (const state of graph.states) {
      expect(groupOf(svg, state.id).split(' ').includes('active'), state.id).toBe(active.includes(state.id));
    }
    const highlighted = [...svg.matchAll(/<g class="transition[^"]*from-active[^"]*"[^>]* data-source="([^"]*)"/g)].map((match) => match[1]);
    expect(new Set(highlighted)).toEqual(new Set(['tip.routing.triage', 'tip.clock.running']));
    expect(renderSvg(graph, layout)).not.toMatch(/class="[^"]*\bactive\b/);
  });

  it('leaves the stylesheet out for pages that forbid inline styles, and prefixes ids', () => {
    const svg = renderSvg(graph, layout, { embedStyle: false, idPrefix: 'inspector' });
    expect(svg).not.toContain('<style>');
    expect(svg).toContain('marker-end="url(#inspector-arrow)"');
    expect(xmlProblems(svg)).toEqual([]);
  });
});
