// The layout of the routing machine: containers hold their children, boxes of siblings do not overlap,
// every label has room (arrow labels clear of the state boxes, internal transitions inside theirs).
import { beforeAll, describe, expect, it } from 'vitest';
import { createRoutingMachine } from '../../machines/routing.js';
import { estimateTextWidth, layoutDiagram, machineGraph, METRICS, type Box, type DiagramGraph, type DiagramLayout } from '../../src/diagram/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';

let graph: DiagramGraph;
let layout: DiagramLayout;
let boxes: Map<string, Box>;

beforeAll(async () => {
  graph = machineGraph(createRoutingMachine(bundledReference()));
  layout = await layoutDiagram(graph);
  boxes = new Map(layout.states.map((box) => [box.id, box]));
});

const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const boxOf = (id: string): Box => boxes.get(id) as Box;

describe('layoutDiagram on the routing machine', () => {
  it('puts every state inside its parent and inside the picture', () => {
    for (const state of graph.states) {
      const box = boxOf(state.id);
      expect(inside(box, { x: 0, y: 0, width: layout.width, height: layout.height }), state.id).toBe(true);
      if (state.parent !== null) expect(inside(box, boxOf(state.parent)), `${state.id} in ${state.parent}`).toBe(true);
    }
  });

  it('keeps sibling states apart', () => {
    for (const state of graph.states) {
      const children = state.children.map(boxOf);
      children.forEach((a, i) => children.slice(i + 1).forEach((b) => expect(overlap(a, b), `${state.children[i]} and a sibling`).toBe(false)));
    }
  });

  it("keeps arrow labels off atomic states' boxes, and internal transitions inside theirs", () => {
    const atomic = graph.states.filter((state) => state.children.length === 0);
    for (const route of layout.transitions) {
      const transition = graph.transitions.find((candidate) => candidate.id === route.id);
      if (route.label === null || transition === undefined) continue;
      if (route.internal) {
        expect(inside(route.label, boxOf(transition.source)), route.id).toBe(true);
        continue;
      }
      for (const state of atomic) expect(overlap(route.label, boxOf(state.id)), `${route.id} label on ${state.id}`).toBe(false);
    }
  });

  it('sizes each atomic box to its name', () => {
    for (const state of graph.states.filter((candidate) => candidate.children.length === 0)) {
      expect(boxOf(state.id).width, state.id).toBeGreaterThanOrEqual(estimateTextWidth(state.key, METRICS.stateFont));
    }
  });

  it('lays out the same way every time', async () => {
    expect(await layoutDiagram(graph)).toEqual(layout);
  });
});
