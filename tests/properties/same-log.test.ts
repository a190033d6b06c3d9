// Invariant 13 (DESIGN §12): the same exercise with the same trainee actions, waits included, gives the same
// log from the terminal player (in process), the headless run and the classroom server's API. The trainee's
// script is an answer per decision point, each possibly taken after a wait of random length; every host
// follows it with its own adapter over the one exercise runner.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaySession } from '../../src/cli/play/play-session.js';
import type { RoutingEvent } from '../../src/domain/events.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { Engine, isMachineRecord, SESSION_FORMAT, type AuditRecord } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { fixturePath } from '../../src/io/project-files.js';
import { answersDecider, type Answer } from '../../src/scenario/answers.js';
import { driveExercise, type Decider } from '../../src/scenario/drive.js';
import type { Exercise } from '../../src/scenario/format.js';
import { exerciseToYaml, generateExercise } from '../../src/scenario/generate.js';
import { loadExerciseText, type LoadedExercise } from '../../src/scenario/load.js';
import { ExerciseRunner } from '../../src/scenario/runner.js';
import { addInstructor, call, createCohort, join as joinCohort, login, startTestServer, type TestServer } from '../server/helpers.js';

const engine = new Engine(bundledReference());
const HOUR = 60 * 60 * 1000;
const BUNDLED = ['mobile-cgnat-no-port', 'decline-hosting-then-wichita', 'sextortion-p1-wichita', 'webmail-houston', 'p2p-vpn-all-networks'];

interface Case {
  id: string;
  loaded: LoadedExercise;
  text: string;
}

function loadText(text: string, file: string): LoadedExercise {
  const { loaded, diagnostics } = loadExerciseText(text, file);
  if (loaded === null) throw new Error(`${file} does not load: ${diagnostics[0]?.message ?? ''}`);
  return loaded;
}

const cases: Case[] = BUNDLED.map((id) => {
  const file = join(fixturePath('scenarios'), `${id}.yaml`);
  const text = readFileSync(file, 'utf8');
  return { id, loaded: loadText(text, file), text };
});
// Generated exercises too (uploaded to the server below).
const generated: Case[] = [3, 11].map((seed) => {
  const exercise: Exercise = generateExercise(engine, seed);
  const text = exerciseToYaml(exercise);
  return { id: exercise.id, loaded: loadText(text, `${exercise.id}.yaml`), text };
});

/** The answers a trainee gives: the exercise's expected path, each decision maybe taken after a wait. */
function answersOf(c: Case, waits: readonly (number | null)[]): Answer[] {
  const collected: Answer[] = [];
  const run = driveExercise(engine, c.loaded.exercise, c.loaded.tip, ({ point, occurrence }) => {
    const action = c.loaded.exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
    if (action === undefined || collected.some((a) => a.point === point && a.occurrence === occurrence)) return null;
    const { id: _id, objective: _objective, hint: _hint, override: _override, ...answer } = action;
    collected.push({ ...answer, occurrence } as Answer);
    return null;
  });
  expect(run.problem).toBeNull();
  return collected.map((a, i) => {
    const wait = waits[i % Math.max(1, waits.length)] ?? null;
    return wait === null ? a : { ...a, after: `+${Math.round(wait / 60_000)}m` };
  });
}

/** The trainee's script as one decider every host follows: the answers, else the rule book's decision. */
function scriptDecider(answers: readonly Answer[]): Decider {
  const fromAnswers = answersDecider(engine, answers);
  return (request) => fromAnswers(request) ?? answerKeyDecision(request.point, request.context, engine.reference);
}

/** What the hosts must agree on: every record, but the id a host gives a trainee's decision (the API's caller chooses it). */
const comparable = (log: readonly AuditRecord[]) => log.map((r) => ({ ...r, eventId: r.actor === 'trainee' && isMachineRecord(r) ? 'decision' : r.eventId }));

function headless(c: Case, answers: readonly Answer[]): AuditRecord[] {
  return driveExercise(engine, c.loaded.exercise, c.loaded.tip, scriptDecider(answers), { onRefusal: 'answer-key', actor: 'trainee' }).session.log;
}

function terminal(c: Case, answers: readonly Answer[]): AuditRecord[] {
  const play = PlaySession.start(engine, c.loaded, { file: `${c.id}.yaml`, text: c.text }, 'practice');
  const decide = scriptDecider(answers);
  for (let step = 0; step < 300 && !play.session.closed; step += 1) {
    const at = play.decisionPoint();
    if (at === null) {
      if (play.nextScheduledMs() === null) break;
      play.waitForNext();
      continue;
    }
    const next = decide({ ...at, context: play.session.context });
    if (next === null) throw new Error('the script always answers');
    if ('wait' in next) play.wait(play.session.clock.now + next.wait);
    else if (!play.decide(next).ok) throw new Error(`${next.type} refused in the terminal`);
  }
  return play.session.log;
}

let t: TestServer;
let trainee: string;

async function server(c: Case, answers: readonly Answer[]): Promise<AuditRecord[]> {
  const started = await call(t, 'POST', '/api/sessions', { token: trainee, body: { exerciseId: c.loaded.exercise.id, mode: 'practice' } });
  expect(started.status, started.text).toBe(201);
  const id = (started.body.view as { id: string }).id;
  const decide = scriptDecider(answers);
  const logOf = async (): Promise<AuditRecord[]> => (await t.events.readLog(id)) ?? [];
  for (let step = 0; step < 300; step += 1) {
    // The test reads where the tip is off the server's own log (the view shows no answer key's context).
    const stored = await t.events.getSession(id);
    if (stored === null) throw new Error('session vanished');
    const shadow = ExerciseRunner.resume(engine, c.loaded.exercise, { format: SESSION_FORMAT, id, input: stored.input, now: stored.clockAt ?? (await logOf()).at(-1)?.at ?? stored.input.routingTime, log: await logOf() });
    if (shadow.session.closed) break;
    const at = shadow.pendingDecision();
    const lastSeq = (await logOf()).length - 1;
    if (at === null) {
      if (shadow.nextScheduledMs() === null) break;
      const waited = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: trainee, body: { until: 'next', expectedSeq: lastSeq } });
      expect(waited.status, waited.text).toBe(200);
      continue;
    }
    const next = decide({ ...at, context: shadow.session.context });
    if (next === null) throw new Error('the script always answers');
    const reply =
      'wait' in next
        ? await call(t, 'POST', `/api/sessions/${id}/advance`, { token: trainee, body: { ms: next.wait, expectedSeq: lastSeq } })
        : await call(t, 'POST', `/api/sessions/${id}/events`, { token: trainee, body: { event: next satisfies RoutingEvent, eventId: `s${step}`, expectedSeq: lastSeq } });
    expect(reply.status, reply.text).toBe(200);
  }
  return await logOf();
}

beforeAll(async () => {
  t = await startTestServer();
  await addInstructor(t, 'teacher');
  const teacher = await login(t, 'teacher');
  for (const g of generated) {
    const uploaded = await call(t, 'POST', '/api/exercises', { token: teacher, body: { fileName: `${g.id}.yaml`, text: g.text } });
    expect(uploaded.status, uploaded.text).toBe(201);
  }
  const cohort = await createCohort(t, teacher);
  trainee = await joinCohort(t, cohort.joinCode, 'trainee1');
});
afterAll(() => t.close());

describe('invariant 13: same exercise, same trainee actions, same log in every host', () => {
  it('the terminal player, the headless run and the server API give identical logs (records, times, inbox)', async () => {
    const all = [...cases, ...generated];
    let withWaits = 0;
    const wait = fc.option(fc.integer({ min: 1, max: 15 * 24 }).map((h) => h * HOUR), { nil: null, freq: 2 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: all.length - 1 }), fc.array(wait, { minLength: 1, maxLength: 4 }), async (pick, waits) => {
        const c = all[pick];
        if (c === undefined) throw new Error('no case');
        const answers = answersOf(c, waits);
        const run = comparable(headless(c, answers));
        if (run.some((r) => r.event.type === 'CLOCK.ADVANCE' && typeof r.event.ms === 'number')) withWaits += 1;
        expect(comparable(terminal(c, answers))).toEqual(run);
        expect(comparable(await server(c, answers))).toEqual(run);
      }),
      { numRuns: 25 },
    );
    // The scripts did take their time somewhere (a wait of their own, not only waits for the next thing).
    expect(withWaits).toBeGreaterThan(0);
  });
});
