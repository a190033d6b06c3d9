// Golden debriefs, one per mistake kind (issue 15, item 1): a bundled exercise played with one mistake, and
// the exact verdict, score, rating and why the debrief gives it. An instructor reads these and should agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { RoutingEvent } from '../../src/domain/events.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { decisionPointOf, Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { answersDecider, type Answer } from '../../src/scenario/answers.js';
import { gradeSession, type Debrief, type GradeOptions } from '../../src/scenario/debrief.js';
import { driveExercise, startTimeOf } from '../../src/scenario/drive.js';
import { loadExerciseText, type LoadedExercise } from '../../src/scenario/load.js';
import { renderDebriefMarkdown, renderDebriefText } from '../../src/scenario/report.js';
import { validateExerciseText } from '../../src/scenario/validate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const engine = new Engine(bundledReference());

function load(file: string, edit?: (doc: Record<string, unknown>) => void): LoadedExercise {
  const path = join(ROOT, 'fixtures/scenarios', file);
  let text = readFileSync(path, 'utf8');
  if (edit !== undefined) {
    const doc = parseYaml(text) as Record<string, unknown>;
    edit(doc);
    text = stringifyYaml(doc);
  }
  const { loaded, diagnostics } = loadExerciseText(text, path);
  if (loaded === null) throw new Error(`${file}: ${JSON.stringify(diagnostics)}`);
  return loaded;
}

function play(file: string, answers: Answer[], options: GradeOptions = {}, edit?: (doc: Record<string, unknown>) => void): Debrief {
  const loaded = load(file, edit);
  const run = driveExercise(engine, loaded.exercise, loaded.tip, answersDecider(engine, answers), { onRefusal: 'answer-key' });
  expect(run.problem).toBeNull();
  return gradeSession(engine, loaded.exercise, run.session.toRecord(), run.refusals, options);
}

/** The one decision that differs, with the overall score and rating. */
const golden = (d: Debrief, index: number) => {
  const x = d.decisions[index];
  return { verdict: x?.verdict, why: x?.why, yours: x?.words.yours, score: Math.round(d.overall.score * 1000) / 1000, rating: d.overall.rating };
};

const P3: Answer = { point: 'triage', priority: 'P3', track: 'referral' };
const P1: Answer = { point: 'triage', priority: 'P1', track: 'referral' };
const NO_CAVEATS: Answer = { point: 'geolocation', caveats: [] };
const refer = (jurisdictionId: string): Answer => ({ point: 'route', route: 'refer', jurisdictionId });
const HOUSTON = 'webmail-houston.yaml';
const WICHITA = 'sextortion-p1-wichita.yaml';

describe('golden debriefs: one mistake each', () => {
  it('wrong country (the Houston tip to INTERPOL-BR): wrong, 67%, M, and the why names the country and the primary location', () => {
    expect(golden(play(HOUSTON, [P3, NO_CAVEATS, refer('INTERPOL-BR')]), 2)).toEqual({
      verdict: 'wrong',
      why: 'INTERPOL-BR serves another country (BR); the primary location is Houston, TX, US, so the tip goes to US-TX-ICAC-HOU (US)',
      yours: 'refer to INTERPOL-BR',
      score: 0.667,
      rating: 'M',
    });
  });

  it('wrong state (the Houston tip to Pennsylvania’s task force): wrong, not partly', () => {
    expect(golden(play(HOUSTON, [P3, NO_CAVEATS, refer('US-PA-ICAC')]), 2)).toMatchObject({
      verdict: 'wrong',
      why: 'US-PA-ICAC serves another state (PA, US); the primary location is Houston, TX, US, so the tip goes to US-TX-ICAC-HOU (TX, US)',
    });
  });

  it('wrong channel (the Houston tip to the federal agency): wrong, 67%, M', () => {
    expect(golden(play(HOUSTON, [P3, NO_CAVEATS, refer('US-FED')]), 2)).toEqual({
      verdict: 'wrong',
      why: 'US-FED is another channel (US federal agency); the primary location is Houston, TX, US, so the tip goes to US-TX-ICAC-HOU (US state ICAC task force)',
      yours: 'refer to US-FED',
      score: 0.667,
      rating: 'M',
    });
  });

  it('wrong unit (the Texas task force instead of Houston’s): partly right, 83%, S', () => {
    expect(golden(play(HOUSTON, [P3, NO_CAVEATS, refer('US-TX-ICAC')]), 2)).toEqual({
      verdict: 'partly',
      why: "the right country and channel, the wrong unit: US-TX-ICAC is the state's task force, but Houston has its own, US-TX-ICAC-HOU (a listed city wins over its state's task force)",
      yours: 'refer to US-TX-ICAC',
      score: 0.833,
      rating: 'S',
    });
  });

  it('lowered exigent (the sextortion tip to P2, with a reason): wrong, 67%, M, with the rule and the trainee’s reason', () => {
    expect(golden(play(WICHITA, [{ ...P1, priority: 'P2', reason: 'The images look old to me' }, NO_CAVEATS, refer('US-KS-ICAC')]), 0)).toEqual({
      verdict: 'wrong',
      why: 'priority P2 on an exigent tip (the report is annotated sextortion): it is P1, and an exigent tip is never lowered. Your reason: The images look old to me',
      yours: 'P2, referral track',
      score: 0.667,
      rating: 'M',
    });
  });

  it('extra caveats (every expected one plus two): partly right, with what was extra and the share in common', () => {
    const houstonStale = (doc: Record<string, unknown>) => {
      // Routed a year after the report: the Houston upload is stale (one expected caveat).
      doc['clock'] = { start: '2020-07-01T10:00:00Z' };
      doc['expectedActions'] = (doc['expectedActions'] as Record<string, unknown>[]).map((a) =>
        a['point'] === 'geolocation' ? { ...a, caveats: [{ indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' }] } : a,
      );
    };
    const ip = 'subjects[0].ipEvents[0]';
    const caveats = [
      { indicatorId: ip, caveat: 'STALE_IP_EVENT' as const },
      { indicatorId: ip, caveat: 'REGION_ONLY' as const },
      { indicatorId: ip, caveat: 'MOBILE_IMPRECISE' as const },
    ];
    // The edited exercise agrees with the rule book (validate finds no error), so the expectation is the rule book's.
    const edited = parseYaml(readFileSync(join(ROOT, 'fixtures/scenarios', HOUSTON), 'utf8')) as Record<string, unknown>;
    houstonStale(edited);
    const report = validateExerciseText(engine, stringifyYaml(edited), join(ROOT, 'fixtures/scenarios', HOUSTON));
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const debrief = play(HOUSTON, [P3, { point: 'geolocation', caveats }, refer('US-TX-ICAC-HOU')], {}, houstonStale);
    expect(golden(debrief, 1)).toEqual({
      verdict: 'partly',
      why: `extra REGION_ONLY on ${ip}; MOBILE_IMPRECISE on ${ip} (they do not apply here). 1 of 1 expected caveat tagged, 2 extra: 50% in common, partly right from 50%`,
      yours: `STALE_IP_EVENT on ${ip}; REGION_ONLY on ${ip}; MOBILE_IMPRECISE on ${ip}`,
      score: 0.833,
      rating: 'S',
    });
    expect(debrief.caveatsExtra.map((t) => t.caveat)).toEqual(['REGION_ONLY', 'MOBILE_IMPRECISE']);
  });

  it('a hinted decision: at most partly right by default, and the debrief says a hint was used', () => {
    const debrief = play(HOUSTON, [P3, NO_CAVEATS, refer('US-TX-ICAC-HOU')], { hinted: [{ point: 'route', occurrence: 1 }] });
    expect(golden(debrief, 2)).toEqual({ verdict: 'partly', why: 'route as expected. A hint was used, so it counts at most partly right', yours: 'refer to US-TX-ICAC-HOU', score: 0.833, rating: 'S' });
    expect(debrief.decisions[2]?.hinted).toBe(true);
    expect(debrief.hintsUsed).toBe(1);
    expect(renderDebriefText(debrief)).toContain('hints used: 1 (for route)');
  });

  it("the rubric can make hints free (hinted: right) or make an undone decision cost (undone: partly)", () => {
    const free = (doc: Record<string, unknown>) => {
      doc['rubric'] = { ...(doc['rubric'] as object), hinted: 'right', undone: 'partly' };
    };
    const debrief = play(HOUSTON, [P3, NO_CAVEATS, refer('US-TX-ICAC-HOU')], { hinted: [{ point: 'route', occurrence: 1 }], undone: [{ point: 'triage', occurrence: 1 }] }, free);
    expect(debrief.decisions.map((d) => [d.verdict, d.why])).toEqual([
      ['partly', 'priority and track as expected. Made again after an undo, so it counts at most partly right'],
      ['right', 'every caveat tagged, none extra'],
      ['right', 'route as expected. A hint was used'],
    ]);
    expect(debrief.undos).toBe(1);
  });

  it('a refused decision is shown in the analyst’s words, never the machine’s', () => {
    const debrief = play(HOUSTON, [P3, NO_CAVEATS, { point: 'route', route: 'legal-process' }]);
    expect(golden(debrief, 2)).toMatchObject({
      verdict: 'wrong',
      why: 'your decision (legal process) was refused while choosing the route: legal process needs an indicator that is not anonymized and is attribution-blocked or without a geolocation match',
      yours: 'legal process (refused)',
    });
    for (const text of [renderDebriefText(debrief), renderDebriefMarkdown(debrief)]) expect(text).not.toMatch(/ROUTE\.|TRIAGE\.|GEO\.|referral\.selecting|jurisdictionId=/);
  });
});

describe('golden debriefs: deadlines (within:)', () => {
  /** Plays the exercise with the answer key's decisions, the first after waiting `waitMs` on the clock. */
  function playLate(loaded: LoadedExercise, waitMs: number): Debrief {
    const session = engine.start(loaded.tip, { at: startTimeOf(loaded.exercise, loaded.tip), sessionId: loaded.exercise.id });
    engine.advance(session, waitMs);
    for (let step = 0; step < 50 && !session.closed; step += 1) {
      const point = decisionPointOf(session);
      const event: RoutingEvent = point === null ? { type: 'AGENCY.ACKNOWLEDGE' } : answerKeyDecision(point, session.context, engine.reference);
      const result = engine.deliver(session, event, { actor: point === null ? 'instructor' : 'trainee' });
      if (!result.ok) throw new Error(result.refusal.message);
    }
    expect(session.closed).toBe(true);
    return gradeSession(engine, loaded.exercise, session.toRecord());
  }

  it('late triage (P1 assigned 74 minutes after arrival, objective within 1h): partly right, "late by 14 min", S', () => {
    const debrief = playLate(load(WICHITA), 74 * 60_000);
    expect(golden(debrief, 0)).toEqual({ verdict: 'partly', why: "priority and track as expected. Late by 14 min (due within 1h of the tip's arrival)", yours: 'P1, referral track', score: 0.833, rating: 'S' });
    expect(debrief.decisions[0]?.late).toEqual({ byMs: 14 * 60_000, deadline: "within 1h of the tip's arrival" });
    expect(debrief.objectives[0]).toMatchObject({ objective: 'triage', score: 0.5, rating: 'M' });
    expect(renderDebriefText(debrief)).toContain("triage: late by 14 min, decided after 1 h 14 min (due within 1h of the tip's arrival)");
  });

  it('triage inside the hour is right, and the debrief shows the time it took against the deadline', () => {
    const debrief = playLate(load(WICHITA), 59 * 60_000);
    expect(debrief.decisions[0]).toMatchObject({ verdict: 'right', why: 'priority and track as expected', timing: { usedMs: 59 * 60_000, deadline: "within 1h of the tip's arrival" } });
    expect(renderDebriefText(debrief)).toContain("triage: on time, decided after 59 min (due within 1h of the tip's arrival)");
  });

  it("an expected action's own deadline from the state's entry (route within 10m of reaching it)", () => {
    const loaded = load(HOUSTON, (doc) => {
      doc['expectedActions'] = (doc['expectedActions'] as Record<string, unknown>[]).map((a) => (a['point'] === 'triage' ? { ...a, within: { limit: '10m', from: 'state' } } : a));
    });
    // The triage state is entered at arrival, so waiting 25 minutes makes the triage 15 minutes late.
    const debrief = playLate(loaded, 25 * 60_000);
    expect(debrief.decisions[0]).toMatchObject({ verdict: 'partly', late: { byMs: 15 * 60_000, deadline: 'within 10m of reaching this decision' } });
    expect(debrief.decisions.slice(1).map((d) => d.verdict)).toEqual(['right', 'right']);
  });
});
