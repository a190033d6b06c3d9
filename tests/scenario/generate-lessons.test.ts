// The generator teaches its lesson (issue 15, item 3): over many seeds and every lesson (each caveat code,
// channel and outcome), the lesson decides an expected action, the tips of one seed differ by lesson, every
// exercise validates strictly with an expected action and a hint for every decision its run meets, and the
// tips read like real reports (sizes, ports, accounts, a carrier's subscriber in the carrier's country).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAVEAT_EFFECTS, isCaveatCode } from '../../src/domain/caveats/codes.js';
import { CHANNELS } from '../../src/domain/reference/jurisdictions.js';
import type { Tip } from '../../src/domain/tip/schema.js';
import { Engine, routeResultOf, runAutoDriver } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import type { Exercise } from '../../src/scenario/format.js';
import { ALL_LESSONS, exerciseToYaml, generateExercise, lessonDecides } from '../../src/scenario/generate.js';
import { FITTING_ANNOTATIONS } from '../../src/scenario/lesson-tips.js';
import { driveExercise } from '../../src/scenario/drive.js';
import { eventForExpectedAction, validateExerciseText } from '../../src/scenario/validate.js';

const engine = new Engine(bundledReference());
const tipOf = (exercise: Exercise) => exercise.tip as Tip;
const indicators = (tip: Tip) => (tip.subjects ?? []).flatMap((s) => [...(s.ipEvents ?? []), ...(s.estimatedLocation === undefined ? [] : [s.estimatedLocation])]).length + (tip.p2p ?? []).length;

/** The independent reading of "the lesson decides an expected action", from the exercise alone. */
function lessonInExpectedActions(lesson: string, exercise: Exercise, outcome: string | null): boolean {
  if (isCaveatCode(lesson)) {
    return exercise.expectedActions.some((a) => a.point === 'geolocation' && a.caveats.some((t) => t.caveat === lesson));
  }
  if ((CHANNELS as readonly string[]).includes(lesson)) {
    return exercise.expectedActions.some((a) => a.point === 'route' && a.route === 'refer' && engine.reference.jurisdictions.jurisdictionById(a.jurisdictionId ?? '')?.channel === lesson);
  }
  // Legal process is the route taken (the subscriber return then lets the tip be referred); the others are outcomes.
  if (lesson === 'legal-process') return exercise.expectedActions.some((a) => a.point === 'route' && a.route === 'legal-process');
  return outcome === lesson;
}

describe('generate teaches its lesson', () => {
  it('lists every caveat code, channel and outcome as a lesson', () => {
    expect(ALL_LESSONS).toEqual(expect.arrayContaining([...Object.keys(CAVEAT_EFFECTS), ...CHANNELS, 'informational', 'legal-process', 'referred']));
  });

  it.each(ALL_LESSONS)('%s: decides an expected action, validates strictly, and every decision has an expected action and a hint', (lesson) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const exercise = generateExercise(engine, seed, lesson);
        const report = validateExerciseText(engine, exerciseToYaml(exercise), `${lesson}-${seed}.yaml`);
        expect(report.diagnostics).toEqual([]);
        expect(lessonInExpectedActions(lesson, exercise, report.outcome)).toBe(true);
        // The rule book's own run of the tip: the lesson decides it (on the deciding indicator, the route, the outcome).
        const session = engine.start(tipOf(exercise));
        runAutoDriver(engine, session);
        expect(lessonDecides(lesson, routeResultOf(session), session.context.assessment)).toBe(true);
        // Drive the exercise on its own expected actions: every decision the run meets has one.
        const met: string[] = [];
        const missing: string[] = [];
        const run = driveExercise(engine, exercise, tipOf(exercise), ({ point, occurrence, context }) => {
          met.push(`${point}#${occurrence}`);
          const expected = exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
          if (expected === undefined) missing.push(`${point}#${occurrence}`);
          return expected === undefined ? null : eventForExpectedAction(expected, context, engine);
        });
        expect(run.problem).toBeNull();
        expect(met.length).toBeGreaterThanOrEqual(3);
        expect(missing).toEqual([]);
        for (const action of exercise.expectedActions) expect(action.hint?.length ?? 0).toBeGreaterThan(10);
      }),
      { numRuns: 6, seed: 20261203 },
    );
  });

  it('gives each lesson of one seed its own tip', () => {
    for (const seed of [0, 1, 2, 3, 4, 17, 4242]) {
      const tips = ALL_LESSONS.map((lesson) => JSON.stringify(generateExercise(engine, seed, lesson).tip));
      expect(new Set(tips).size).toBe(ALL_LESSONS.length);
    }
  });

  it('draws tips that read like reports: 1-3 subjects, 1-4 indicators, fitting annotations, ephemeral ports, accounts, public reports without a provider', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(...ALL_LESSONS), (seed, lesson) => {
        const tip = tipOf(generateExercise(engine, seed, lesson));
        const subjects = tip.subjects ?? [];
        expect(subjects.length).toBeGreaterThanOrEqual(1);
        expect(subjects.length).toBeLessThanOrEqual(3);
        expect(indicators(tip)).toBeGreaterThanOrEqual(1);
        expect(indicators(tip)).toBeLessThanOrEqual(4);
        if (tip.source === 'public') expect(tip.reporter?.espName).toBeUndefined();
        for (const annotation of tip.incident.annotations ?? []) expect(FITTING_ANNOTATIONS[annotation] ?? []).toContain(tip.incident.type);
        for (const subject of subjects) {
          for (const event of subject.ipEvents ?? []) if (event.port !== undefined) expect(event.port).toBeGreaterThanOrEqual(49152);
          if (subject.email !== undefined) expect(subject.email).toMatch(/^[a-z]+(\.[a-z]+\.\d{4}|\d{4})@(mail\.)?example\.(com|org|net)$/);
          if (subject.screenName !== undefined) expect(subject.screenName).toMatch(/^[a-z]+_\d{4}$/);
        }
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it("places a returned subscriber in the carrier's country", () => {
    let returns = 0;
    for (let seed = 0; seed < 40; seed += 1) {
      const exercise = generateExercise(engine, seed, 'legal-process');
      const tip = tipOf(exercise);
      for (const inject of exercise.injects ?? []) {
        if (inject.kind !== 'subscriber-returned') continue;
        returns += 1;
        const event = (tip.subjects ?? []).flatMap((s, i) => (s.ipEvents ?? []).map((e, j) => ({ id: `subjects[${i}].ipEvents[${j}]`, ip: e.ip }))).find((e) => e.id === inject.indicatorId);
        expect(event).toBeDefined();
        expect(inject.location.countryCode).toBe(engine.reference.geo.lookup(event?.ip ?? '')?.country);
      }
    }
    expect(returns).toBeGreaterThan(30);
  });
});
