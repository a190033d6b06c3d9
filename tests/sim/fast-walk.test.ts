// The fast path is the engine, remembered: for many generated tips, with analyst times that race every
// timer, the fast path's record (outcomes, priority, track, caveats, confidence, jurisdiction, channel,
// notify, every step of the walk with its time and state, every timer fired) equals the record of the
// same tip routed through the real engine. Each run draws new tips and times: its seed is in the tests'
// titles and in fast-check's report of a failure; SIM_DIFF_SEED=<seed> runs the same ones again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRIAGE_SLA_MS } from '../../src/domain/routing/timers.js';
import { walkWithEngine } from '../../src/sim/engine-walk.js';
import { FastWalker } from '../../src/sim/fast-walk.js';
import type { SimSetup } from '../../src/sim/setup.js';
import { defaultParams, isValidTip, newEngine, setupFor, stressedParams } from './helpers.js';

/** This run's seed: fast-check's (the tips' indices and the analyst's times) and the tip stream's. */
const SEED = process.env.SIM_DIFF_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.SIM_DIFF_SEED);
if (!Number.isSafeInteger(SEED)) throw new Error(`SIM_DIFF_SEED=${process.env.SIM_DIFF_SEED ?? ''} is not a whole number`);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Analyst delays that land before, on and after the triage SLA and the ESP preservation period. */
const arbWait = fc.oneof(
  fc.integer({ min: 0, max: 2 * DAY }),
  fc.constantFrom(0, HOUR - 1, HOUR, HOUR + 1, DAY, 72 * HOUR, 72 * HOUR + 1, 90 * DAY, 90 * DAY + 1),
  fc.integer({ min: 0, max: 200 * DAY }),
);

function differential(setup: SimSetup, runs: number) {
  const walker = new FastWalker(newEngine(), setup.factory);
  const engine = newEngine();
  let compared = 0;
  fc.assert(
    fc.property(fc.nat({ max: setup.spec.tips - 1 }), arbWait, fc.integer({ min: 0, max: 3 * HOUR }), (index, wait, routing) => {
      const tip = setup.factory.tip(index);
      // The slack rule: a wait exactly at the SLA must count as on time or late the same way in both paths.
      const triagedAt = tip.head.arrivalMs + (wait === HOUR ? TRIAGE_SLA_MS[tip.head.exigency] : wait);
      const times = { triagedAt, routedAt: triagedAt + routing };
      expect(isValidTip(tip.submission)).toBe(!tip.head.rejected);
      const fast = walker.route(tip, times);
      const full = walkWithEngine(engine, setup.factory, tip, times);
      expect(fast).toEqual(full);
      // The queue skips tips the head calls bundled; the machine must bundle exactly those.
      expect(full.routingOutcome === 'bundled').toBe(tip.head.bundled);
      compared += 1;
    }),
    { numRuns: runs, seed: SEED },
  );
  return { compared, misses: walker.misses, signatures: walker.signatures, endedReuses: walker.endedReuses };
}

describe('fast path ≡ engine (differential property)', () => {
  it(`gives the engine’s record for every tip of the default mix (seed ${SEED})`, () => {
    const { compared, misses } = differential(setupFor(defaultParams(), SEED), 1500);
    // Most comparisons must be real template reuses, not first sightings routed by the engine itself.
    expect(misses).toBeLessThan(compared * 0.5);
  });

  it(`gives the engine’s record when timers race the world (legal process, slow agencies, stale events; seed ${SEED})`, () => {
    const { compared, misses, endedReuses } = differential(setupFor(stressedParams(), SEED), 1500);
    expect(misses).toBeLessThan(compared * 0.7);
    // Walks that end before the tip's last instants are reused for tips whose later instants come in
    // another order: the comparisons must cover that reuse too.
    expect(endedReuses).toBeGreaterThan(0);
  });
});
