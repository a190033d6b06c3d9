// A step's answer with ?view=changes (src/server/view-changes.ts): over every bundled exercise's answer-key
// run, in practice and in an assessment, merging each step's changes into the view the page held gives
// exactly the whole view: the one GET answers, and the one a twin session stepped with whole views answers.
// Since every part of the changes is then the whole view's own value, the changes never show more than the
// whole view does (DESIGN §12, invariant 14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../src/api/contract.js';
import { loadServerExercises } from '../../src/server/exercises.js';
import { ExerciseRunner } from '../../src/scenario/runner.js';
import { engine } from '../engine/helpers.js';
import { expectedEvent } from '../scenario/runner-helpers.js';
import { call, startClassroom, startSession, type TestServer } from './helpers.js';

const exercises = loadServerExercises();
const MAX_STEPS = 60;

let t: TestServer;
let tokens: Record<'ana' | 'ben', string>;

beforeAll(async () => {
  const room = await startClassroom(['ana', 'ben'] as const);
  t = room.t;
  tokens = room.trainees;
});
afterAll(async () => {
  await t.close();
});

const withoutId = ({ id: _id, ...rest }: SessionView): Omit<SessionView, 'id'> => rest;

describe('POST /api/sessions/:id/events?view=changes', () => {
  for (const mode of ['practice', 'assessment'] as const) {
    for (const server of exercises) {
      const id = server.loaded.exercise.id;
      it(`${id} (${mode}): every step's changes merged into the page's view are the whole view`, async () => {
        // ana's session answers with changes, ben's twin with whole views; a runner alongside picks the decisions.
        let view = (await startSession(t, tokens.ana, id, mode)) as unknown as SessionView;
        let twin = (await startSession(t, tokens.ben, id, mode)) as unknown as SessionView;
        const mirror = ExerciseRunner.start(engine, server.loaded.exercise, server.loaded.tip, { sessionId: 'mirror' });
        let steps = 0;
        let changesBytes = 0;
        let wholeBytes = 0;
        while (!mirror.session.closed && steps < MAX_STEPS) {
          const key = expectedEvent(engine, mirror, server.loaded);
          // An assessment asks a reason of every priority below P1 (assessment-mode.ts).
          const event = key?.type === 'TRIAGE.ASSIGN' && key.priority !== 'P1' && key.reason === undefined ? { ...key, reason: 'read from the facts' } : key;
          if (event === null) {
            // Nothing to decide: wait for the next scheduled thing (an inject, a deadline), on all three.
            mirror.wait({ until: 'next' }, { actor: 'trainee', cause: 'wait' });
            const waited = await call(t, 'POST', `/api/sessions/${view.id}/advance`, { token: tokens.ana, body: { until: 'next', expectedSeq: view.lastSeq } });
            const twinWaited = await call(t, 'POST', `/api/sessions/${twin.id}/advance`, { token: tokens.ben, body: { until: 'next', expectedSeq: twin.lastSeq } });
            expect([waited.status, twinWaited.status]).toEqual([200, 200]);
            view = waited.body.view as SessionView;
            twin = twinWaited.body.view as SessionView;
          } else {
            steps += 1;
            const eventId = `step-${steps}`;
            mirror.decide(event, { eventId, actor: 'trainee' });
            const answer = await call(t, 'POST', `/api/sessions/${view.id}/events?view=changes`, { token: tokens.ana, body: { event, eventId, expectedSeq: view.lastSeq } });
            const whole = await call(t, 'POST', `/api/sessions/${twin.id}/events`, { token: tokens.ben, body: { event, eventId, expectedSeq: twin.lastSeq } });
            expect(answer.status, answer.text).toBe(200);
            expect(whole.status, whole.text).toBe(200);
            // One server, the view at expectedSeq shown by it: the answer is the changes, never the whole view.
            expect(answer.body).not.toHaveProperty('view');
            const changes = answer.body.changes as Partial<SessionView>;
            expect(answer.body.audit).toMatchObject({ eventId });
            view = { ...view, ...changes };
            twin = whole.body.view as SessionView;
            changesBytes += JSON.stringify(changes).length;
            wholeBytes += JSON.stringify(twin).length;
            expect(withoutId(view)).toEqual(withoutId(twin));
          }
          expect(view.state).toBe(mirror.session.state);
        }
        // The page's merged view is the one GET answers (GET reads; a paced clock would tick, these are not).
        const read = await call(t, 'GET', `/api/sessions/${view.id}`, { token: tokens.ana });
        expect(read.body.view).toEqual(view);
        expect(steps).toBeGreaterThan(0);
        // The point of the changes: the parts a step leaves as they were (the tip's facts, most often) stay out.
        expect(changesBytes).toBeLessThan(wholeBytes);
      });
    }
  }

  it('answers the whole view when the server has no view at expectedSeq, and on a retry of an acknowledged event', async () => {
    const started = await startSession(t, tokens.ana, 'sextortion-p1-wichita', 'practice');
    const event = { type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral' };
    // A refused decision is a record (lastSeq moves on: lowering an exigent tip's P1 without a reason) and no
    // view of the session is built at it.
    const refused = await call(t, 'POST', `/api/sessions/${started.id}/events?view=changes`, { token: tokens.ana, body: { event: { ...event, priority: 'P3' }, eventId: 'lowered', expectedSeq: started.lastSeq } });
    expect(refused.status, refused.text).toBe(422);
    const seq = refused.body.lastSeq as number;
    expect(seq).toBeGreaterThan(started.lastSeq);
    const first = await call(t, 'POST', `/api/sessions/${started.id}/events?view=changes`, { token: tokens.ana, body: { event, eventId: 'triage', expectedSeq: seq } });
    expect(first.status, first.text).toBe(200);
    expect(first.body).not.toHaveProperty('changes');
    expect(first.body.view).toEqual((await call(t, 'GET', `/api/sessions/${started.id}`, { token: tokens.ana })).body.view);
    const again = await call(t, 'POST', `/api/sessions/${started.id}/events?view=changes`, { token: tokens.ana, body: { event, eventId: 'triage', expectedSeq: seq } });
    expect(again.status).toBe(200);
    const read = await call(t, 'GET', `/api/sessions/${started.id}`, { token: tokens.ana });
    expect(again.body.view).toEqual(read.body.view);
  });

  it('refuses a view it does not know', async () => {
    const started = await startSession(t, tokens.ana, 'webmail-houston', 'practice');
    const reply = await call(t, 'POST', `/api/sessions/${started.id}/events?view=some`, { token: tokens.ana, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'x', expectedSeq: started.lastSeq } });
    expect(reply.status).toBe(400);
  });
});
