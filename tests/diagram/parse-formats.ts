// Reads states and transitions back out of each export format, the way a reader of that format would:
// Mermaid transition lines, DOT edge statements, SVG data attributes and label text, JSON fields.
import type { DefinedTransition } from './definition.js';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? '');
}

function triggerOf(label: string): string {
  const bracket = label.indexOf(' [');
  return bracket === -1 ? label : label.slice(0, bracket);
}

/** Mermaid entity codes (`#59;`) back to their characters. */
export function unescapeMermaid(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/** Mermaid: `a --> b : label` lines (not `[*]`), with Mermaid ids mapped back to state ids. */
export function mermaidTransitions(text: string, stateIdOf: (mermaidId: string) => string): DefinedTransition[] {
  const found: DefinedTransition[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z]\w*) --> ([A-Za-z]\w*) : (.+)$/.exec(line);
    if (match === null) continue;
    const [, source = '', target = '', label = ''] = match;
    found.push({ source: stateIdOf(source), target: stateIdOf(target), trigger: triggerOf(unescapeMermaid(label)) });
  }
  return found;
}

/** Mermaid ids declared as states: `state x {`, `state "label" as x`, or a bare `x` line. */
export function mermaidDeclaredIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(?:state ([A-Za-z]\w*) \{|state "[^"]*" as ([A-Za-z]\w*)|([A-Za-z]\w*))\s*$/.exec(line);
    const id = match?.[1] ?? match?.[2] ?? match?.[3];
    if (id !== undefined && id !== 'stateDiagram') ids.add(id);
  }
  return ids;
}

function unescapeDot(text: string): string {
  return text.replace(/\\(["\\n])/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

const DOT_STRING = String.raw`"((?:[^"\\]|\\.)*)"`;

/** DOT: edge statements with a label (the initial arrows have none). */
export function dotTransitions(text: string): DefinedTransition[] {
  const found: DefinedTransition[] = [];
  const edge = new RegExp(String.raw`^\s*${DOT_STRING} -> ${DOT_STRING} \[(.*)\];$`);
  const labelAttribute = new RegExp(String.raw`(?:^|, )label=${DOT_STRING}`);
  for (const line of text.split('\n')) {
    const match = edge.exec(line);
    if (match === null) continue;
    const label = labelAttribute.exec(match[3] ?? '');
    if (label === null) continue;
    const firstLine = unescapeDot(label[1] ?? '').split('\n')[0] ?? '';
    found.push({ source: unescapeDot(match[1] ?? ''), target: unescapeDot(match[2] ?? ''), trigger: firstLine });
  }
  return found;
}

/** DOT: node statements `"id" [...]`. */
export function dotNodeIds(text: string): Set<string> {
  const ids = new Set<string>();
  const node = new RegExp(String.raw`^\s*${DOT_STRING} \[`);
  for (const line of text.split('\n')) {
    const match = node.exec(line);
    if (match !== null) ids.add(unescapeDot(match[1] ?? ''));
  }
  return ids;
}

/** SVG: `data-state-id` of every state group. */
export function svgStateIds(svg: string): Set<string> {
  return new Set([...svg.matchAll(/<g class="state[^"]*" data-state-id="([^"]*)"/g)].map((match) => unescapeXml(match[1] ?? '')));
}

/** SVG: each transition group's source and target, and the first line of the label drawn for it. */
export function svgTransitions(svg: string): DefinedTransition[] {
  const found: DefinedTransition[] = [];
  for (const match of svg.matchAll(/<g class="transition[^"]*"[^>]* data-source="([^"]*)" data-target="([^"]*)"[^>]*>(.*?)<\/g>/g)) {
    const firstLine = /<tspan[^>]*>([^<]*)<\/tspan>/.exec(match[3] ?? '');
    found.push({ source: unescapeXml(match[1] ?? ''), target: unescapeXml(match[2] ?? ''), trigger: unescapeXml(firstLine?.[1] ?? '') });
  }
  return found;
}
