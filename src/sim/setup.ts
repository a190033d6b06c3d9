// One run's fixed inputs, built the same way in the coordinating thread and in every worker: parameters,
// reference data, the year's arrival profile and the tip factory. Everything a tip is made of follows from
// these and the tip's index.
import type { Reference } from '../domain/reference/reference.js';
import { ArrivalProfile } from './arrivals.js';
import { yearVolume, type SimParams } from './params.js';
import { TipFactory } from './synthetic-tips.js';

export interface RunSpec {
  /** Tips to route: the first `tips` of the year's stream. */
  tips: number;
  year: number;
  seed: number;
}

export interface SimSetup {
  spec: RunSpec;
  params: SimParams;
  reference: Reference;
  profile: ArrivalProfile;
  factory: TipFactory;
  /** Reports in the year's whole stream (sets the arrival rate). */
  streamSize: number;
}

export function createSetup(spec: RunSpec, params: SimParams, reference: Reference): SimSetup {
  const volume = yearVolume(params, spec.year);
  if (volume === null) throw new RangeError(`simulate: the parameters list no volume for ${spec.year}`);
  const streamSize = Math.max(spec.tips, volume.reports);
  const profile = new ArrivalProfile(spec.year, streamSize, params.arrivals);
  const factory = new TipFactory(params, reference, spec.seed, profile, volume.bundledShare);
  return { spec, params, reference, profile, factory, streamSize };
}
