// Routing one chunk of the stream: tips [start, start + count), each generated from its index, routed on
// the fast path (or the engine, with --engine full), counted into the chunk's tally. A fixed sample of
// indices is routed both ways and must agree, so every run re-checks the fast path on its own tips.
import { isDeepStrictEqual } from 'node:util';
import { Engine } from '../engine/index.js';
import { walkWithEngine } from './engine-walk.js';
import { FastWalker, type Template } from './fast-walk.js';
import type { SimSetup } from './setup.js';
import { countTip, emptyTally, type Tally } from './tally.js';

export type RoutingPath = 'fast' | 'engine';

export interface ChunkRouter {
  setup: SimSetup;
  path: RoutingPath;
  /** Every `checkEvery`-th index is routed both ways (0: never). */
  checkEvery: number;
  windowStartMs: number;
  days: number;
  walker: FastWalker;
  engine: Engine;
}

export interface ChunkResult {
  chunk: number;
  tally: Tally;
  /** Tips the engine routed because their signature was new to this worker (not a figure: it depends on the worker count). */
  engineRouted: number;
  /** The templates this chunk's engine walks taught (handed to the other workers). */
  learned: [string, Template][];
}

export class FastPathMismatch extends Error {}

export function createChunkRouter(setup: SimSetup, path: RoutingPath, checkEvery: number, window: { startMs: number; days: number }): ChunkRouter {
  const engine = new Engine(setup.reference);
  return { setup, path, checkEvery, windowStartMs: window.startMs, days: window.days, walker: new FastWalker(new Engine(setup.reference), setup.factory), engine };
}

/** `times` holds each tip's triage and route time, two numbers per tip (NaN for tips that never queue). */
export function routeChunk(router: ChunkRouter, chunk: number, start: number, count: number, times: Float64Array): ChunkResult {
  const tally = emptyTally(router.days);
  const { factory } = router.setup;
  const missesBefore = router.walker.misses;
  for (let k = 0; k < count; k += 1) {
    const index = start + k;
    const simTip = factory.tip(index);
    const analyst = { triagedAt: times[2 * k] ?? Number.NaN, routedAt: times[2 * k + 1] ?? Number.NaN };
    const record = router.path === 'fast' ? router.walker.route(simTip, analyst) : walkWithEngine(router.engine, factory, simTip, analyst);
    if (router.checkEvery > 0 && index % router.checkEvery === 0) {
      const other = router.path === 'fast' ? walkWithEngine(router.engine, factory, simTip, analyst) : router.walker.route(simTip, analyst);
      if (!isDeepStrictEqual(record, other)) {
        throw new FastPathMismatch(`simulate: the fast path and the engine disagree on tip ${index} (seed ${router.setup.spec.seed}):\n  fast:   ${JSON.stringify(router.path === 'fast' ? record : other)}\n  engine: ${JSON.stringify(router.path === 'fast' ? other : record)}`);
      }
      tally.checked += 1;
    }
    countTip(tally, record, simTip.head, router.windowStartMs);
  }
  return { chunk, tally, engineRouted: router.walker.misses - missesBefore + (router.path === 'engine' ? count : 0), learned: router.walker.takeLearned() };
}
