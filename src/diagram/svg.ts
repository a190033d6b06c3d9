// The laid-out diagram as a standalone SVG string: containers for compound states (dashed for the
// regions of a parallel state), rounded boxes for atomic states, a double border for final states, a
// filled dot and arrow for each initial child, decision points (tag `decision:*`) in amber with a ◆ tag
// line, and every transition as a path with an arrowhead and its label on a white plate.
//
// Each state is a <g data-state-id="..."> and each transition a <g data-transition-id="..."
// data-source data-target data-event>, so a page can find them; `active` highlights states (and the
// transitions leaving them) when the string is built, or a page can toggle the class `active` itself.
import { containerTitle, isDecisionTag, tagLine } from './labels.js';
import { internalCompartmentTop, METRICS } from './layout.js';
import type { DiagramGraph, DiagramLayout, DiagramState, DiagramTransition, Point, PositionedLabel } from './model.js';
import { escapeXml } from './text.js';

export interface SvgOptions {
  /** The <title>; default `<machine id> statechart`. */
  title?: string;
  /** Ids of the states to highlight (an inspector's current configuration). */
  active?: Iterable<string>;
  /** Prefix for the element ids in the SVG (marker, title), so several diagrams can share a page. */
  idPrefix?: string;
  /**
   * Put the stylesheet in a <style> element (default true). A page whose Content-Security-Policy refuses
   * inline styles passes false and serves DIAGRAM_CSS from a file instead.
   */
  embedStyle?: boolean;
}

export const FONT_FAMILY = "system-ui, 'Segoe UI', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

/** The diagram's stylesheet; class names as in the SVG (`.state.active`, `.transition.from-active`, ...). */
export const DIAGRAM_CSS = `
.background { fill: #ffffff; }
.state > rect.box { fill: #f4f6f8; stroke: #44546a; stroke-width: 1.5; }
.state.compound > rect.box, .state.parallel > rect.box { fill: #ffffff; fill-opacity: 0.55; stroke: #7b8794; stroke-width: 1.2; }
.state.region > rect.box { stroke-dasharray: 6 4; }
.state.final > rect.box { fill: #eef2f6; }
.state.final > rect.inner { fill: none; stroke: #44546a; stroke-width: 1.2; }
.state.decision > rect.box { fill: #fff4d6; stroke: #b7791f; stroke-width: 2; }
.state.active > rect.box { fill: #dbeafe; stroke: #1d4ed8; stroke-width: 3; }
.state.compound.active > rect.box, .state.parallel.active > rect.box { fill: #ffffff; stroke: #1d4ed8; stroke-width: 2.5; }
.state text { fill: #1f2933; }
.state text.name { font-size: ${METRICS.stateFont}px; }
.state text.title { font-size: ${METRICS.titleFont}px; font-weight: 600; }
.state text.tag { font-size: ${METRICS.tagFont}px; fill: #8a5a00; }
.state.active text.name, .state.active text.title { font-weight: 700; fill: #1e3a8a; }
.initial circle { fill: #1f2933; }
.initial path, .transition path { fill: none; stroke: #52606d; stroke-width: 1.3; }
.transition.after path { stroke-dasharray: 5 3; }
.transition.always path { stroke: #7b8794; }
.transition.from-active path { stroke: #1d4ed8; stroke-width: 2; }
.transition rect.plate { fill: #ffffff; fill-opacity: 0.92; }
.transition text { font-size: ${METRICS.labelFont}px; fill: #323f4b; }
.transition text .guard { fill: #616e7c; font-style: italic; }
.transition.from-active text { fill: #1e3a8a; }
.transition.internal text { font-size: ${METRICS.internalFont}px; }
.state path.compartment { stroke: #9aa5b1; stroke-width: 1; }
.state.decision path.compartment { stroke: #d69e2e; }
`;

export function renderSvg(graph: DiagramGraph, layout: DiagramLayout, options: SvgOptions = {}): string {
  const prefix = options.idPrefix ?? 'tipflow-diagram';
  const active = new Set(options.active ?? []);
  const title = options.title ?? `${graph.machineId} statechart`;
  const boxes = new Map(layout.states.map((box) => [box.id, box]));
  const routes = new Map(layout.transitions.map((route) => [route.id, route]));
  const width = round(layout.width);
  const height = round(layout.height);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${prefix}-title" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title id="${prefix}-title">${escapeXml(title)}</title>`,
    '<defs>',
    `<marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L9,5 L0,9 z" fill="#52606d"/></marker>`,
    `<marker id="${prefix}-arrow-active" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L9,5 L0,9 z" fill="#1d4ed8"/></marker>`,
    '</defs>',
    ...(options.embedStyle === false ? [] : [`<style>${DIAGRAM_CSS}</style>`]),
    `<rect class="background" x="0" y="0" width="${width}" height="${height}"/>`,
    '<g class="states">',
  ];
  const withInternal = new Set(layout.transitions.filter((route) => route.internal).map((route) => graph.transitions.find((transition) => transition.id === route.id)?.source));
  for (const state of graph.states) {
    const box = boxes.get(state.id);
    if (box !== undefined) out.push(stateSvg(state, box, active.has(state.id), withInternal.has(state.id)));
  }
  out.push('</g>', '<g class="initials">');
  for (const initial of layout.initials) {
    const cx = round(initial.x + initial.width / 2);
    const cy = round(initial.y + initial.height / 2);
    out.push(
      `<g class="initial" data-initial-of="${escapeXml(initial.state)}"><circle cx="${cx}" cy="${cy}" r="${round(initial.width / 2)}"/>` +
        (initial.path.length > 1 ? `<path d="${pathData(initial.path)}" marker-end="url(#${prefix}-arrow)"/>` : '') +
        '</g>',
    );
  }
  out.push('</g>', '<g class="transitions">');
  for (const transition of graph.transitions) {
    const route = routes.get(transition.id);
    const fromActive = active.has(transition.source);
    if (route?.internal === true) out.push(internalTransitionSvg(transition, route.label, fromActive));
    else out.push(transitionSvg(transition, route?.path ?? [], route?.label ?? null, fromActive, prefix));
  }
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}

function stateSvg(state: DiagramState, box: { x: number; y: number; width: number; height: number }, isActive: boolean, hasInternal: boolean): string {
  const classes = ['state', state.type];
  if (state.region) classes.push('region');
  if (state.tags.some(isDecisionTag)) classes.push('decision');
  if (isActive) classes.push('active');
  const x = round(box.x);
  const y = round(box.y);
  const w = round(box.width);
  const h = round(box.height);
  const container = state.children.length > 0;
  const parts = [
    `<g class="${classes.join(' ')}" data-state-id="${escapeXml(state.id)}" data-tags="${escapeXml(state.tags.join(' '))}">`,
    `<title>${escapeXml(stateTooltip(state))}</title>`,
    `<rect class="box" x="${x}" y="${y}" width="${w}" height="${h}" rx="${container ? 10 : 8}"/>`,
  ];
  if (state.type === 'final') parts.push(`<rect class="inner" x="${x + 4}" y="${y + 4}" width="${w - 8}" height="${h - 8}" rx="5"/>`);
  if (container) {
    parts.push(`<text class="title" x="${x + 12}" y="${round(y + METRICS.containerTitleHeight / 2 + METRICS.titleFont / 2.8 + 2)}">${escapeXml(containerTitle(state))}</text>`);
    if (state.tags.length > 0) {
      parts.push(`<text class="tag" x="${round(x + w - 12)}" y="${round(y + METRICS.containerTitleHeight / 2 + 5)}" text-anchor="end">${escapeXml(tagLine(state))}</text>`);
    }
  } else {
    const cx = round(x + w / 2);
    const nameY = state.tags.length === 0 && !hasInternal ? y + h / 2 + METRICS.stateFont / 2.8 : y + METRICS.stateHeight / 2 + METRICS.stateFont / 2.8;
    parts.push(`<text class="name" x="${cx}" y="${round(nameY)}" text-anchor="middle">${escapeXml(state.key)}</text>`);
    if (state.tags.length > 0) {
      parts.push(`<text class="tag" x="${cx}" y="${round(y + METRICS.stateHeight + METRICS.tagFont / 2 - 2)}" text-anchor="middle">${escapeXml(tagLine(state))}</text>`);
    }
  }
  if (hasInternal) {
    const lineY = round(y + internalCompartmentTop(state));
    parts.push(`<path class="compartment" d="M${x},${lineY} L${round(x + w)},${lineY}"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function stateTooltip(state: DiagramState): string {
  const lines = [`${state.id} (${state.type})`];
  if (state.description !== null) lines.push(state.description);
  if (state.tags.length > 0) lines.push(`tags: ${state.tags.join(', ')}`);
  if (state.entry.length > 0) lines.push(`entry: ${state.entry.join(', ')}`);
  if (state.exit.length > 0) lines.push(`exit: ${state.exit.join(', ')}`);
  return lines.join('\n');
}

function transitionSvg(transition: DiagramTransition, path: Point[], label: PositionedLabel | null, fromActive: boolean, prefix: string): string {
  const classes = ['transition', transition.kind];
  if (transition.targetless) classes.push('targetless');
  if (fromActive) classes.push('from-active');
  const tooltip = transitionTooltip(transition);
  const parts = [
    `<g class="${classes.join(' ')}" data-transition-id="${escapeXml(transition.id)}" data-source="${escapeXml(transition.source)}" data-target="${escapeXml(transition.target)}" data-event="${escapeXml(transition.eventType)}">`,
    `<title>${escapeXml(tooltip)}</title>`,
  ];
  if (path.length > 1) parts.push(`<path d="${pathData(path)}" marker-end="url(#${prefix}-arrow${fromActive ? '-active' : ''})"/>`);
  if (label !== null) {
    parts.push(`<rect class="plate" x="${round(label.x)}" y="${round(label.y)}" width="${round(label.width)}" height="${round(label.height)}" rx="3"/>`);
    const cx = round(label.x + label.width / 2);
    const lines = label.lines.map((line, index) => {
      const y = round(label.y + 2 + (index + 1) * METRICS.labelLineHeight - 3);
      const cls = index > 0 && line.startsWith('[') ? ' class="guard"' : '';
      return `<tspan x="${cx}" y="${y}"${cls}>${escapeXml(line)}</tspan>`;
    });
    parts.push(`<text text-anchor="middle">${lines.join('')}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** A targetless transition written inside its state's box: `TIP.SUPPLEMENT`, `GEO.TAG [isWellFormed]`. */
function internalTransitionSvg(transition: DiagramTransition, label: PositionedLabel | null, fromActive: boolean): string {
  const classes = ['transition', transition.kind, 'targetless', 'internal'];
  if (fromActive) classes.push('from-active');
  const parts = [
    `<g class="${classes.join(' ')}" data-transition-id="${escapeXml(transition.id)}" data-source="${escapeXml(transition.source)}" data-target="${escapeXml(transition.target)}" data-event="${escapeXml(transition.eventType)}">`,
    `<title>${escapeXml(transitionTooltip(transition))}</title>`,
  ];
  if (label !== null) {
    const baseline = round(label.y + label.height - 4);
    const guard = transition.guard === null ? '' : ` <tspan class="guard">[${escapeXml(transition.guard)}]</tspan>`;
    parts.push(`<text x="${round(label.x)}" y="${baseline}"><tspan>${escapeXml(transition.trigger)}</tspan>${guard}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function transitionTooltip(transition: DiagramTransition): string {
  return [transition.label.join(' '), transition.targetless ? '(targetless: stays, no re-entry)' : '', transition.reenter ? '(re-enters)' : '']
    .concat(transition.actions.length > 0 ? [`/ ${transition.actions.join(', ')}`] : [])
    .filter((part) => part !== '')
    .join(' ');
}

function pathData(points: Point[]): string {
  return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${round(point.x)},${round(point.y)}`).join(' ');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
