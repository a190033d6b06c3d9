// `tipflow diagram`: the machine as a picture (DESIGN §11). Mermaid and DOT need only the graph; SVG and
// JSON need a layout, so only they load elkjs.
import { writeFileSync } from 'node:fs';
import type { AnyStateMachine } from 'xstate';
import { routingChart } from '../../../machines/routing.js';
import { machineGraph } from '../../diagram/graph.js';
import { renderDot } from '../../diagram/dot.js';
import { renderMermaid } from '../../diagram/mermaid.js';

export const DIAGRAM_FORMATS = ['mermaid', 'svg', 'dot', 'json'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

/** The machines a diagram can be drawn of, by the name `--machine` takes. */
export const DIAGRAM_MACHINES: Record<string, () => AnyStateMachine> = {
  // The chart alone: drawing it reads no reference data.
  routing: () => routingChart,
};

/** The diagram of a machine in a format, as text. */
export async function diagramText(machine: AnyStateMachine, format: DiagramFormat): Promise<string> {
  const graph = machineGraph(machine);
  if (format === 'mermaid') return renderMermaid(graph);
  if (format === 'dot') return renderDot(graph);
  const { layoutDiagram } = await import('../../diagram/layout.js');
  const layout = await layoutDiagram(graph);
  if (format === 'json') {
    const { renderJson } = await import('../../diagram/json.js');
    return renderJson(graph, layout);
  }
  const { renderSvg } = await import('../../diagram/svg.js');
  return renderSvg(graph, layout, { title: `tipflow: the ${graph.machineId} statechart` });
}

export async function diagramCommand(options: { format: string; machine: string; output?: string }): Promise<number> {
  const create = DIAGRAM_MACHINES[options.machine];
  if (create === undefined) {
    process.stderr.write(`tipflow diagram: unknown machine ${options.machine}; available: ${Object.keys(DIAGRAM_MACHINES).join(', ')}\n`);
    return 2;
  }
  if (!(DIAGRAM_FORMATS as readonly string[]).includes(options.format)) {
    process.stderr.write(`tipflow diagram: unknown format ${options.format}; available: ${DIAGRAM_FORMATS.join(', ')}\n`);
    return 2;
  }
  const text = await diagramText(create(), options.format as DiagramFormat);
  if (options.output === undefined) process.stdout.write(text);
  else {
    writeFileSync(options.output, text);
    process.stderr.write(`wrote ${options.output} (${options.format})\n`);
  }
  return 0;
}
