// Where a value of a parsed document stands in its text, so every error can name file:line:col.
import { parseTree, findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { lineAndColumn } from '../io/read-json.js';

export type JsonPath = readonly (string | number)[];
export interface Position {
  line: number;
  column: number;
}

export interface SourceMap {
  /** Position of the value at `path`; for a missing value, of the nearest enclosing one that exists. */
  positionOf(path: JsonPath, options?: { key?: boolean }): Position;
}

export function yamlSourceMap(doc: Document, lineCounter: LineCounter): SourceMap {
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    positionOf(path, options = {}) {
      for (let n = path.length; n >= 0; n -= 1) {
        const prefix = path.slice(0, n);
        const parent = prefix.length === 0 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
        const last = prefix[prefix.length - 1];
        // The key of a mapping entry when asked for it (an unknown field), or when the value is empty.
        if (last !== undefined && isMap(parent)) {
          const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last));
          if (pair !== undefined && isScalar(pair.key) && pair.key.range !== undefined && pair.key.range !== null) {
            const value = pair.value as { range?: [number, number, number] } | null;
            if (options.key === true && n === path.length) return at(pair.key.range[0]);
            if (value?.range !== undefined) return at(value.range[0]);
            return at(pair.key.range[0]);
          }
        }
        const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
        if (node !== undefined && node !== null && (isMap(node) || isSeq(node) || isScalar(node)) && node.range) return at(node.range[0]);
      }
      return { line: 1, column: 1 };
    },
  };
}

export function parseYamlWithPositions(text: string): { doc: Document; map: SourceMap; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  return { doc, map: yamlSourceMap(doc, lineCounter), lineCounter };
}

export function jsonSourceMap(text: string): SourceMap {
  const tree: JsonNode | undefined = parseTree(text);
  return {
    positionOf(path, options = {}) {
      if (tree === undefined) return { line: 1, column: 1 };
      for (let n = path.length; n >= 0; n -= 1) {
        const node = findNodeAtLocation(tree, path.slice(0, n) as (string | number)[]);
        if (node === undefined) continue;
        const target = options.key === true && n === path.length && node.parent?.type === 'property' ? node.parent : node;
        const { line, column } = lineAndColumn(text, target.offset);
        return { line, column };
      }
      return { line: 1, column: 1 };
    },
  };
}
