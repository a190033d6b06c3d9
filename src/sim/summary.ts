// The run's figures as one JSON-ready value: what the table on stdout, the JSON file and the HTML report
// all show. Shares are fractions of the tips counted in each block; durations are in minutes.
import { CONFIDENCE_LEVELS } from '../domain/confidence.js';
import { CHANNELS } from '../domain/reference/jurisdictions.js';
import { OUTCOMES, type Outcome } from '../domain/routing/outcome.js';
import { PRIORITIES, type Priority } from '../domain/triage.js';
import type { SimulationResult } from './run.js';
import { binUpperMs, type DurationStats } from './tally.js';
import { DAY_MS, MINUTE_MS } from '../domain/routing/timers.js';

export const SUMMARY_FORMAT = 'tipflow.simulation/1';
export const TOP_JURISDICTIONS = 10;

export interface Counted {
  count: number;
  share: number;
}

export interface DurationSummary {
  count: number;
  meanMinutes: number | null;
  /** Quantiles from a log-binned histogram: the upper edge of the bin the quantile falls in (within ~41 %). */
  p50Minutes: number | null;
  p90Minutes: number | null;
  p99Minutes: number | null;
  maxMinutes: number | null;
}

export interface SimulationSummary {
  format: typeof SUMMARY_FORMAT;
  run: {
    year: number;
    tips: number;
    seed: number;
    /** Reports in the year's whole stream: the arrival rate. */
    yearReports: number;
    parameters: string;
    window: { start: string; end: string; days: number };
    workers: number;
    routing: 'fast' | 'engine';
    elapsedSeconds: number;
    tipsPerSecond: number;
    /** CPU time per tip, all threads (µs): what the run costs, however busy the machine was. */
    cpuMicrosecondsPerTip: number;
    peakRssMB: number;
    /** Tips the real engine routed: the first of each decision signature, per worker. */
    engineRouted: number;
    /** Tips routed both ways and found equal. */
    checked: number;
  };
  /** DESIGN §12 invariant 12: in = referred + legal-process + informational + bundled + rejected. */
  conservation: { in: number; referred: number; legalProcess: number; informational: number; bundled: number; rejected: number; holds: boolean };
  outcomes: Record<Outcome, Counted>;
  finalOutcomes: Record<Outcome, Counted>;
  referralVsInformational: { referral: Counted; informational: Counted };
  sources: { esp: Counted; public: Counted };
  priorities: Record<Priority, Counted>;
  /** Triaged tips by track (the rule book's: informational when every file is a meme or viral and nothing locates anyone). */
  tracks: { referral: Counted; informational: Counted };
  channels: Record<string, Counted>;
  topJurisdictions: ({ id: string } & Counted)[];
  jurisdictionsReferredTo: number;
  /** Share of assessed (not rejected) tips that carry each caveat, most frequent first. */
  caveats: ({ code: string } & Counted)[];
  confidence: Record<string, Counted>;
  /** IP events and P2P observations by the network kind of their geo entry ('none': no entry covers the address). */
  networkKinds: Record<string, Counted>;
  sla: Record<Priority, { triaged: number; timeToTriage: DurationSummary; breaches: number; breachShare: number; referred: number; timeToReferral: DurationSummary }>;
  acknowledgement: { acknowledged: number; overdue: number; overdueShare: number };
  legalProcess: { requested: number; preservationConfirmed: number; recordsExpired: number; renewed: number; expired: number; subscriberReturned: number; referredAfterReturn: number };
  espPreservationLapsed: number;
  timers: Record<string, number>;
  series: {
    days: string[];
    arrivals: Record<Outcome, number[]>;
    /** Tips waiting for an analyst: the day's peak, per priority. */
    backlogPeak: Record<Priority, number[]>;
  };
}

const counted = (count: number, of: number): Counted => ({ count, share: of === 0 ? 0 : count / of });
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

function quantile(stats: DurationStats, q: number): number | null {
  if (stats.count === 0) return null;
  const target = q * stats.count;
  let seen = 0;
  for (let bin = 0; bin < stats.bins.length; bin += 1) {
    seen += stats.bins[bin] ?? 0;
    if (seen >= target) return round(Math.min(binUpperMs(bin), stats.maxMs) / MINUTE_MS);
  }
  return round(stats.maxMs / MINUTE_MS);
}

function durationSummary(stats: DurationStats): DurationSummary {
  return {
    count: stats.count,
    meanMinutes: stats.count === 0 ? null : round(stats.sumMs / stats.count / MINUTE_MS),
    p50Minutes: quantile(stats, 0.5),
    p90Minutes: quantile(stats, 0.9),
    p99Minutes: quantile(stats, 0.99),
    maxMinutes: stats.count === 0 ? null : round(stats.maxMs / MINUTE_MS),
  };
}

export function summarize(result: SimulationResult, parametersFile: string): SimulationSummary {
  const t = result.tally;
  const n = t.tips;
  const o = t.routingOutcomes;
  const referredTotal = t.finalOutcomes.referred;
  const byOutcome = (counts: Record<Outcome, number>) => Object.fromEntries(OUTCOMES.map((k) => [k, counted(counts[k], n)])) as Record<Outcome, Counted>;
  const days = Array.from({ length: result.window.days }, (_, d) => new Date(result.window.startMs + d * DAY_MS).toISOString().slice(0, 10));
  const backlogPeak = Object.fromEntries(
    PRIORITIES.map((p) => {
      const hourly = result.backlog.waiting[p];
      const peaks = days.map((_, d) => {
        let peak = 0;
        for (let h = d * 24; h < Math.min(hourly.length, (d + 1) * 24); h += 1) peak = Math.max(peak, hourly[h] ?? 0);
        return peak;
      });
      return [p, peaks];
    }),
  ) as Record<Priority, number[]>;
  const sum = o.referred + o['legal-process'] + o.informational + o.bundled + o.rejected;
  return {
    format: SUMMARY_FORMAT,
    run: {
      year: result.spec.year,
      tips: result.spec.tips,
      seed: result.spec.seed,
      yearReports: result.streamSize,
      parameters: parametersFile,
      window: { start: new Date(result.window.startMs).toISOString(), end: new Date(result.window.endMs).toISOString(), days: result.window.days },
      workers: result.run.workers,
      routing: result.run.path,
      elapsedSeconds: round(result.run.elapsedMs / 1000, 1),
      tipsPerSecond: Math.round(result.run.tipsPerSecond),
      cpuMicrosecondsPerTip: result.spec.tips === 0 ? 0 : round((result.run.cpuMs * 1000) / result.spec.tips, 1),
      peakRssMB: Math.round(result.run.peakRssBytes / 1e6),
      engineRouted: result.run.engineRouted,
      checked: result.run.checked,
    },
    conservation: { in: n, referred: o.referred, legalProcess: o['legal-process'], informational: o.informational, bundled: o.bundled, rejected: o.rejected, holds: sum === n },
    outcomes: byOutcome(o),
    finalOutcomes: byOutcome(t.finalOutcomes),
    referralVsInformational: { referral: counted(o.referred + o['legal-process'], n), informational: counted(o.informational + o.bundled, n) },
    sources: { esp: counted(t.sources.esp, n), public: counted(t.sources.public, n) },
    priorities: Object.fromEntries(PRIORITIES.map((p) => [p, counted(t.priorities[p], n)])) as Record<Priority, Counted>,
    tracks: { referral: counted(t.tracks.referral, t.tracks.referral + t.tracks.informational), informational: counted(t.tracks.informational, t.tracks.referral + t.tracks.informational) },
    channels: Object.fromEntries(CHANNELS.map((c) => [c, counted(t.channels[c], referredTotal)])),
    topJurisdictions: Object.entries(t.jurisdictions)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_JURISDICTIONS)
      .map(([id, count]) => ({ id, ...counted(count, referredTotal) })),
    jurisdictionsReferredTo: Object.keys(t.jurisdictions).length,
    caveats: Object.entries(t.caveats)
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, count]) => ({ code, ...counted(count, t.assessed) })),
    confidence: Object.fromEntries(CONFIDENCE_LEVELS.map((c) => [c, counted(t.confidence[c], t.assessed)])),
    networkKinds: (() => {
      const total = Object.values(t.networkKinds).reduce((a, b) => a + b, 0);
      return Object.fromEntries(Object.entries(t.networkKinds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, count]) => [kind, counted(count, total)]));
    })(),
    sla: Object.fromEntries(
      PRIORITIES.map((p) => {
        const triaged = t.timeToTriage[p].count;
        return [p, { triaged, timeToTriage: durationSummary(t.timeToTriage[p]), breaches: t.triageSlaBreaches[p], breachShare: triaged === 0 ? 0 : t.triageSlaBreaches[p] / triaged, referred: t.timeToReferral[p].count, timeToReferral: durationSummary(t.timeToReferral[p]) }];
      }),
    ) as SimulationSummary['sla'],
    acknowledgement: { ...t.acknowledgement, overdueShare: t.acknowledgement.acknowledged === 0 ? 0 : t.acknowledgement.overdue / t.acknowledgement.acknowledged },
    legalProcess: t.legalProcess,
    espPreservationLapsed: t.espPreservationLapsed,
    timers: Object.fromEntries(Object.entries(t.timers).sort((a, b) => a[0].localeCompare(b[0]))),
    series: { days, arrivals: t.dailyArrivals, backlogPeak },
  };
}
