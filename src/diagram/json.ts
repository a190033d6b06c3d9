// `tipflow diagram --format json`: the graph model and its layout in one document (DiagramDocument), for
// tools that draw the machine themselves.
import type { DiagramDocument, DiagramGraph, DiagramLayout } from './model.js';

export function diagramDocument(graph: DiagramGraph, layout: DiagramLayout): DiagramDocument {
  return { format: 'tipflow.diagram/1', graph, layout };
}

export function renderJson(graph: DiagramGraph, layout: DiagramLayout): string {
  return `${JSON.stringify(diagramDocument(graph, layout), null, 2)}\n`;
}
