// The debrief as text (terminal), Markdown (a class handout) or JSON (tools). Same debrief, same bytes.
import type { Tag } from '../domain/routing/context.js';
import type { Debrief } from './debrief.js';
import { spanWords } from './plain-words.js';
import { layoutRows, wrapText } from '../io/text-wrap.js';
import type { GradedDecision, Verdict } from './grading.js';
import { POINT_WORDS, RATING_WORDS, VERDICT_WORDS } from './plain-words.js';

/** What the trainee decided, in the analyst's words; a refused decision says so. */
const yoursText = (x: GradedDecision) => x.words.yours;
const expectedText = (x: GradedDecision) => x.words.expected;
const pointText = (x: GradedDecision) => `${POINT_WORDS[x.point]}${x.occurrence > 1 ? ` (${x.occurrence})` : ''}`;
/** Deadlines, refused attempts, hints and undos in one line each, after the decisions. */
function practiceLines(d: Debrief): string[] {
  const lines: string[] = [];
  const timed = d.decisions.filter((x) => x.timing !== undefined);
  for (const x of timed) {
    const used = spanWords(x.timing?.usedMs ?? 0);
    lines.push(`${pointText(x)}: ${x.late === undefined ? 'on time' : `late by ${spanWords(x.late.byMs)}`}, decided after ${used} (due ${x.timing?.deadline ?? ''})`);
  }
  const refused = d.decisions.filter((x) => (x.refusedAttempts?.length ?? 0) > 0 || x.refused !== undefined);
  if (d.refusedAttempts > 0) lines.push(`refused attempts: ${d.refusedAttempts}${refused.length > 0 ? ` (at ${refused.map(pointText).join(', ')})` : ''}`);
  if (d.hintsUsed > 0) lines.push(`hints used: ${d.hintsUsed}${d.decisions.some((x) => x.hinted === true) ? ` (for ${d.decisions.filter((x) => x.hinted === true).map(pointText).join(', ')})` : ''}`);
  if (d.undos > 0) lines.push(`decisions taken back: ${d.undos}`);
  return lines;
}

const VERDICT_TEXT: Readonly<Record<Verdict, string>> = VERDICT_WORDS;
const RATING_TEXT = RATING_WORDS;

const tagText = (t: Tag) => `${t.caveat}${t.indicatorId === null ? '' : ` (${t.indicatorId})`}`;
const percent = (x: number) => `${Math.round(x * 100)}%`;

export function elapsedText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d > 0 ? `${d}d` : '', h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : ''].filter(Boolean);
  return parts.length === 0 ? '0m' : parts.join(' ');
}

export interface TextOptions {
  /** The terminal's columns: tables and lines wrap at word boundaries to fit (default: no wrapping). */
  width?: number;
}

export function renderDebriefText(d: Debrief, options: TextOptions = {}): string {
  const width = options.width ?? Number.POSITIVE_INFINITY;
  const pad = (rows: string[][]) => layoutRows(rows, width - 2);
  const lines = [
    `Debrief: ${d.exercise.title} (${d.exercise.id})`,
    `Outcome: ${d.outcome ?? 'not reached'} · simulated time ${elapsedText(d.clock.elapsedMs)} (${d.clock.start} → ${d.clock.end}) · overall ${percent(d.overall.score)}, ${RATING_TEXT[d.overall.rating]}`,
    '',
    'Decisions:',
    ...pad([
      ['#', 'decision', 'yours', 'expected', 'verdict'],
      ...d.decisions.map((x, i) => [String(i + 1), pointText(x), yoursText(x), expectedText(x), VERDICT_TEXT[x.verdict]]),
    ]).map((l) => `  ${l}`),
    '',
    'Why:',
    ...d.decisions.map((x, i) => `  ${i + 1}. ${x.why}`),
  ];
  const practice = practiceLines(d);
  if (practice.length > 0) lines.push('', 'Time and help:', ...practice.map((l) => `  ${l}`));
  if (d.caveatsMissed.length > 0 || d.caveatsExtra.length > 0) {
    lines.push('', 'Caveats:');
    if (d.caveatsMissed.length > 0) lines.push(`  missed: ${d.caveatsMissed.map(tagText).join(', ')}`);
    if (d.caveatsExtra.length > 0) lines.push(`  extra:  ${d.caveatsExtra.map(tagText).join(', ')}`);
  }
  lines.push('', 'Objectives:');
  lines.push(...pad([['objective', 'capability', 'score', 'rating'], ...d.objectives.map((o) => [o.objective, o.capability, o.decisions === 0 ? 'no decision' : percent(o.score), RATING_TEXT[o.rating]])]).map((l) => `  ${l}`));
  return `${wrapText(lines.join('\n'), width)}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderDebriefMarkdown(d: Debrief): string {
  const lines = [
    `# Debrief: ${d.exercise.title}`,
    '',
    `- Exercise: \`${d.exercise.id}\``,
    `- Outcome: **${d.outcome ?? 'not reached'}**`,
    `- Simulated time: ${elapsedText(d.clock.elapsedMs)} (${d.clock.start} → ${d.clock.end})`,
    `- Overall: ${percent(d.overall.score)}, **${d.overall.rating}** (${RATING_TEXT[d.overall.rating]})`,
    '',
    '## Decisions',
    '',
    '| # | decision | yours | expected | verdict | why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...d.decisions.map((x, i) => `| ${i + 1} | ${pointText(x)} | ${cell(yoursText(x))} | ${cell(expectedText(x))} | ${VERDICT_TEXT[x.verdict]} | ${cell(x.why)} |`),
    '',
    '## Objectives',
    '',
    '| objective | capability | score | rating |',
    '| --- | --- | --- | --- |',
    ...d.objectives.map((o) => `| ${o.objective} | ${o.capability} | ${o.decisions === 0 ? 'no decision' : percent(o.score)} | ${RATING_TEXT[o.rating]} |`),
  ];
  const practice = practiceLines(d);
  if (practice.length > 0) lines.push('', '## Time and help', '', ...practice.map((l) => `- ${l.charAt(0).toUpperCase()}${l.slice(1)}`));
  if (d.caveatsMissed.length > 0 || d.caveatsExtra.length > 0) {
    lines.push('', '## Caveats', '');
    if (d.caveatsMissed.length > 0) lines.push(`- Missed: ${d.caveatsMissed.map(tagText).join(', ')}`);
    if (d.caveatsExtra.length > 0) lines.push(`- Extra: ${d.caveatsExtra.map(tagText).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDebriefJson(d: Debrief): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
