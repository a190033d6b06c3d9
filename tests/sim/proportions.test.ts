// The summary's proportions match the configured mix on 100,000 tips, within statistical tolerance
// (5 standard errors of a binomial share, so a correct run fails about once in 3 million).
import { beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_TYPES } from '../../src/domain/tip/vocabulary.js';
import type { SimParams } from '../../src/sim/params.js';
import { runSimulation } from '../../src/sim/run.js';
import { summarize, type SimulationSummary } from '../../src/sim/summary.js';
import { defaultParams } from './helpers.js';

const N = 100_000;

function expectShare(observed: number, expected: number, n: number): void {
  const tolerance = 5 * Math.sqrt((expected * (1 - expected)) / n) + 1e-9;
  expect(Math.abs(observed - expected), `observed ${observed}, expected ${expected} ± ${tolerance}`).toBeLessThanOrEqual(tolerance);
}

describe(`proportions on ${N.toLocaleString('en-US')} tips`, () => {
  const params: SimParams = { ...defaultParams(), years: { ...defaultParams().years, '2024': { reports: 29_200_000, bundledShare: 0.298 } } };
  let summary: SimulationSummary;

  beforeAll(async () => {
    summary = summarize(await runSimulation({ spec: { tips: N, year: 2024, seed: 3 }, params, workers: 2, checkEvery: 5000 }), 'parameters.yaml');
  }, 120_000);

  it('conserves the tips', () => {
    expect(summary.conservation.holds).toBe(true);
    expect(summary.conservation.in).toBe(N);
  });

  it('rejects and bundles the configured shares', () => {
    expectShare(summary.outcomes.rejected.share, params.rejectedShare, N);
    expectShare(summary.outcomes.bundled.share, (1 - params.rejectedShare) * 0.298, N);
  });

  it('draws public reports at the configured share (bundled reports come from ESPs)', () => {
    const eligible = 1 - (1 - params.rejectedShare) * 0.298;
    expectShare(summary.sources.public.share, params.publicShare * eligible, N);
  });

  it('puts the configured share of ESP reports on the informational track (every file a meme, no network indicator)', () => {
    const triaged = summary.tracks.referral.count + summary.tracks.informational.count;
    expectShare(summary.tracks.informational.share, (1 - params.publicShare) * params.esp.memeOnlyShare, triaged);
  });

  it('triages P1 as often as the incident mix says (exigent types, escalation, sextortion, sadistic exploitation)', () => {
    const types = params.incident.types;
    const total = INCIDENT_TYPES.reduce((sum, t) => sum + (types[t] ?? 0), 0);
    const p1Types = ((types['child-sex-trafficking'] ?? 0) + (types['child-sexual-molestation'] ?? 0)) / total;
    const a = params.incident.annotations;
    const notP1 = (1 - p1Types) * (1 - params.incident.escalatedShare) * (1 - (a.sextortion ?? 0)) * (1 - (a.sadisticOnlineExploitation ?? 0));
    const triaged = summary.priorities.P1.count + summary.priorities.P2.count + summary.priorities.P3.count;
    expectShare(summary.priorities.P1.count / triaged, 1 - notP1, triaged);
  });

  it('gives IP events and P2P rows the configured network kinds', () => {
    const weights = params.network.kinds;
    const total = Object.values(weights).reduce<number>((sum, w) => sum + (w ?? 0), 0);
    const indicators = Object.values(summary.networkKinds).reduce((sum, v) => sum + v.count, 0);
    expect(indicators).toBeGreaterThan(N);
    for (const [kind, weight] of Object.entries(weights)) {
      const observed = summary.networkKinds[kind === 'uncovered' ? 'none' : kind]?.share ?? 0;
      expectShare(observed, (weight ?? 0) / total, indicators);
    }
  });
});
