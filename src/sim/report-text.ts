// The summary table `tipflow simulate` prints on stdout.
import { renderTable } from '../io/text-table.js';
import { OUTCOMES } from '../domain/routing/outcome.js';
import { PRIORITIES } from '../domain/triage.js';
import { duration, int, OUTCOME_LABELS, pct } from './report-format.js';
import type { SimulationSummary } from './summary.js';

export function summaryText(s: SimulationSummary): string {
  const r = s.run;
  const c = s.conservation;
  const out: string[] = [];
  out.push(
    `tipflow simulate: ${int(r.tips)} tips of ${r.year} (${int(r.yearReports)} reports a year), seed ${r.seed}, ${r.workers} worker${r.workers === 1 ? '' : 's'}: ` +
      `${r.elapsedSeconds} s, ${int(r.tipsPerSecond)} tips/s (${r.cpuMicrosecondsPerTip} µs CPU a tip), peak memory ${r.peakRssMB} MB`,
    `simulated window ${r.window.start.slice(0, 10)} to ${r.window.end.slice(0, 10)} (${r.window.days} day${r.window.days === 1 ? '' : 's'}); synthetic tips: figures describe the model, not NCMEC`,
    '',
    `Outcomes: in ${int(c.in)} = referred ${int(c.referred)} + legal process ${int(c.legalProcess)} + informational ${int(c.informational)} + bundled ${int(c.bundled)} + rejected ${int(c.rejected)} ${c.holds ? '(conserved)' : '(NOT CONSERVED)'}`,
    renderTable(
      ['outcome', 'at route decision', 'share', 'after the world answered', 'share'],
      OUTCOMES.map((o) => [OUTCOME_LABELS[o], int(s.outcomes[o].count), pct(s.outcomes[o].share), int(s.finalOutcomes[o].count), pct(s.finalOutcomes[o].share)]),
    ),
    `referral vs informational: ${pct(s.referralVsInformational.referral.share)} referral (referred or legal process), ${pct(s.referralVsInformational.informational.share)} informational (incl. bundled)`,
    `sources: ESP ${int(s.sources.esp.count)} (${pct(s.sources.esp.share)}), public ${int(s.sources.public.count)} (${pct(s.sources.public.share)})`,
    '',
    'Triage and referral times (arrival to the decision), SLA breaches',
    renderTable(
      ['priority', 'tips', 'to triage: mean', 'p50', 'p90', 'p99', 'max', 'SLA breaches', 'share', 'referred', 'to referral: mean', 'p90'],
      PRIORITIES.map((p) => {
        const sla = s.sla[p];
        const tt = sla.timeToTriage;
        return [p, int(s.priorities[p].count), duration(tt.meanMinutes), duration(tt.p50Minutes), duration(tt.p90Minutes), duration(tt.p99Minutes), duration(tt.maxMinutes), int(sla.breaches), pct(sla.breachShare), int(sla.referred), duration(sla.timeToReferral.meanMinutes), duration(sla.timeToReferral.p90Minutes)];
      }),
    ),
    `acknowledgements: ${int(s.acknowledgement.acknowledged)}, overdue first ${int(s.acknowledgement.overdue)} (${pct(s.acknowledgement.overdueShare)})`,
    '',
    'Channels (tips finally referred)',
    renderTable(['channel', 'tips', 'share'], Object.entries(s.channels).map(([ch, v]) => [ch, int(v.count), pct(v.share)])),
    '',
    `Top ${s.topJurisdictions.length} jurisdictions (of ${s.jurisdictionsReferredTo})`,
    renderTable(['jurisdiction', 'tips', 'share'], s.topJurisdictions.map((j) => [j.id, int(j.count), pct(j.share)])),
    '',
    'Caveats (share of assessed tips carrying each)',
    renderTable(['caveat', 'tips', 'share'], s.caveats.map((cv) => [cv.code, int(cv.count), pct(cv.share)])),
    '',
    'Confidence of the geolocation assessment',
    renderTable(['confidence', 'tips', 'share'], Object.entries(s.confidence).map(([level, v]) => [level, int(v.count), pct(v.share)])),
    `network kinds of IP events and P2P rows: ${Object.entries(s.networkKinds).map(([kind, v]) => `${kind} ${pct(v.share)}`).join(', ')}`,
    '',
    'Legal process and preservation',
    renderTable(
      ['requested', 'preservation confirmed', 'ISP records expired', 'renewed', 'expired', 'subscriber returned', 'then referred', 'ESP preservation lapsed'],
      [[s.legalProcess.requested, s.legalProcess.preservationConfirmed, s.legalProcess.recordsExpired, s.legalProcess.renewed, s.legalProcess.expired, s.legalProcess.subscriberReturned, s.legalProcess.referredAfterReturn, s.espPreservationLapsed].map(int)],
    ),
    '',
    `routing: ${r.routing === 'fast' ? `fast path; ${int(r.engineRouted)} tips walked by the engine (first of their decision signature), ${int(r.checked)} checked both ways` : 'every tip through the engine'}`,
  );
  return out.join('\n');
}
