// The after-action report as Markdown: the draft an instructor edits or pastes into their agency's AAR/IP
// template. Same model, same bytes.
import { RATING_RULE, type AarModel } from './aar.js';
import { RATING_WORDS } from './plain-words.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) => [row(header), row(header.map(() => '---')), ...rows.map(row)];
const dates = (from: string | null, to: string | null) => (from === null || to === null ? 'not known (ratings only)' : from === to ? from : `${from} to ${to}`);

export function renderAarMarkdown(m: AarModel): string {
  const o = m.overview;
  const lines: string[] = [
    `# ${m.title}`,
    '',
    'Draft after-action report and improvement plan (HSEEP AAR/IP), drafted by tipflow from the graded sessions. Training data: synthetic, contentless tips.',
    '',
    '## Overview',
    '',
    ...(m.cohort === null ? [] : [`- Cohort: ${m.cohort}`]),
    `- Exercises: ${o.exercises.map((e) => `${e.title} (${e.id})`).join('; ') || 'none'}`,
    `- Simulated time: ${dates(o.from, o.to)}`,
    `- Trainees: ${o.trainees.length} (${o.trainees.join(', ') || 'none'})`,
    `- Attempts: ${o.attempts} (${o.modes.map((x) => `${x.mode} ${x.attempts}`).join(', ') || 'none'})`,
    `- Overall ratings: ${(['P', 'S', 'M', 'U'] as const).map((r) => `${r} ${o.overall[r]}`).join(', ')}`,
    ...(o.ratingsOnly === 0 ? [] : [`- ${o.ratingsOnly} of the attempts come from a results export: their ratings count, the decisions behind them are not known.`]),
    '',
    ...table(
      ['exercise', 'attempts', 'trainees', 'simulated time'],
      o.exercises.map((e) => [`${e.title} (${e.id})`, String(e.attempts), String(e.trainees), dates(e.from, e.to)]),
    ),
    '',
    '## Objectives',
    '',
    `Ratings: ${Object.values(RATING_WORDS).join('; ')}. ${RATING_RULE}`,
  ];
  for (const x of m.objectives) {
    lines.push('', `### ${x.id}: ${x.description === '' ? x.exercise.title : x.description}`, '');
    lines.push(`- Exercise: ${x.exercise.title} (${x.exercise.id})${x.capability === '' ? '' : ` · capability: ${x.capability}`}${x.deadline === null ? '' : ` · deadline: ${x.deadline}`}`);
    lines.push(`- Ratings over ${x.attempts} attempt${x.attempts === 1 ? '' : 's'}: P ${x.counts.P}, S ${x.counts.S}, M ${x.counts.M}, U ${x.counts.U}${x.meanScore === null ? '' : ` · mean score ${Math.round(x.meanScore * 100)} %`}`, '');
    lines.push(...table(['trainee', 'session', 'mode', 'rating', 'evidence'], x.evidence.map((e) => [e.trainee, e.session, e.mode, e.rating, e.decisions.join('; ')])));
  }
  lines.push('', '## Strengths', '');
  lines.push(...(m.strengths.length === 0 ? ['- No objective was performed without or with only some challenges by most attempts.'] : m.strengths.map((s) => `- ${s}`)));
  lines.push('', '## Areas for improvement', '');
  if (m.areas.length === 0) lines.push('- None found in the evidence.');
  for (const a of m.areas) {
    lines.push(`- ${a.text} Capability: ${a.capability === '' ? 'not known' : a.capability}.`);
    for (const e of a.evidence) lines.push(`  - ${e}`);
  }
  lines.push('', '## Improvement plan', '');
  lines.push('Rows marked "suggested" are drafted from the areas for improvement: complete or replace them.', '');
  lines.push(...table(['corrective action', 'capability', 'owner', 'due date', ''], m.plan.map((r) => [r.action, r.capability, r.owner, r.due, r.suggested ? 'suggested' : ''])));
  lines.push('', '## Timeline', '', 'Simulated time (UTC), per exercise.');
  for (const t of m.timeline) {
    lines.push('', `### ${t.exercise.title} (${t.exercise.id})`, '');
    lines.push(...table(['simulated time', 'trainee', 'session', 'what happened'], t.entries.map((e) => [e.at, e.trainee, e.session, e.text])));
  }
  lines.push('', '## Appendix: trainees');
  for (const t of m.trainees) {
    lines.push('', `### ${t.name}`);
    for (const s of t.sessions) {
      lines.push('', `#### ${s.exercise.title}, ${s.mode} (${s.id})`, '');
      lines.push(`- Simulated time: ${dates(s.from, s.to)}`);
      if (s.outcome !== null) lines.push(`- Outcome: ${s.outcome}`);
      lines.push(`- Overall: ${s.overall === null ? 'not rated' : RATING_WORDS[s.overall]}`);
      lines.push(`- Objectives: ${s.objectives.map((x) => `${x.id} ${x.rating}`).join(', ') || 'none'}`);
      if (s.hintsUsed > 0 || s.undos > 0) lines.push(`- Hints used: ${s.hintsUsed}; decisions taken back: ${s.undos}`);
      if (s.ratingsOnly) lines.push('- From a results export: ratings only.');
      if (s.decisions.length > 0) {
        lines.push('', ...table(['decision', 'yours', 'expected', 'verdict', 'notes'], s.decisions.map((d) => [d.point, d.yours, d.expected, d.verdict, d.notes.join('; ')])));
      }
    }
  }
  lines.push('', '## Sign-off', '', '- Prepared by: ', '- Date: ', '');
  return lines.join('\n');
}
