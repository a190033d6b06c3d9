// The figures of a run, counted tip by tip and merged chunk by chunk. A tally is plain data (numbers,
// arrays, records) so it crosses from a worker as it is; merging adds counts, so merging the chunks in
// chunk order gives the same figures whatever worker routed which chunk.
import { CAVEAT_CODES, type CaveatCode } from '../domain/caveats/codes.js';
import { CONFIDENCE_LEVELS, type Confidence } from '../domain/confidence.js';
import { CHANNELS, type Channel } from '../domain/reference/jurisdictions.js';
import { OUTCOMES, type Outcome } from '../domain/routing/outcome.js';
import { PRIORITIES, type Priority } from '../domain/triage.js';
import type { TipHead } from './synthetic-tips.js';
import { timerName, type SimTipRecord } from './tip-record.js';
import { DAY_MS } from '../domain/routing/timers.js';

/** Durations are binned on a log scale: bin b ≥ 1 holds (2^((b-1)/2) - 1, 2^(b/2) - 1] seconds. */
export const DURATION_BINS = 72;

export interface DurationStats {
  count: number;
  sumMs: number;
  maxMs: number;
  bins: number[];
}

export interface Tally {
  tips: number;
  routingOutcomes: Record<Outcome, number>;
  finalOutcomes: Record<Outcome, number>;
  sources: { esp: number; public: number };
  priorities: Record<Priority, number>;
  tracks: { referral: number; informational: number };
  channels: Record<Channel, number>;
  jurisdictions: Record<string, number>;
  /** Tips (with an assessment) carrying each caveat. */
  caveats: Record<CaveatCode, number>;
  assessed: number;
  /** IP events and P2P observations by network kind ('none': no geo entry). */
  networkKinds: Record<string, number>;
  confidence: Record<Confidence, number>;
  timeToTriage: Record<Priority, DurationStats>;
  triageSlaBreaches: Record<Priority, number>;
  timeToReferral: Record<Priority, DurationStats>;
  acknowledgement: { acknowledged: number; overdue: number };
  legalProcess: { requested: number; preservationConfirmed: number; recordsExpired: number; renewed: number; expired: number; subscriberReturned: number; referredAfterReturn: number };
  espPreservationLapsed: number;
  /** Every timer that fired, by its delay's name. */
  timers: Record<string, number>;
  /** Arrivals per day of the window, by routing outcome. */
  dailyArrivals: Record<Outcome, number[]>;
  /** Tips also routed through the engine to check the fast path (a fixed sample of indices). */
  checked: number;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const durations = (): DurationStats => ({ count: 0, sumMs: 0, maxMs: 0, bins: new Array<number>(DURATION_BINS).fill(0) });
const perPriority = <T>(make: () => T): Record<Priority, T> => ({ P1: make(), P2: make(), P3: make() });

export function emptyTally(days: number): Tally {
  return {
    tips: 0,
    routingOutcomes: zeros(OUTCOMES),
    finalOutcomes: zeros(OUTCOMES),
    sources: { esp: 0, public: 0 },
    priorities: zeros(PRIORITIES),
    tracks: { referral: 0, informational: 0 },
    channels: zeros(CHANNELS),
    jurisdictions: {},
    caveats: zeros(CAVEAT_CODES),
    assessed: 0,
    networkKinds: {},
    confidence: zeros(CONFIDENCE_LEVELS),
    timeToTriage: perPriority(durations),
    triageSlaBreaches: zeros(PRIORITIES),
    timeToReferral: perPriority(durations),
    acknowledgement: { acknowledged: 0, overdue: 0 },
    legalProcess: { requested: 0, preservationConfirmed: 0, recordsExpired: 0, renewed: 0, expired: 0, subscriberReturned: 0, referredAfterReturn: 0 },
    espPreservationLapsed: 0,
    timers: {},
    dailyArrivals: Object.fromEntries(OUTCOMES.map((o) => [o, new Array<number>(days).fill(0)])) as Record<Outcome, number[]>,
    checked: 0,
  };
}

export function durationBin(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(DURATION_BINS - 1, 1 + Math.floor(2 * Math.log2(ms / 1000 + 1)));
}

/** The upper edge of a bin, in ms. */
export const binUpperMs = (bin: number): number => (bin === 0 ? 0 : (2 ** (bin / 2) - 1) * 1000);

function addDuration(stats: DurationStats, ms: number): void {
  stats.count += 1;
  stats.sumMs += ms;
  if (ms > stats.maxMs) stats.maxMs = ms;
  const bin = durationBin(ms);
  stats.bins[bin] = (stats.bins[bin] ?? 0) + 1;
}

export function countTip(tally: Tally, record: SimTipRecord, head: TipHead, windowStartMs: number): void {
  tally.tips += 1;
  tally.routingOutcomes[record.routingOutcome] += 1;
  tally.finalOutcomes[record.finalOutcome] += 1;
  tally.sources[head.source] += 1;
  const day = Math.floor((head.arrivalMs - windowStartMs) / DAY_MS);
  const daily = tally.dailyArrivals[record.routingOutcome];
  if (day >= 0 && day < daily.length) daily[day] = (daily[day] ?? 0) + 1;
  if (record.routingOutcome !== 'rejected') {
    tally.assessed += 1;
    tally.confidence[record.confidence] += 1;
    for (const caveat of record.caveats) tally.caveats[caveat] += 1;
    for (const kind of record.networkKinds) tally.networkKinds[kind] = (tally.networkKinds[kind] ?? 0) + 1;
  }
  if (record.priority !== null) tally.priorities[record.priority] += 1;
  if (record.track !== null) tally.tracks[record.track] += 1;
  if (record.finalOutcome === 'referred' && record.jurisdiction !== null) {
    tally.channels[record.jurisdiction.channel] += 1;
    tally.jurisdictions[record.jurisdiction.id] = (tally.jurisdictions[record.jurisdiction.id] ?? 0) + 1;
  }
  if (record.routingOutcome === 'legal-process') tally.legalProcess.requested += 1;
  let referredAt = Number.NaN;
  let returned = false;
  for (const step of record.steps) {
    switch (step.type) {
      case 'TRIAGE.ASSIGN':
        if (record.priority !== null) addDuration(tally.timeToTriage[record.priority], step.at - head.arrivalMs);
        break;
      case 'ROUTE.REFER':
        if (Number.isNaN(referredAt)) referredAt = step.at;
        if (returned) tally.legalProcess.referredAfterReturn += 1;
        break;
      case 'AGENCY.ACKNOWLEDGE':
        tally.acknowledgement.acknowledged += 1;
        break;
      case 'PRESERVATION.CONFIRMED':
        tally.legalProcess.preservationConfirmed += 1;
        break;
      case 'SUBSCRIBER.RETURNED':
        tally.legalProcess.subscriberReturned += 1;
        returned = true;
        break;
      default:
        if (step.actor === 'clock') countTimer(tally, timerName(step.type), step.state, record.exigency);
    }
  }
  if (!Number.isNaN(referredAt) && record.priority !== null) addDuration(tally.timeToReferral[record.priority], referredAt - head.arrivalMs);
}

function countTimer(tally: Tally, name: string, state: string, exigency: Priority | null): void {
  tally.timers[name] = (tally.timers[name] ?? 0) + 1;
  switch (name) {
    case 'triageSla':
      if (exigency !== null) tally.triageSlaBreaches[exigency] += 1;
      break;
    case 'acknowledgementSla':
      tally.acknowledgement.overdue += 1;
      break;
    case 'espPreservation':
      tally.espPreservationLapsed += 1;
      break;
    case 'recordsRetention':
      tally.legalProcess.recordsExpired += 1;
      break;
    case 'preservation2703f':
      if (state === 'legalProcess.preservationRenewed') tally.legalProcess.renewed += 1;
      else tally.legalProcess.expired += 1;
      break;
  }
}

function addRecords(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

function addArrays(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i += 1) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function addDurations(into: DurationStats, from: DurationStats): void {
  into.count += from.count;
  into.sumMs += from.sumMs;
  into.maxMs = Math.max(into.maxMs, from.maxMs);
  addArrays(into.bins, from.bins);
}

/** Adds `from` into `into` (counts add; maxima take the larger). */
export function mergeTally(into: Tally, from: Tally): void {
  into.tips += from.tips;
  addRecords(into.routingOutcomes, from.routingOutcomes);
  addRecords(into.finalOutcomes, from.finalOutcomes);
  addRecords(into.sources, from.sources);
  addRecords(into.priorities, from.priorities);
  addRecords(into.tracks, from.tracks);
  addRecords(into.channels, from.channels);
  addRecords(into.jurisdictions, from.jurisdictions);
  addRecords(into.caveats, from.caveats);
  into.assessed += from.assessed;
  addRecords(into.networkKinds, from.networkKinds);
  addRecords(into.confidence, from.confidence);
  for (const p of PRIORITIES) {
    addDurations(into.timeToTriage[p], from.timeToTriage[p]);
    addDurations(into.timeToReferral[p], from.timeToReferral[p]);
  }
  addRecords(into.triageSlaBreaches, from.triageSlaBreaches);
  addRecords(into.acknowledgement, from.acknowledgement);
  addRecords(into.legalProcess, from.legalProcess);
  into.espPreservationLapsed += from.espPreservationLapsed;
  addRecords(into.timers, from.timers);
  for (const o of OUTCOMES) addArrays(into.dailyArrivals[o], from.dailyArrivals[o]);
  into.checked += from.checked;
}
