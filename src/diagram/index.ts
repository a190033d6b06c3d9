// The machine picture: graph model (pure), layout (elkjs, loaded on first use), renderers (pure strings).
// Nothing here imports a node: module, so a browser page can use it as it is.
export type * from './model.js';
export { machineGraph, stateById } from './graph.js';
export { layoutDiagram, defaultElk, stateSize, isInternal, internalLine, METRICS, type ElkLayouter, type LayoutOptions } from './layout.js';
export { renderSvg, DIAGRAM_CSS, FONT_FAMILY, type SvgOptions } from './svg.js';
export { renderMermaid, mermaidIds, mermaidLabel } from './mermaid.js';
export { renderDot, dotString, clusterName } from './dot.js';
export { renderJson, diagramDocument } from './json.js';
export { guardText, actionName, tagLine, isDecisionTag, containerTitle } from './labels.js';
export { estimateTextWidth, escapeXml, type MeasureText } from './text.js';
