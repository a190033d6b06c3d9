// The layers point one way and no module imports itself round a loop (issue 17, item 7). DESIGN §2:
// machines, domain ← engine ← scenario, store ← the shells (server, cli, web); eslint.config.js and README
// "Layers" place the other folders. The lint enforces the same table with no-restricted-imports; this test
// also names each offending import with its line, and finds cycles, which a per-file lint rule cannot.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportEdge } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What each folder may import besides itself: only earlier layers. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  machines: ['domain'],
  engine: ['domain', 'machines'],
  // The machine picture: pure, runs in the browser too.
  diagram: ['domain', 'machines'],
  // File and terminal helpers: read bundled reference data into the domain's shapes.
  io: ['domain'],
  // The volume simulator; the exercise generator draws from its mix (prng, parameters), never the other way.
  sim: ['domain', 'machines', 'engine', 'io'],
  scenario: ['domain', 'machines', 'engine', 'io', 'sim'],
  store: ['domain', 'engine', 'io'],
  // The server↔web contract (types only): the engine's inspector shapes travel as they are.
  api: ['engine'],
  server: ['domain', 'machines', 'engine', 'diagram', 'io', 'sim', 'scenario', 'store', 'api'],
  // The top: `tipflow serve` starts the server.
  cli: ['domain', 'machines', 'engine', 'diagram', 'io', 'sim', 'scenario', 'store', 'server'],
  // The browser app talks to the server over HTTP: its own code and the contract's types only.
  web: ['api'],
};

const layerOf = (file: string): string => (file.startsWith('machines/') ? 'machines' : (file.split('/')[1] ?? ''));
const where = (e: ImportEdge) => `${e.from}:${e.line} → ${e.to}${e.typeOnly ? ' (type)' : ''}`;

const { modules, edges } = importGraph(ROOT, ['src', 'machines']);

describe('the layers', () => {
  it('every folder of src/ has a place in the order', () => {
    const unplaced = [...new Set(modules.map(layerOf))].filter((layer) => !(layer in MAY_IMPORT));
    expect(unplaced, 'add the folder to MAY_IMPORT here, to eslint.config.js and to README "Layers"').toEqual([]);
  });

  it('each module imports only its own folder and earlier layers', () => {
    const offending = edges.filter((e) => layerOf(e.from) !== layerOf(e.to) && !(MAY_IMPORT[layerOf(e.from)] ?? []).includes(layerOf(e.to)));
    expect(offending.map((e) => `${layerOf(e.from)} may not import ${layerOf(e.to)}: ${where(e)}`)).toEqual([]);
  });

  it('eslint.config.js enforces the same table', async () => {
    const config = new URL('../eslint.config.js', import.meta.url).href;
    const lint = (await import(config)) as { MAY_IMPORT: Record<string, readonly string[]> };
    expect(lint.MAY_IMPORT).toEqual(MAY_IMPORT);
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
