// Invariant 11, the grader's half (DESIGN §12, issue 15): a trainee who sends the answer key's decision at
// every decision point is graded "right" on every decision and P on every objective, whatever the tip, the
// start time and what the agencies and carriers answer (declines, acknowledgements, subscriber returns).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import type { Tip } from '../../src/domain/tip/schema.js';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { arbRoutableTip, DAY_MS } from '../../src/scenario/arbitraries.js';
import { gradeSession } from '../../src/scenario/debrief.js';
import { driveExercise } from '../../src/scenario/drive.js';
import { EXERCISE_FORMAT, type Exercise, type Inject } from '../../src/scenario/format.js';
import { generateExercise } from '../../src/scenario/generate.js';

const engine = new Engine(bundledReference());

/** What the outside world answers: the first referral declined or acknowledged, a subscriber return or none. */
const arbWorld = fc.record({ decline: fc.boolean(), subscriber: fc.boolean(), startOffsetMs: fc.option(fc.integer({ min: 0, max: 60 * DAY_MS }), { nil: undefined }) });

function exerciseFor(tip: Tip, world: { decline: boolean; subscriber: boolean; startOffsetMs: number | undefined }): Exercise {
  const indicator = tip.subjects?.flatMap((s, i) => (s.ipEvents ?? []).map((_, j) => `subjects[${i}].ipEvents[${j}]`))[0];
  const injects: Inject[] = [
    ...(world.decline ? [{ id: 'decline', kind: 'agency-decline' as const, reason: 'not-our-jurisdiction' as const, message: 'The agency declines.', when: { state: 'referral.awaitingAcknowledgement' as const } }] : []),
    { id: 'ack', kind: 'agency-acknowledge', message: 'The agency acknowledges.', when: { state: 'referral.awaitingAcknowledgement', occurrence: world.decline ? 2 : 1 } },
    ...(world.subscriber && indicator !== undefined
      ? [{ id: 'subscriber', kind: 'subscriber-returned' as const, indicatorId: indicator, location: { countryCode: 'US', region: 'TX', city: 'Dallas' }, message: 'The carrier returns the subscriber.', when: { state: 'legalProcess.preserved' as const } }]
      : []),
  ];
  return {
    format: EXERCISE_FORMAT,
    id: 'grader-property',
    title: 'Grader property',
    summary: 'A generated tip graded against the rule book.',
    lesson: 'referred',
    audience: ['tests'],
    duration: '15m',
    objectives: [
      { id: 'triage', capability: 'triage', description: 'Triage.', within: '30d' },
      { id: 'geolocation', capability: 'geolocation', description: 'Geolocation.' },
      { id: 'referral', capability: 'referral', description: 'Referral.' },
      { id: 'legal-process', capability: 'legalProcess', description: 'Legal process.' },
    ],
    tip: tip as unknown as Record<string, unknown>,
    ...(world.startOffsetMs === undefined ? {} : { clock: { start: new Date(Date.parse(tip.receivedAt) + world.startOffsetMs).toISOString() } }),
    injects,
    // Every decision point without an expected action is graded against the answer key.
    expectedActions: [{ id: 'placeholder', point: 'route', occurrence: 20, objective: 'referral', route: 'informational' }],
  };
}

describe("invariant 11 (grader half): the answer key's decisions grade all right", () => {
  test.prop([arbRoutableTip, arbWorld], { numRuns: 120 })('every decision right, every objective reached rated P', (tip, world) => {
    const exercise = exerciseFor(tip, world);
    const run = driveExercise(engine, exercise, tip, ({ point, context }) => answerKeyDecision(point, context, engine.reference), { onRefusal: 'answer-key' });
    expect(run.refusals).toEqual([]);
    const debrief = gradeSession(engine, exercise, run.session.toRecord(), run.refusals);
    expect(debrief.decisions.length).toBeGreaterThan(0);
    for (const d of debrief.decisions) expect({ point: d.point, occurrence: d.occurrence, verdict: d.verdict, why: d.why }).toEqual({ point: d.point, occurrence: d.occurrence, verdict: 'right', why: d.why });
    for (const o of debrief.objectives) if (o.decisions > 0) expect(o.rating).toBe('P');
  });

  test.prop([fc.integer({ min: 1, max: 10_000 })], { numRuns: 25 })("a generated exercise played with its expected actions is all right, rated P", (seed) => {
    const exercise = generateExercise(engine, seed);
    const tip = exercise.tip as unknown as Tip;
    const run = driveExercise(engine, exercise, tip, ({ point, context }) => answerKeyDecision(point, context, engine.reference), { onRefusal: 'answer-key' });
    expect(run.problem).toBeNull();
    const debrief = gradeSession(engine, exercise, run.session.toRecord(), run.refusals);
    expect(debrief.decisions.length).toBeGreaterThan(0);
    for (const d of debrief.decisions) expect([d.point, d.occurrence, d.verdict, d.why]).toEqual([d.point, d.occurrence, 'right', d.why]);
    expect(debrief.overall.rating).toBe('P');
  });
});
