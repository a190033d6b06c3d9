// Positions for a DiagramGraph, computed by ELK's layered algorithm over the whole hierarchy at once
// (`elk.hierarchyHandling: INCLUDE_CHILDREN`), so an arrow from `triage` into `closed.informational`
// is routed across the containers. Compound states are containers with room for their title; each
// compound state's initial child gets a small marker node and arrow, laid out like any other.
//
// ELK is passed in or loaded on first use from `elkjs/lib/elk.bundled.js` (the build that needs no worker):
// Node and bundlers (vite) import it; a page without a bundler loads that file with a <script> tag, which
// sets `globalThis.ELK`, and this module picks it up.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { DiagramGraph, DiagramLayout, DiagramState, Point, PositionedInitial, PositionedState, PositionedTransition } from './model.js';
import { containerTitle, tagLine } from './labels.js';
import { estimateTextWidth, type MeasureText } from './text.js';

/** The part of an `ELK` instance this module uses. */
export interface ElkLayouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface LayoutOptions {
  /** An ELK instance; default: a new one from elkjs/lib/elk.bundled.js (or `globalThis.ELK`). */
  elk?: ElkLayouter;
  /** Text width in px; default: an estimate (a browser can pass a canvas measure). */
  measureText?: MeasureText;
  /** Direction of the layers; default DOWN. */
  direction?: 'DOWN' | 'RIGHT';
}

/** Sizes shared with the SVG renderer, so text drawn there fits the boxes computed here. */
export const METRICS = {
  stateFont: 14,
  tagFont: 11,
  titleFont: 14,
  labelFont: 11,
  labelLineHeight: 14,
  statePaddingX: 14,
  stateHeight: 36,
  tagLineHeight: 15,
  minStateWidth: 84,
  containerTitleHeight: 30,
  containerPadding: 16,
  initialSize: 12,
} as const;

const INITIAL_SUFFIX = '#initial';

export async function layoutDiagram(graph: DiagramGraph, options: LayoutOptions = {}): Promise<DiagramLayout> {
  const measure = options.measureText ?? estimateTextWidth;
  const elk = options.elk ?? (await defaultElk());
  const input = elkGraph(graph, measure, options.direction ?? 'DOWN');
  const output = await elk.layout(input);
  return positioned(graph, output);
}

let sharedElk: Promise<ElkLayouter> | undefined;

/** One ELK instance per process (or page), created on first use. */
export function defaultElk(): Promise<ElkLayouter> {
  sharedElk ??= loadElk();
  return sharedElk;
}

type ElkConstructor = new () => ElkLayouter;

async function loadElk(): Promise<ElkLayouter> {
  const fromPage = (): ElkConstructor | undefined => (globalThis as { ELK?: ElkConstructor }).ELK;
  const global = fromPage();
  if (global !== undefined) return new global();
  // A CommonJS module: Node hands over module.exports (the constructor, which also has itself as
  // `default`); bundlers may wrap it once more; a browser that runs the file as a module gets no
  // exports, but the file sets globalThis.ELK.
  const loaded = (await import('elkjs/lib/elk.bundled.js')) as unknown as { default?: ElkConstructor & { default?: ElkConstructor } };
  const Elk = loaded.default?.default ?? loaded.default ?? fromPage();
  if (Elk === undefined) throw new Error('diagram layout: elkjs/lib/elk.bundled.js did not provide ELK');
  return new Elk();
}

/** The size of a leaf state's box: its name, and its tags on a second line. */
export function stateSize(state: DiagramState, measure: MeasureText): { width: number; height: number } {
  const nameWidth = measure(state.key, METRICS.stateFont);
  const tagWidth = state.tags.length === 0 ? 0 : measure(tagLine(state), METRICS.tagFont);
  const width = Math.max(METRICS.minStateWidth, Math.max(nameWidth, tagWidth) + 2 * METRICS.statePaddingX);
  const height = METRICS.stateHeight + (state.tags.length === 0 ? 0 : METRICS.tagLineHeight);
  return { width, height };
}

function elkGraph(graph: DiagramGraph, measure: MeasureText, direction: 'DOWN' | 'RIGHT'): ElkNode {
  const byId = new Map(graph.states.map((state) => [state.id, state]));
  const edges: ElkExtendedEdge[] = [];
  const node = (state: DiagramState): ElkNode => {
    if (state.children.length === 0) return { id: state.id, ...stateSize(state, measure) };
    const children = state.children.map((id) => node(byId.get(id) as DiagramState));
    if (state.initial !== null) {
      const marker = `${state.id}${INITIAL_SUFFIX}`;
      children.unshift({ id: marker, width: METRICS.initialSize, height: METRICS.initialSize });
      edges.push({ id: marker, sources: [marker], targets: [state.initial] });
    }
    const titleWidth = measure(containerTitle(state), METRICS.titleFont) + 2 * METRICS.containerPadding;
    const pad = METRICS.containerPadding;
    return {
      id: state.id,
      children,
      layoutOptions: {
        'elk.padding': `[top=${METRICS.containerTitleHeight + pad / 2},left=${pad},bottom=${pad},right=${pad}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${titleWidth}, ${METRICS.containerTitleHeight + 2 * pad})`,
      },
    };
  };
  const root = node(byId.get(graph.root) as DiagramState);
  // The chart's document order is the process order (intake before triage before referral): arrows
  // along it should point down, so that arrows against it (a supplement back to triage, a decline back
  // to selecting) are the ones ELK reverses and draws upwards.
  const order = new Map(graph.states.map((state, index) => [state.id, index]));
  for (const transition of graph.transitions) {
    const lines = transition.label;
    const forward = (order.get(transition.target) ?? 0) > (order.get(transition.source) ?? 0);
    edges.push({
      id: transition.id,
      sources: [transition.source],
      targets: [transition.target],
      layoutOptions: { 'elk.layered.priority.direction': forward ? '10' : '0' },
      labels: [
        {
          id: `${transition.id}#label`,
          text: lines.join('\n'),
          width: Math.max(...lines.map((line) => measure(line, METRICS.labelFont))) + 6,
          height: lines.length * METRICS.labelLineHeight + 4,
          // On the line itself, so a label sits on its own arrow rather than in the space between.
          layoutOptions: { 'elk.edgeLabels.placement': 'CENTER', 'elk.edgeLabels.inline': 'true' },
        },
      ],
    });
  }
  return {
    id: '#diagram',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.layered.spacing.edgeNodeBetweenLayers': '18',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '12',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeNode': '16',
      'elk.spacing.edgeEdge': '12',
      'elk.spacing.edgeLabel': '4',
      'elk.spacing.nodeSelfLoop': '18',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.edgeLabels.centerLabelPlacementStrategy': 'TAIL_LAYER',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
    },
    children: [root],
    edges,
  };
}

function positioned(graph: DiagramGraph, output: ElkNode): DiagramLayout {
  const boxes = new Map<string, ElkNode>();
  const collect = (node: ElkNode): void => {
    boxes.set(node.id, node);
    node.children?.forEach(collect);
  };
  output.children?.forEach(collect);
  const routes = new Map((output.edges ?? []).map((edge) => [edge.id, edge]));
  const box = (id: string) => {
    const node = boxes.get(id);
    if (node === undefined) throw new Error(`diagram layout: ELK returned no position for ${id}`);
    return { x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 };
  };
  const states: PositionedState[] = graph.states.map((state) => ({ id: state.id, ...box(state.id) }));
  const initials: PositionedInitial[] = graph.states
    .filter((state) => state.initial !== null)
    .map((state) => {
      const marker = `${state.id}${INITIAL_SUFFIX}`;
      return { state: state.id, target: state.initial as string, ...box(marker), path: routeOf(routes.get(marker)) };
    });
  const transitions: PositionedTransition[] = graph.transitions.map((transition) => {
    const edge = routes.get(transition.id);
    const label = edge?.labels?.[0];
    return {
      id: transition.id,
      path: routeOf(edge),
      label:
        label === undefined
          ? null
          : { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0, lines: transition.label },
    };
  });
  return { width: output.width ?? 0, height: output.height ?? 0, states, initials, transitions };
}

function routeOf(edge: ElkExtendedEdge | undefined): Point[] {
  const points: Point[] = [];
  for (const section of edge?.sections ?? []) {
    for (const point of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) {
      const last = points[points.length - 1];
      if (last === undefined || last.x !== point.x || last.y !== point.y) points.push({ x: point.x, y: point.y });
    }
  }
  return points;
}
