// The after-action report (issue 18, item 1): the model's counts and findings from a fixed class played by
// the exercise runner, the golden Markdown of that class, and the HTML that opens offline and prints cleanly.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAar, isPlanDate, type AarSession } from '../../src/scenario/aar.js';
import { renderAarHtml } from '../../src/scenario/aar-html.js';
import { renderAarMarkdown } from '../../src/scenario/aar-markdown.js';
import { engine } from '../engine/helpers.js';
import { classSessions, play } from './aar-sessions.js';

const registry = engine.reference.jurisdictions;
const sessions = classSessions();
const model = buildAar(sessions, { registry });
const objective = (exercise: string, id: string) => model.objectives.find((o) => o.exercise.id === exercise && o.id === id);
const GOLDEN = fileURLToPath(new URL('../golden/expected/aar-class.md', import.meta.url));

describe('the after-action report model', () => {
  it('covers every exercise, trainee and attempt, with the modes and simulated dates', () => {
    expect(model.overview.trainees).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(model.overview.attempts).toBe(5);
    expect(model.overview.modes).toEqual([
      { mode: 'assessment', attempts: 3 },
      { mode: 'practice', attempts: 2 },
    ]);
    expect(model.overview.exercises.map((e) => [e.id, e.attempts, e.trainees])).toEqual([
      ['mobile-cgnat-no-port', 1, 1],
      ['sextortion-p1-wichita', 2, 2],
      ['webmail-houston', 2, 2],
    ]);
    // The one on-screen form of a simulated time (the web's time-text.ts writes the same).
    expect(model.overview.from).toBe('1 Jun 2019, 10:00 UTC');
    expect(model.overview.to).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/);
  });

  it('counts the P/S/M/U distribution per objective as the grader rated each attempt', () => {
    expect(objective('webmail-houston', 'referral')?.counts).toEqual({ P: 1, S: 0, M: 1, U: 0 });
    expect(objective('webmail-houston', 'triage')?.counts).toEqual({ P: 2, S: 0, M: 0, U: 0 });
    expect(objective('sextortion-p1-wichita', 'triage')?.counts).toEqual({ P: 1, S: 0, M: 1, U: 0 });
    expect(objective('mobile-cgnat-no-port', 'geolocation')?.counts).toEqual({ P: 0, S: 0, M: 1, U: 0 });
    // alice right (1), bob the wrong unit (partly, ½): a mean of ¾; erin one wrong and one right caveat decision.
    expect(objective('webmail-houston', 'referral')?.meanScore).toBe(0.75);
    expect(objective('mobile-cgnat-no-port', 'geolocation')?.meanScore).toBe(0.5);
    // Each count is one session's rating of that objective, the same as its debrief's.
    for (const o of model.objectives) {
      const rated = sessions.filter((s) => s.exercise.id === o.exercise.id).map((s) => s.debrief?.objectives.find((x) => x.objective === o.id)?.rating);
      for (const r of ['P', 'S', 'M', 'U'] as const) expect(o.counts[r], `${o.exercise.id}/${o.id} ${r}`).toBe(rated.filter((x) => x === r).length);
    }
  });

  it('names the decisions and trainees behind each rating', () => {
    const referral = objective('webmail-houston', 'referral');
    expect(referral?.evidence).toEqual([
      { trainee: 'alice', session: 'webmail-houston-alice', mode: 'assessment', rating: 'P', decisions: ['route: refer to US-TX-ICAC-HOU (right)'] },
      { trainee: 'bob', session: 'webmail-houston-bob', mode: 'practice', rating: 'M', decisions: ['route: refer to US-TX-ICAC (partly right, hinted)'] },
    ]);
  });

  it('finds the late decision against the objective’s named deadline', () => {
    const late = model.areas.filter((a) => a.kind === 'late');
    expect(late).toHaveLength(1);
    expect(late[0]?.text).toBe('Triage decided late against the deadline "within 1h of the tip\'s arrival" (Sextortion of a child, against the one-hour triage clock): 1 decision (1 trainee), by up to 1 h.');
    expect(late[0]?.evidence).toEqual(['carol (sextortion-p1-wichita-carol): late by 1 h']);
    expect(objective('sextortion-p1-wichita', 'triage')?.deadline).toBe("within 1h of the tip's arrival");
  });

  it('lists the most-missed caveats first, counted over the decisions where each applied', () => {
    // Two more trainees miss caveats of the CGNAT exercise: one tags only MOBILE_IMPRECISE and REGION_ONLY.
    const ip = 'subjects[0].ipEvents[0]';
    const more = [
      play('mobile-cgnat-no-port', 'frank', 'practice', [{ point: 'geolocation', events: [{ type: 'GEO.TAG', indicatorId: ip, caveat: 'MOBILE_IMPRECISE' }, { type: 'GEO.TAG', indicatorId: ip, caveat: 'REGION_ONLY' }, { type: 'GEO.CONFIRM' }] }]),
      play('mobile-cgnat-no-port', 'gina', 'practice', [{ point: 'geolocation', events: [{ type: 'GEO.TAG', indicatorId: ip, caveat: 'MOBILE_IMPRECISE' }, { type: 'GEO.TAG', indicatorId: ip, caveat: 'REGION_ONLY' }, { type: 'GEO.CONFIRM' }] }]),
    ];
    const caveats = buildAar([...sessions, ...more], { registry }).areas.filter((a) => a.kind === 'caveat');
    expect(caveats.map((a) => [a.text.replace(/ \(.*$/, ''), a.count])).toEqual([
      ['Missed caveat CGNAT_NO_PORT', 3],
      ['Missed caveat MOBILE_IMPRECISE', 1],
      ['Missed caveat REGION_ONLY', 1],
    ]);
    expect(caveats[0]?.text).toContain('3 of 6 decisions where it applied (3 trainees)');
  });

  it('sorts wrong referrals by kind: the wrong unit, another state', () => {
    const kansas = play('webmail-houston', 'hal', 'practice', [{ point: 'route', events: [{ type: 'ROUTE.REFER', jurisdictionId: 'US-KS-ICAC' }] }]);
    const referrals = buildAar([...sessions, kansas], { registry }).areas.filter((a) => a.kind === 'referral');
    expect(referrals.map((a) => a.text).sort()).toEqual([
      'Wrong route or referral: a referral to another state: 1 decision (1 trainee).',
      'Wrong route or referral: a referral to the wrong unit of the right state: 1 decision (1 trainee).',
    ]);
  });

  it('reports hints relied on and decisions taken back', () => {
    expect(model.areas.filter((a) => a.kind === 'hint').map((a) => a.evidence)).toEqual([['bob (webmail-houston-bob): route: refer to US-TX-ICAC (partly right, hinted)']]);
    expect(model.areas.filter((a) => a.kind === 'undo').map((a) => a.text)).toEqual(['Decisions on triage taken back and made again: 1 decision (1 trainee).']);
  });

  it('drafts the improvement plan from the areas, after the instructor’s stored rows and without repeating them', () => {
    expect(model.plan.every((r) => r.suggested && r.owner === '' && r.due === '')).toBe(true);
    expect(model.plan.map((r) => r.action)).toEqual(model.areas.slice(0, 8).map((a) => a.action));
    const stored = { id: 'row-1', action: model.areas[0]?.action ?? '', capability: 'geolocation', owner: 'Training unit', due: '2027-01-15' };
    const planned = buildAar(sessions, { registry, plan: [stored] }).plan;
    expect(planned[0]).toEqual({ ...stored, suggested: false });
    expect(planned.filter((r) => r.action === stored.action)).toHaveLength(1);
  });

  it('is the same report whatever order the sessions come in', () => {
    const reversed = renderAarMarkdown(buildAar([...sessions].reverse(), { registry }));
    expect(reversed).toBe(renderAarMarkdown(model));
    expect(renderAarHtml(buildAar([...sessions].reverse(), { registry }))).toBe(renderAarHtml(model));
  });

  it('counts the ratings of a results export, which has no decisions, and lends it the exercise’s title', () => {
    const row: AarSession = { id: 's-9', trainee: 'ivan', mode: 'assessment', exercise: { id: 'webmail-houston', title: 'webmail-houston' }, debrief: null, ratings: { triage: 'P', geolocation: 'S', referral: 'U' }, overall: 'M' };
    const m = buildAar([...sessions, row], { registry });
    expect(m.objectives.find((o) => o.exercise.id === 'webmail-houston' && o.id === 'referral')?.counts).toEqual({ P: 1, S: 0, M: 1, U: 1 });
    expect(m.overview.exercises.find((e) => e.id === 'webmail-houston')?.title).toBe('Webmail report to the Houston task force');
    expect(m.overview.ratingsOnly).toBe(1);
    // The mean score is over the attempts whose decisions are known.
    expect(m.objectives.find((o) => o.exercise.id === 'webmail-houston' && o.id === 'referral')?.meanScore).toBe(0.75);
  });

  it('accepts only real calendar dates as due dates', () => {
    expect(['2027-01-31', '2028-02-29', '2000-02-29'].map(isPlanDate)).toEqual([true, true, true]);
    expect(['2027-02-29', '1900-02-29', '2027-13-01', '2027-04-31', '27-01-01', '2027-1-1', ''].map(isPlanDate)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('the after-action report as Markdown', () => {
  it('matches the golden report of the fixed class (tests/golden/expected/aar-class.md)', () => {
    expect(renderAarMarkdown(model)).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('speaks the analyst’s language: no event types, state paths or raw outcome codes', () => {
    const text = renderAarMarkdown(model);
    expect(text).not.toMatch(/TRIAGE\.ASSIGN|GEO\.(TAG|CONFIRM)|ROUTE\.(REFER|INFORMATIONAL)|referral\.selecting|legalProcess|closed\.referred/);
  });
});

describe('the after-action report as HTML', () => {
  const html = renderAarHtml(model);

  it('opens offline: no URL of any kind, no script, nothing loaded from elsewhere', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toContain('//');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*"(?!data:)/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('prints cleanly: print rules, a page per section, rows that do not split, page margins', () => {
    expect(html).toContain('@media print');
    expect(html).toMatch(/section\{break-before:page\}/);
    expect(html).toMatch(/tr,li,svg\{break-inside:avoid\}/);
    expect(html).toMatch(/thead\{display:table-header-group\}/);
    expect(html).toMatch(/@page\{size:auto;margin:18mm 16mm\}/);
    expect(html).not.toMatch(/<nav/);
  });

  it('is accessible by construction: a language, headings in order, table headers, charts with a title and description', () => {
    expect(html).toMatch(/<html lang="en">/);
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i += 1) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
    expect(html.match(/<table>/g)?.length).toBe(html.match(/<thead><tr><th scope="col">/g)?.length);
    const charts = [...html.matchAll(/<svg [^>]*role="img"[^>]*><title>[^<]+<\/title><desc>[^<]+<\/desc>/g)];
    expect(charts.length).toBe(2);
  });
});
