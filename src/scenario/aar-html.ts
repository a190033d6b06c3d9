// The after-action report as one self-contained HTML file: inline CSS (one <style> element, so a server can
// allow exactly it by its hash), inline SVG charts (the simulator's helpers), no script and no URL of any
// kind, so it opens offline. Print-friendly: each section starts a page, rows never split, headers repeat,
// margins that suit A4 and Letter alike, so "Print → PDF" gives a clean document.
import { escapeXml, horizontalBars, stackedBars } from '../sim/svg-charts.js';
import { AAR_RATINGS, RATING_RULE, type AarModel } from './aar.js';
import { RATING_WORDS } from './plain-words.js';

const RATING_COLORS = { P: '#2f6f4f', S: '#3b6ea5', M: '#a8700f', U: '#b5483b' } as const;
/** Short enough for the chart's legend line; the ratings' full words are printed above the chart. */
const LEGEND = { P: 'P: without challenges', S: 'S: some challenges', M: 'M: major challenges', U: 'U: unable' } as const;

/** The report's whole stylesheet: the server's Content-Security-Policy allows this text by its hash. */
export const AAR_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232a;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:24px;margin:0 0 6px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #c9d1d9;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}h4{font-size:14px;margin:16px 0 4px}
.meta{color:#4a5561}.note{background:#f3f5f7;border-left:3px solid #3b6ea5;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;margin:8px 0 12px;font-size:13px;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #d5dbe1;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.suggested{color:#4a5561;font-style:italic}.blank{min-width:7em}
ul.evidence{margin:2px 0 8px;color:#4a5561;font-size:13px}
svg{width:100%;height:auto;margin:6px 0}svg .title{font-size:14px;font-weight:600;fill:#1d232a}svg .tick{font-size:11px;fill:#4a5561}svg .grid{stroke:#e3e7eb}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.sign{margin-top:24px}.sign dt{font-weight:600}.sign dd{border-bottom:1px solid #1d232a;min-height:1.6em;margin:0 0 12px}
@page{size:auto;margin:18mm 16mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:11pt;color:#000}
section{break-before:page}section:first-of-type{break-before:auto}
h2,h3,h4{break-after:avoid}tr,li,svg{break-inside:avoid}thead{display:table-header-group}
.note{border-left-color:#000}
}
`;

const table = (header: readonly string[], rows: readonly (readonly string[])[], caption?: string, rowClass?: (i: number) => string): string =>
  `<table>${caption === undefined ? '' : `<caption class="meta">${escapeXml(caption)}</caption>`}<thead><tr>${header.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r, i) => `<tr${rowClass === undefined || rowClass(i) === '' ? '' : ` class="${rowClass(i)}"`}>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

const dates = (from: string | null, to: string | null) => (from === null || to === null ? 'not known (ratings only)' : from === to ? from : `${from} to ${to}`);
const list = (items: readonly string[], className?: string) => (items.length === 0 ? '' : `<ul${className === undefined ? '' : ` class="${className}"`}>${items.map((i) => `<li>${escapeXml(i)}</li>`).join('')}</ul>`);

function objectivesChart(m: AarModel): string {
  if (m.objectives.length === 0) return '';
  const series = AAR_RATINGS.map((r) => ({ name: LEGEND[r], color: RATING_COLORS[r] }));
  const bars = m.objectives.map((o) => ({ label: m.overview.exercises.length > 1 ? `${o.exercise.id}: ${o.id}` : o.id, values: AAR_RATINGS.map((r) => o.counts[r]), text: AAR_RATINGS.map((r) => `${r} ${o.counts[r]}`).join(' · ') }));
  const desc = m.objectives.map((o) => `${o.id}: ${AAR_RATINGS.map((r) => `${o.counts[r]} ${r}`).join(', ')}`).join('; ');
  return stackedBars('Ratings per objective (attempts)', series, bars, desc);
}

function areasChart(m: AarModel): string {
  const top = m.areas.filter((a) => a.kind !== 'objective').slice(0, 10);
  if (top.length === 0) return '';
  const label = (text: string) => (text.length > 34 ? `${text.slice(0, 33)}…` : text);
  const bars = top.map((a) => ({ label: label(a.text.replace(/:.*$/, '')), value: a.count, text: String(a.count) }));
  return horizontalBars('Most frequent areas for improvement (decisions or attempts)', bars, '#a8700f', top.map((a) => a.text).join(' '));
}

export function renderAarHtml(m: AarModel): string {
  const o = m.overview;
  const overview = `<section aria-labelledby="overview"><h2 id="overview">Overview</h2>
<p class="note">Draft after-action report and improvement plan (HSEEP AAR/IP), drafted by tipflow from the graded sessions. Training data: synthetic, contentless tips; times are on the simulated clock (UTC).</p>
<dl class="facts">${[
    ...(m.cohort === null ? [] : [['Cohort', m.cohort]]),
    ['Exercises', o.exercises.map((e) => `${e.title} (${e.id})`).join('; ') || 'none'],
    ['Simulated time', dates(o.from, o.to)],
    ['Trainees', `${o.trainees.length} (${o.trainees.join(', ') || 'none'})`],
    ['Attempts', `${o.attempts} (${o.modes.map((x) => `${x.mode} ${x.attempts}`).join(', ') || 'none'})`],
    ['Overall ratings', AAR_RATINGS.map((r) => `${r} ${o.overall[r]}`).join(', ')],
  ]
    .map(([k, v]) => `<dt>${escapeXml(k ?? '')}</dt><dd>${escapeXml(v ?? '')}</dd>`)
    .join('')}</dl>
${o.ratingsOnly === 0 ? '' : `<p>${o.ratingsOnly} of the attempts come from a results export: their ratings count, the decisions behind them are not known.</p>`}
${table(['exercise', 'attempts', 'trainees', 'simulated time'], o.exercises.map((e) => [`${e.title} (${e.id})`, String(e.attempts), String(e.trainees), dates(e.from, e.to)]), 'Exercises in this report')}
</section>`;

  const objectives = `<section aria-labelledby="objectives"><h2 id="objectives">Objectives</h2>
<p class="meta">Ratings: ${escapeXml(`${Object.values(RATING_WORDS).join('; ')}. ${RATING_RULE}`)}</p>
${objectivesChart(m)}
${m.objectives
  .map(
    (x) => `<h3>${escapeXml(`${x.id}: ${x.description === '' ? x.exercise.title : x.description}`)}</h3>
<p class="meta">${escapeXml(`Exercise: ${x.exercise.title} (${x.exercise.id})${x.capability === '' ? '' : ` · capability: ${x.capability}`}${x.deadline === null ? '' : ` · deadline: ${x.deadline}`} · ratings over ${x.attempts} attempt${x.attempts === 1 ? '' : 's'}: P ${x.counts.P}, S ${x.counts.S}, M ${x.counts.M}, U ${x.counts.U}${x.meanScore === null ? '' : ` · mean score ${Math.round(x.meanScore * 100)} %`}`)}</p>
${table(['trainee', 'session', 'mode', 'rating', 'evidence'], x.evidence.map((e) => [e.trainee, e.session, e.mode, e.rating, e.decisions.join('; ')]), `Evidence for ${x.id}`)}`,
  )
  .join('\n')}
</section>`;

  const findings = `<section aria-labelledby="findings"><h2 id="findings">Strengths and areas for improvement</h2>
<h3>Strengths</h3>
${m.strengths.length === 0 ? '<p>No objective was performed without or with only some challenges by most attempts.</p>' : list(m.strengths)}
<h3>Areas for improvement</h3>
${areasChart(m)}
${m.areas.length === 0 ? '<p>None found in the evidence.</p>' : `<ul>${m.areas.map((a) => `<li>${escapeXml(`${a.text} Capability: ${a.capability === '' ? 'not known' : a.capability}.`)}${list(a.evidence, 'evidence')}</li>`).join('')}</ul>`}
</section>`;

  const plan = `<section aria-labelledby="plan"><h2 id="plan">Improvement plan</h2>
<p class="meta">Rows in italics are suggested, drafted from the areas for improvement: complete or replace them.</p>
${table(['corrective action', 'capability', 'owner', 'due date', 'status'], m.plan.map((r) => [r.action, r.capability, r.owner, r.due, r.suggested ? 'suggested' : 'agreed']), 'Improvement plan', (i) => (m.plan[i]?.suggested === true ? 'suggested' : ''))}
</section>`;

  const timeline = `<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
<p class="meta">Simulated time (UTC), per exercise.</p>
${m.timeline.map((t) => `<h3>${escapeXml(`${t.exercise.title} (${t.exercise.id})`)}</h3>\n${table(['simulated time', 'trainee', 'session', 'what happened'], t.entries.map((e) => [e.at, e.trainee, e.session, e.text]), `Timeline of ${t.exercise.title}`)}`).join('\n')}
</section>`;

  const appendix = `<section aria-labelledby="appendix"><h2 id="appendix">Appendix: trainees</h2>
${m.trainees
  .map(
    (t) => `<h3>${escapeXml(t.name)}</h3>
${t.sessions
  .map(
    (s) => `<h4>${escapeXml(`${s.exercise.title}, ${s.mode} (${s.id})`)}</h4>
<p class="meta">${escapeXml(
      [
        `Simulated time: ${dates(s.from, s.to)}`,
        ...(s.outcome === null ? [] : [`outcome: ${s.outcome}`]),
        `overall: ${s.overall === null ? 'not rated' : RATING_WORDS[s.overall]}`,
        `objectives: ${s.objectives.map((x) => `${x.id} ${x.rating}`).join(', ') || 'none'}`,
        ...(s.hintsUsed > 0 || s.undos > 0 ? [`hints used: ${s.hintsUsed}; decisions taken back: ${s.undos}`] : []),
        ...(s.ratingsOnly ? ['from a results export: ratings only'] : []),
      ].join(' · '),
    )}</p>
${s.decisions.length === 0 ? '' : table(['decision', 'yours', 'expected', 'verdict', 'notes'], s.decisions.map((d) => [d.point, d.yours, d.expected, d.verdict, d.notes.join('; ')]), `Decisions of ${t.name} in ${s.id}`)}`,
  )
  .join('\n')}`,
  )
  .join('\n')}
<dl class="sign"><dt>Prepared by</dt><dd></dd><dt>Date</dt><dd></dd></dl>
</section>`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(m.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${AAR_CSS}</style></head><body>
<main>
<h1>${escapeXml(m.title)}</h1>
${overview}
${objectives}
${findings}
${plan}
${timeline}
${appendix}
</main>
</body></html>
`;
}
