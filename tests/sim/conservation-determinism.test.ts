// DESIGN §12 invariant 12 (volume simulation conserves tips) and determinism: the same seed and parameters
// give the same figures whatever the number of workers, and the fast path gives the engine's figures.
// Runs with workers start dist/src/sim/worker.js: npm test builds first (npm run build when run alone).
import { describe, expect, it } from 'vitest';
import { runSimulation, type SimulationResult } from '../../src/sim/run.js';
import { summarize } from '../../src/sim/summary.js';
import { defaultParams, stressedParams } from './helpers.js';
import type { SimParams } from '../../src/sim/params.js';

/** The figures of a run: everything but how it ran (time, memory, workers). */
function figures(result: SimulationResult) {
  const { run: _run, ...rest } = summarize(result, 'parameters.yaml');
  return { summary: rest, tally: result.tally, backlog: result.backlog };
}

const run = (params: SimParams, seed: number, tips: number, workers: number, path: 'fast' | 'engine' = 'fast') =>
  runSimulation({ spec: { tips, year: 2019, seed }, params, workers, path, chunkSize: 700, checkEvery: 97 });

describe('volume simulation', () => {
  for (const seed of [1, 42]) {
    it(`conserves tips: in = referred + legal-process + informational + bundled + rejected (invariant 12, seed ${seed})`, async () => {
      const result = await run(stressedParams(), seed, 3000, 0);
      const o = result.tally.routingOutcomes;
      expect(o.referred + o['legal-process'] + o.informational + o.bundled + o.rejected).toBe(3000);
      const f = result.tally.finalOutcomes;
      expect(f.referred + f['legal-process'] + f.informational + f.bundled + f.rejected).toBe(3000);
      expect(summarize(result, 'p').conservation.holds).toBe(true);
      // Every outcome occurs with the stressed mix, so the sums above are not vacuous.
      for (const outcome of ['referred', 'legal-process', 'informational', 'bundled', 'rejected'] as const) expect(o[outcome]).toBeGreaterThan(0);
      expect(result.tally.checked).toBeGreaterThan(0);
    });

    it(`gives the same figures with 1 and 2 workers and in one thread (seed ${seed})`, async () => {
      const [inThread, one, two] = [await run(defaultParams(), seed, 3000, 0), await run(defaultParams(), seed, 3000, 1), await run(defaultParams(), seed, 3000, 2)];
      expect(figures(one)).toEqual(figures(inThread));
      expect(figures(two)).toEqual(figures(inThread));
    });
  }

  it('gives different figures for different seeds', async () => {
    const [a, b] = [await run(defaultParams(), 1, 1000, 0), await run(defaultParams(), 2, 1000, 0)];
    expect(figures(a).tally).not.toEqual(figures(b).tally);
  });

  it('gives the figures of the full engine on the fast path', async () => {
    const [fast, engine] = [await run(stressedParams(), 9, 1500, 0, 'fast'), await run(stressedParams(), 9, 1500, 0, 'engine')];
    expect(figures(fast)).toEqual(figures(engine));
  });
});
