// Bounds on what a YAML exercise file may be before its values are built (issue 16): hostile YAML gets a
// positioned diagnostic, never an exception. Aliases are counted (an alias bomb expands exponentially),
// nesting and scalar sizes are bounded, tags beyond YAML's core ones are refused (a `%YAML 1.1` file could
// otherwise bring !!binary bytes or !!timestamp dates), and building the values is guarded.
import { isAlias, isCollection, isScalar, visit, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

/** Aliases (`*anchor`) in one file; an exercise needs few, and each may expand to a whole subtree. */
export const MAX_YAML_ALIASES = 50;
/** How deep mappings and sequences may nest; the deepest exercise field is at depth 6. */
export const MAX_YAML_DEPTH = 24;
/** The longest scalar (the longest field, a summary, is 600 characters). */
export const MAX_YAML_SCALAR = 2_000;
/** Nodes in one file (an exercise with 50 injects and a full tip stays far below). */
export const MAX_YAML_NODES = 20_000;

const CORE_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

/** The first hostile construct of a parsed document, as a diagnostic at it; null when there is none. */
export function hostileYamlDiagnostic(doc: Document, lineCounter: LineCounter, file: string): Diagnostic | null {
  let found: Diagnostic | null = null;
  let aliases = 0;
  let nodes = 0;
  const at = (node: Node, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
    return { file, line, column: col, severity: 'error', message };
  };
  visit(doc, (_key, node, path) => {
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > MAX_YAML_ALIASES) found = at(node, `YAML: more than ${MAX_YAML_ALIASES} aliases (*name); write the values out`);
    } else if (isScalar(node) || isCollection(node)) {
      nodes += 1;
      if (nodes > MAX_YAML_NODES) found = at(node, `YAML: more than ${MAX_YAML_NODES} values in one file`);
      else if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) found = at(node, `YAML: the tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not used in exercise files (plain strings, numbers, lists and mappings only)`);
      else if (isCollection(node) && path.filter((p) => isCollection(p)).length >= MAX_YAML_DEPTH) found = at(node, `YAML: nested deeper than ${MAX_YAML_DEPTH} levels`);
      else if (isScalar(node) && typeof node.value === 'string' && node.value.length > MAX_YAML_SCALAR) found = at(node, `YAML: a value of ${node.value.length} characters; the longest field takes ${MAX_YAML_SCALAR}`);
    }
    return found === null ? undefined : visit.BREAK;
  });
  return found;
}

/** The document's values, or a diagnostic when building them fails (an alias count or a value the parser refuses late). */
export function yamlValues(doc: Document, file: string): { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, diagnostic: { file, line: 1, column: 1, severity: 'error', message: `YAML: ${message ?? 'the values could not be built'}` } };
  }
}
