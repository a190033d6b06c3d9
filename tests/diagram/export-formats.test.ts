// Graph export (issue 8): every state and every transition of the routing machine appears in each format.
// The expected states and transitions are read from the machine definition (tests/diagram/definition.ts),
// and each format is read back the way its own reader would, so a state or arrow a renderer drops, or a
// transition the graph model misses (xstate/graph leaves out `always`), fails here.
import { beforeAll, describe, expect, it } from 'vitest';
import { createRoutingMachine } from '../../machines/routing.js';
import { layoutDiagram, machineGraph, mermaidIds, renderDot, renderJson, renderMermaid, renderSvg, type DiagramDocument, type DiagramGraph, type DiagramLayout } from '../../src/diagram/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { definedStateIds, definedTransitions, transitionKeys } from './definition.js';
import { dotNodeIds, dotTransitions, mermaidDeclaredIds, mermaidTransitions, svgStateIds, svgTransitions } from './parse-formats.js';

const machine = createRoutingMachine(bundledReference());
const stateIds = definedStateIds(machine);
const expected = transitionKeys(definedTransitions(machine));

let graph: DiagramGraph;
let layout: DiagramLayout;

beforeAll(async () => {
  graph = machineGraph(machine);
  layout = await layoutDiagram(graph);
});

describe('the graph model of the routing machine', () => {
  it('has every state node of the definition, parents first, with its type and tags', () => {
    expect(graph.states.map((state) => state.id).sort()).toEqual([...stateIds].sort());
    const seen = new Set<string>();
    for (const state of graph.states) {
      if (state.parent !== null) expect(seen.has(state.parent), `${state.id} comes after its parent`).toBe(true);
      seen.add(state.id);
    }
    const byId = new Map(graph.states.map((state) => [state.id, state]));
    expect(byId.get('tip')?.type).toBe('parallel');
    expect(byId.get('tip.routing')?.region).toBe(true);
    expect(byId.get('tip.clock')?.region).toBe(true);
    expect(byId.get('tip.routing.triage')?.tags).toEqual(['decision:triage']);
    expect(byId.get('tip.routing.geolocation.tagging')?.tags).toEqual(['decision:geolocation']);
    expect(byId.get('tip.routing.closed.rejected')?.type).toBe('final');
    expect(byId.get('tip.routing.intake')?.initial).toBe('tip.routing.intake.validating');
  });

  it('has every transition of the definition, including eventless, delayed and targetless ones', () => {
    expect(transitionKeys(graph.transitions)).toEqual(expected);
    const byTrigger = (trigger: string) => graph.transitions.filter((transition) => transition.trigger === trigger);
    expect(byTrigger('always').map((transition) => transition.guard)).toContain('isRejectedAtIntake');
    expect(byTrigger('after triageSla')).toMatchObject([{ kind: 'after', delay: 'triageSla', targetless: true, source: 'tip.routing.triage' }]);
    expect(byTrigger('GEO.TAG')).toMatchObject([{ targetless: true, guard: 'fitsAnIndicator and fitsIndicatorKind and isNotYetTagged', actions: ['addTag'] }]);
    // Every rule a transition checks is named on it (issue 17): no catch-all guard.
    expect(graph.transitions.filter((transition) => transition.trigger === 'ROUTE.REFER').map((transition) => transition.guard)).toEqual(['hasDeterminingIndicator and isKnownJurisdiction and wasNotDeclined']);
    expect(graph.transitions.map((transition) => transition.guard ?? '').join(' ')).not.toContain('isWellFormed');
    expect(graph.transitions.find((transition) => transition.trigger === 'INDICATOR.ADD' && transition.source === 'tip.routing.geolocation')?.reenter).toBe(true);
  });

  it('names a combined guard by its parts', () => {
    const informational = graph.transitions.find((transition) => transition.trigger === 'TRIAGE.ASSIGN' && transition.target === 'tip.routing.closed.informational');
    expect(informational?.guard).toBe('hasReasonForP1Downgrade and choosesInformationalTrack');
    expect(informational?.label).toEqual(['TRIAGE.ASSIGN', '[hasReasonForP1Downgrade and choosesInformationalTrack]']);
  });
});

describe('every state and transition appears in each format', () => {
  it('Mermaid', () => {
    const text = renderMermaid(graph);
    const ids = mermaidIds(graph);
    const stateOf = new Map([...ids].map(([stateId, mermaidId]) => [mermaidId, stateId]));
    expect([...mermaidDeclaredIds(text)].map((id) => stateOf.get(id) ?? `unknown ${id}`).sort()).toEqual([...stateIds].sort());
    expect(transitionKeys(mermaidTransitions(text, (id) => stateOf.get(id) ?? `unknown ${id}`))).toEqual(expected);
  });

  it('DOT', () => {
    const text = renderDot(graph);
    expect([...dotNodeIds(text)].sort()).toEqual([...stateIds].sort());
    expect(transitionKeys(dotTransitions(text))).toEqual(expected);
  });

  it('SVG', () => {
    const svg = renderSvg(graph, layout);
    expect([...svgStateIds(svg)].sort()).toEqual([...stateIds].sort());
    expect(transitionKeys(svgTransitions(svg))).toEqual(expected);
  });

  it('JSON, with a position for every state and a route for every transition', () => {
    const document = JSON.parse(renderJson(graph, layout)) as DiagramDocument;
    expect(document.format).toBe('tipflow.diagram/1');
    expect(document.graph.states.map((state) => state.id).sort()).toEqual([...stateIds].sort());
    expect(transitionKeys(document.graph.transitions)).toEqual(expected);
    expect(document.layout.states.map((box) => box.id).sort()).toEqual([...stateIds].sort());
    for (const box of document.layout.states) {
      expect([box.x, box.y, box.width, box.height].every(Number.isFinite), box.id).toBe(true);
      expect(box.width, box.id).toBeGreaterThan(0);
    }
    const routes = new Map(document.layout.transitions.map((route) => [route.id, route]));
    for (const transition of document.graph.transitions) {
      const route = routes.get(transition.id);
      // A targetless transition of an atomic state is a line inside the state's box, not an arrow.
      if (route?.internal === true) expect(route.label?.lines, transition.id).toEqual([transition.label.join(' ')]);
      else expect(route?.path.length ?? 0, `route of ${transition.id}`).toBeGreaterThanOrEqual(2);
    }
    const atomic = new Set(document.graph.states.filter((state) => state.children.length === 0).map((state) => state.id));
    expect(document.layout.transitions.filter((route) => route.internal).map((route) => route.id).sort()).toEqual(
      document.graph.transitions.filter((transition) => transition.targetless && atomic.has(transition.source)).map((transition) => transition.id).sort(),
    );
  });
});
