// `npm run bench:diagram`: how long the routing machine's picture takes (issue 8: layout of the full
// machine < 1 s). Prints the median over RUNS of toDirectedGraph (machineGraph), the ELK layout and the
// SVG render, after a first run that is reported apart (it loads elkjs and warms the JIT). Asserts nothing.
import { performance } from 'node:perf_hooks';
import { createRoutingMachine } from '../machines/routing.js';
import { defaultElk, layoutDiagram, machineGraph, renderMermaid, renderSvg } from '../src/diagram/index.js';
import { bundledReference } from '../src/io/bundled-reference.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS = 1000;
const machine = createRoutingMachine(bundledReference());

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function once(): Promise<{ graph: number; layout: number; svg: number; mermaid: number }> {
  let start = performance.now();
  const graph = machineGraph(machine);
  const graphMs = performance.now() - start;
  start = performance.now();
  const layout = await layoutDiagram(graph);
  const layoutMs = performance.now() - start;
  start = performance.now();
  renderSvg(graph, layout);
  const svgMs = performance.now() - start;
  start = performance.now();
  renderMermaid(graph);
  return { graph: graphMs, layout: layoutMs, svg: svgMs, mermaid: performance.now() - start };
}

let start = performance.now();
await defaultElk();
const loadMs = performance.now() - start;
start = performance.now();
const first = await once();
const firstMs = performance.now() - start;
const runs: Awaited<ReturnType<typeof once>>[] = [];
for (let run = 0; run < RUNS; run += 1) runs.push(await once());

const graph = machineGraph(machine);
const med = {
  graph: median(runs.map((run) => run.graph)),
  layout: median(runs.map((run) => run.layout)),
  svg: median(runs.map((run) => run.svg)),
  mermaid: median(runs.map((run) => run.mermaid)),
};
const total = median(runs.map((run) => run.graph + run.layout + run.svg));
const ms = (value: number): string => `${value.toFixed(1)} ms`;
console.log(`routing machine: ${graph.states.length} states, ${graph.transitions.length} transitions`);
console.log(`load elkjs ${ms(loadMs)}; first picture (cold JIT) ${ms(firstMs)} (layout ${ms(first.layout)})`);
console.log(`median of ${RUNS}: toDirectedGraph ${ms(med.graph)} · ELK layout ${ms(med.layout)} · SVG ${ms(med.svg)} · Mermaid ${ms(med.mermaid)}`);
console.log(`graph + layout + SVG: ${ms(total)} (target < ${TARGET_MS} ms: ${total < TARGET_MS ? 'met' : 'NOT met'})`);
