// The offline HTML report: the summary's tables and four inline SVG charts (volume and backlog over the
// window, outcomes, caveat mix). One file, no script, no external resource.
import { OUTCOMES, type Outcome } from '../domain/routing/outcome.js';
import { PRIORITIES } from '../domain/triage.js';
import { duration, int, OUTCOME_LABELS, pct } from './report-format.js';
import type { SimulationSummary } from './summary.js';
import { escapeXml, horizontalBars, lineChart, stackedColumns } from './svg-charts.js';

const OUTCOME_COLORS: Record<Outcome, string> = { referred: '#2f6f4f', 'legal-process': '#c98a1b', informational: '#6d8fb3', bundled: '#9b7bb8', rejected: '#b5483b' };
const PRIORITY_COLORS = { P1: '#b5483b', P2: '#c98a1b', P3: '#3b6ea5' } as const;

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  `<table><thead><tr>${header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((cell, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeXml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

export function summaryHtml(s: SimulationSummary): string {
  const r = s.run;
  const c = s.conservation;
  const days = s.series.days;
  const volume = stackedColumns(
    `Tips received per day, by outcome of the route decision (${days.length} days)`,
    days,
    OUTCOMES.map((o) => ({ name: OUTCOME_LABELS[o], color: OUTCOME_COLORS[o], values: s.series.arrivals[o] })),
  );
  const backlog = lineChart(
    'Tips waiting for an analyst (peak of each day), per priority queue',
    days,
    PRIORITIES.map((p) => ({ name: `${p} (${s.sla[p] === undefined ? 0 : int(s.priorities[p].count)} tips)`, color: PRIORITY_COLORS[p], values: s.series.backlogPeak[p] })),
  );
  const outcomes = horizontalBars(
    'Outcomes: at the route decision, and after the world answered',
    OUTCOMES.flatMap((o) => [
      { label: `${OUTCOME_LABELS[o]}`, value: s.outcomes[o].count, text: `${int(s.outcomes[o].count)} (${pct(s.outcomes[o].share)})`, color: OUTCOME_COLORS[o] },
      { label: `${OUTCOME_LABELS[o]}, final`, value: s.finalOutcomes[o].count, text: `${int(s.finalOutcomes[o].count)} (${pct(s.finalOutcomes[o].share)})`, color: `${OUTCOME_COLORS[o]}99` },
    ]),
  );
  const caveats = horizontalBars(
    'Caveat mix: share of assessed tips carrying each caveat',
    s.caveats.map((cv) => ({ label: cv.code, value: cv.share, text: `${pct(cv.share)} (${int(cv.count)})` })),
  );
  const channels = horizontalBars(
    'Channels of the tips finally referred',
    Object.entries(s.channels).map(([ch, v]) => ({ label: ch, value: v.count, text: `${int(v.count)} (${pct(v.share)})` })),
    '#2f6f4f',
  );
  const title = `tipflow simulation: ${int(r.tips)} tips of ${r.year}, seed ${r.seed}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232a;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5dbe1;padding-bottom:4px}
.meta{color:#4a5561}.note{background:#f3f5f7;border-left:3px solid #6d8fb3;padding:8px 12px;margin:12px 0}
.ok{color:#2f6f4f;font-weight:600}.bad{color:#b5483b;font-weight:600}
table{border-collapse:collapse;margin:8px 0 4px;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #e3e7eb;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f3f5f7}
svg{width:100%;height:auto;margin:6px 0}svg .title{font-size:14px;font-weight:600;fill:#1d232a}svg .tick{font-size:11px;fill:#4a5561}svg .grid{stroke:#e3e7eb}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
</style></head><body>
<h1>${escapeXml(title)}</h1>
<p class="meta">${int(r.tips)} tips at ${r.year}'s rate (${int(r.yearReports)} reports a year), ${escapeXml(r.window.start.slice(0, 10))} to ${escapeXml(r.window.end.slice(0, 10))}; parameters ${escapeXml(r.parameters)};
${r.workers} worker${r.workers === 1 ? '' : 's'}, ${r.elapsedSeconds} s, ${int(r.tipsPerSecond)} tips/s (${r.cpuMicrosecondsPerTip} µs CPU a tip), peak memory ${r.peakRssMB} MB.</p>
<p class="note">Synthetic, contentless tips routed through tipflow's statechart in auto mode. The figures describe the model and its parameters
(see docs/simulate.md), not NCMEC's real workload; locations reflect network indicators, not people.</p>
<p>Conservation: in ${int(c.in)} = referred ${int(c.referred)} + legal process ${int(c.legalProcess)} + informational ${int(c.informational)} + bundled ${int(c.bundled)} + rejected ${int(c.rejected)}
<span class="${c.holds ? 'ok' : 'bad'}">${c.holds ? 'holds' : 'DOES NOT HOLD'}</span>. Referral ${pct(s.referralVsInformational.referral.share)}, informational ${pct(s.referralVsInformational.informational.share)}.</p>
<h2>Volume and backlog</h2>
${volume}
${backlog}
<h2>Outcomes</h2>
${outcomes}
${table(['outcome', 'at route decision', 'share', 'final', 'share'], OUTCOMES.map((o) => [OUTCOME_LABELS[o], int(s.outcomes[o].count), pct(s.outcomes[o].share), int(s.finalOutcomes[o].count), pct(s.finalOutcomes[o].share)]))}
<h2>Triage and referral times, SLA</h2>
${table(
  ['priority', 'tips', 'to triage: mean', 'p50', 'p90', 'p99', 'SLA breaches', 'share', 'referred', 'to referral: mean', 'p90'],
  PRIORITIES.map((p) => {
    const sla = s.sla[p];
    return [p, int(s.priorities[p].count), duration(sla.timeToTriage.meanMinutes), duration(sla.timeToTriage.p50Minutes), duration(sla.timeToTriage.p90Minutes), duration(sla.timeToTriage.p99Minutes), int(sla.breaches), pct(sla.breachShare), int(sla.referred), duration(sla.timeToReferral.meanMinutes), duration(sla.timeToReferral.p90Minutes)];
  }),
)}
<p>Acknowledgements ${int(s.acknowledgement.acknowledged)}, overdue first ${int(s.acknowledgement.overdue)} (${pct(s.acknowledgement.overdueShare)}).
Legal process: ${int(s.legalProcess.requested)} requested, ${int(s.legalProcess.preservationConfirmed)} preservations confirmed, ${int(s.legalProcess.recordsExpired)} ISP records expired first,
${int(s.legalProcess.renewed)} renewed, ${int(s.legalProcess.expired)} expired, ${int(s.legalProcess.subscriberReturned)} subscriber returns (${int(s.legalProcess.referredAfterReturn)} then referred); ESP preservation lapsed on ${int(s.espPreservationLapsed)} open tips.</p>
<h2>Caveats and confidence</h2>
${caveats}
<div class="grid2"><div>${table(['confidence', 'tips', 'share'], Object.entries(s.confidence).map(([level, v]) => [level, int(v.count), pct(v.share)]))}</div>
<div>${table(['network kind', 'IP events and P2P rows', 'share'], Object.entries(s.networkKinds).map(([kind, v]) => [kind, int(v.count), pct(v.share)]))}</div></div>
<h2>Where referrals go</h2>
${channels}
<div class="grid2"><div>${table(['top jurisdiction', 'tips', 'share'], s.topJurisdictions.map((j) => [j.id, int(j.count), pct(j.share)]))}</div>
<div>${table(['timer', 'fired'], Object.entries(s.timers).map(([name, count]) => [name, int(count)]))}</div></div>
<p class="meta">Routing: ${r.routing === 'fast' ? `fast path (each decision signature walked once by the engine: ${int(r.engineRouted)} tips), ${int(r.checked)} tips checked both ways` : 'every tip through the engine'}.</p>
</body></html>
`;
}
