// The layers point one way and no module imports itself round a loop (issue 17, item 7). DESIGN §2:
// machines, domain ← engine ← scenario, store ← the shells (server, cli, web); eslint.config.js and README
// "Layers" place the other folders. The lint enforces the same table with no-restricted-imports; this test
// also names each offending import with its line, and finds cycles, which a per-file lint rule cannot.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportEdge } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What each folder may import besides itself: the one table, eslint.config.js's (the lint enforces it per file). */
const { MAY_IMPORT } = (await import(new URL('../eslint.config.js', import.meta.url).href)) as { MAY_IMPORT: Readonly<Record<string, readonly string[]>> };

const layerOf = (file: string): string => (file.startsWith('machines/') ? 'machines' : (file.split('/')[1] ?? ''));
const where = (e: ImportEdge) => `${e.from}:${e.line} → ${e.to}${e.typeOnly ? ' (type)' : ''}`;

const { modules, edges } = importGraph(ROOT, ['src', 'machines']);

describe('the layers', () => {
  it('every folder of src/ has a place in the order', () => {
    const unplaced = [...new Set(modules.map(layerOf))].filter((layer) => !(layer in MAY_IMPORT));
    expect(unplaced, 'add the folder to MAY_IMPORT in eslint.config.js and to README "Layers"').toEqual([]);
  });

  it('each module imports only its own folder and earlier layers', () => {
    const offending = edges.filter((e) => layerOf(e.from) !== layerOf(e.to) && !(MAY_IMPORT[layerOf(e.from)] ?? []).includes(layerOf(e.to)));
    expect(offending.map((e) => `${layerOf(e.from)} may not import ${layerOf(e.to)}: ${where(e)}`)).toEqual([]);
  });

  it("the table keeps DESIGN §2's order: the domain and the machines first, the engine next, the shells last", () => {
    expect(MAY_IMPORT['domain']).toEqual([]);
    expect(MAY_IMPORT['machines']).toEqual(['domain']);
    expect(MAY_IMPORT['engine']).toEqual(['domain', 'machines']);
    for (const early of ['domain', 'machines', 'engine', 'scenario', 'store']) for (const shell of ['server', 'cli', 'web']) expect(MAY_IMPORT[early], `${early} may not import ${shell}`).not.toContain(shell);
  });

  it('the graph is read: the known imports are there', () => {
    // A guard against a reader that finds nothing (and so no violations and no cycles).
    expect(modules.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'src/engine/engine.ts' && e.to === 'machines/routing.ts')).toBe(true);
    expect(edges.some((e) => e.from === 'src/web/api-types.ts' && e.to === 'src/api/contract.d.ts' && e.typeOnly)).toBe(true);
  });
});

describe('import cycles', () => {
  // Type-only imports count too: a cycle of types is still two modules that cannot be understood apart.
  it('there is none among src/ and machines/ modules', () => {
    const cycles = importCycles(modules, edges);
    expect(cycles.map((c) => c.join(' → '))).toEqual([]);
  });

  it('the check finds one when there is one', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false, line: 1 });
    const cycles = importCycles(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts'], [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts'), edge('c.ts', 'd.ts'), edge('e.ts', 'e.ts')]);
    expect(cycles.map((c) => c.join(' → ')).sort()).toEqual(['a.ts → b.ts → c.ts → a.ts', 'e.ts → e.ts']);
  });
});
