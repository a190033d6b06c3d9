// Positions for a DiagramGraph, computed by ELK's layered algorithm over the whole hierarchy at once
// (`elk.hierarchyHandling: INCLUDE_CHILDREN`), so an arrow from `triage` into `closed.informational`
// is routed across the containers. Compound states are containers with room for their title; each
// compound state's initial child gets a small marker node and arrow, laid out like any other.
//
// ELK is passed in or loaded on first use from `elkjs/lib/elk.bundled.js` (the build that needs no worker):
// Node and bundlers (vite) import it; a page without a bundler loads that file with a <script> tag, which
// sets `globalThis.ELK`, and this module picks it up.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { DiagramGraph, DiagramLayout, DiagramState, DiagramTransition, Point, PositionedInitial, PositionedState, PositionedTransition } from './model.js';
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
  internalFont: 11,
  internalLineHeight: 15,
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

/** Targetless transitions of atomic states: drawn as lines inside the state's box, not as loops. */
export function isInternal(transition: DiagramTransition, graph: DiagramGraph): boolean {
  return transition.targetless && graph.states.some((state) => state.id === transition.source && state.children.length === 0);
}

/** The line an internal transition shows inside its state: `GEO.TAG [isWellFormed]`. */
export function internalLine(transition: DiagramTransition): string {
  return transition.label.join(' ');
}

/** The size of a leaf state's box: its name, its tags on a second line, then its internal transitions. */
export function stateSize(state: DiagramState, measure: MeasureText, internal: readonly DiagramTransition[] = []): { width: number; height: number } {
  const widths = [measure(state.key, METRICS.stateFont)];
  if (state.tags.length > 0) widths.push(measure(tagLine(state), METRICS.tagFont));
  for (const transition of internal) widths.push(measure(internalLine(transition), METRICS.internalFont));
  const width = Math.max(METRICS.minStateWidth, Math.max(...widths) + 2 * METRICS.statePaddingX);
  const compartment = internal.length === 0 ? 0 : internal.length * METRICS.internalLineHeight + 8;
  const height = METRICS.stateHeight + (state.tags.length === 0 ? 0 : METRICS.tagLineHeight) + compartment;
  return { width, height };
}

/** Where the internal transitions' lines start in a state's box: below the name and the tag line. */
export function internalCompartmentTop(state: DiagramState): number {
  return METRICS.stateHeight + (state.tags.length === 0 ? 0 : METRICS.tagLineHeight);
}

function elkGraph(graph: DiagramGraph, measure: MeasureText, direction: 'DOWN' | 'RIGHT'): ElkNode {
  const byId = new Map(graph.states.map((state) => [state.id, state]));
  const edges: ElkExtendedEdge[] = [];
  const internal = graph.transitions.filter((transition) => isInternal(transition, graph));
  const node = (state: DiagramState): ElkNode => {
    if (state.children.length === 0) {
      return { id: state.id, ...stateSize(state, measure, internal.filter((transition) => transition.source === state.id)) };
    }
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
    if (isInternal(transition, graph)) continue;
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
  const byId = new Map(graph.states.map((state) => [state.id, state]));
  const internalIndex = new Map<string, number>();
  const transitions: PositionedTransition[] = graph.transitions.map((transition) => {
    if (isInternal(transition, graph)) {
      const source = byId.get(transition.source) as DiagramState;
      const index = internalIndex.get(source.id) ?? 0;
      internalIndex.set(source.id, index + 1);
      const state = box(source.id);
      const top = state.y + internalCompartmentTop(source) + 4 + index * METRICS.internalLineHeight;
      const line = { x: state.x + METRICS.statePaddingX / 2, y: top, width: state.width - METRICS.statePaddingX, height: METRICS.internalLineHeight };
      return { id: transition.id, internal: true, path: [], label: { ...line, lines: [internalLine(transition)] } };
    }
    const edge = routes.get(transition.id);
    const label = edge?.labels?.[0];
    return {
      id: transition.id,
      internal: false,
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
