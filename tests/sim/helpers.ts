// Shared set-up for the simulator's tests: the bundled parameters, and variants that push the stream
// towards the paths the default mix visits rarely (legal process, timers racing the world).
import { parseTip } from '../../src/domain/tip/parse.js';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import type { SimParams } from '../../src/sim/params.js';
import { readSimParams } from '../../src/sim/params-file.js';
import { createSetup, type SimSetup } from '../../src/sim/setup.js';

export const defaultParams = (): SimParams => readSimParams();

/** Mobile networks without ports, missing timestamps, slow agencies, quick subscriber returns: every timer gets its chance. */
export function stressedParams(): SimParams {
  const p = defaultParams();
  return {
    ...p,
    rejectedShare: 0.05,
    publicShare: 0.1,
    network: { ...p.network, kinds: { ...p.network.kinds, mobile: 40, uncovered: 10 }, portMissing: { mobile: 0.9, other: 0.3 }, missingTimestampShare: 0.15, eventAgeDays: 90 },
    world: { ...p.world, acknowledgementDays: { icac: 1, federal: 7, direct: 30, attache: 60, europol: 20, interpol: 120 }, preservationConfirmDays: 60, subscriberReturnDays: 120, subscriberReturnShare: 0.7 },
    years: { ...p.years, '2019': { reports: 16_900_000, bundledShare: 0.05 } },
  };
}

export function setupFor(params: SimParams, seed: number, tips = 1_000_000, year = 2019): SimSetup {
  return createSetup({ tips, year, seed }, params, bundledReference());
}

export const newEngine = (): Engine => new Engine(bundledReference());

export const isValidTip = (submission: unknown): boolean => parseTip(submission).ok;
