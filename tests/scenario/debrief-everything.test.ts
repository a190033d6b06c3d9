// The debrief shows everything the trainee did (issue 14, item 5): each refused attempt, also one followed by
// an accepted decision, the hints, the trainee's reasons and the time each timed decision took against its
// deadline, in the terminal's text, the Markdown handout and the JSON the web reads.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { gradeSession } from '../../src/scenario/debrief.js';
import type { LoadedExercise } from '../../src/scenario/load.js';
import { renderDebriefMarkdown, renderDebriefText } from '../../src/scenario/report.js';
import { ExerciseRunner } from '../../src/scenario/runner.js';
import { expectedEvent as expectedOf, loadBundled } from './runner-helpers.js';

const engine = new Engine(bundledReference());

const expectedEvent = (runner: ExerciseRunner, loaded: LoadedExercise) => expectedOf(engine, runner, loaded);

describe('the debrief shows everything the trainee did', () => {
  const loaded = loadBundled('sextortion-p1-wichita');
  const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
  // A lowered priority without a reason is refused; 20 minutes later the trainee assigns P1.
  expect(runner.decide({ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }).ok).toBe(false);
  runner.wait({ ms: 20 * 60_000 });
  expect(runner.decide(expectedEvent(runner, loaded)).ok).toBe(true);
  // A hint at the geolocation step, then the expected decisions to the close.
  expect(runner.hintShown()).not.toBeNull();
  for (let event = expectedEvent(runner, loaded), n = 0; event !== null && n < 20; event = expectedEvent(runner, loaded), n += 1) {
    expect(runner.decide(event).ok).toBe(true);
  }
  const debrief = gradeSession(engine, loaded.exercise, runner.session.toRecord());
  const triage = debrief.decisions[0];

  it('keeps the refused attempt beside the accepted triage, in plain words, and counts it', () => {
    expect(debrief.refusedAttempts).toBe(1);
    expect(triage?.refusedAttempts).toHaveLength(1);
    expect(triage?.refusedAttempts?.[0]).toMatch(/^your decision \(priority P3, referral track\) was refused/);
    expect(triage?.refusedAttempts?.[0]).not.toMatch(/TRIAGE\.ASSIGN|triage\.|refused in/);
    expect(triage?.why).toContain('Refused first (one attempt): your decision (priority P3, referral track) was refused');
    expect(triage?.verdict).toBe('right');
  });

  it('shows the time the triage took against its one-hour deadline', () => {
    expect(triage?.timing).toEqual({ usedMs: 20 * 60_000, deadline: "within 1h of the tip's arrival" });
    expect(triage?.late).toBeUndefined();
  });

  it('marks the hinted decision, and caps it', () => {
    const geolocation = debrief.decisions.find((d) => d.point === 'geolocation');
    expect(geolocation?.hinted).toBe(true);
    expect(geolocation?.verdict).toBe('partly');
    expect(debrief.hintsUsed).toBe(1);
  });

  it('says it all in the text and the Markdown handout', () => {
    for (const text of [renderDebriefText(debrief), renderDebriefMarkdown(debrief)]) {
      expect(text).toMatch(/triage: on time, decided after 20 min \(due within 1h of the tip's arrival\)/i);
      expect(text).toMatch(/refused attempts: 1 \(at triage\)/i);
      expect(text).toMatch(/hints used: 1 \(for geolocation caveats\)/i);
    }
  });
});
