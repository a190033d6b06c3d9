// The routes behind the instructor's live dashboard (issue 7): an exercise's injects, and each trainee's
// progress with the rating of the decisions made so far.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let other: string;
let alice: string;
let bob: string;
let cohortId: string;

const send = (token: string, id: string, event: unknown, eventId: string, expectedSeq: number) => sendEvent(t, token, id, event, eventId, expectedSeq);

interface Progress {
  sessionId: string;
  phase: string;
  lastSeq: number;
  closed: boolean;
  lastDecision: { point: string; summary: string; verdict: string } | null;
  soFar: { rating: string | null; score: number | null; right: number; partly: number; wrong: number };
  clock: { elapsedMs: number };
  injectsSent: string[];
}

beforeAll(async () => {
  const room = await startClassroom(['alice', 'bob']);
  ({ t, teacher, other } = room);
  ({ alice, bob } = room.trainees);
  cohortId = room.cohort.id;
});
afterAll(() => t.close());

describe("an exercise's injects", () => {
  it('lists ids, kinds, messages and contingency flags, never expected actions', async () => {
    const reply = await call(t, 'GET', '/api/exercises/sextortion-p1-wichita/injects', { token: teacher });
    expect(reply.status).toBe(200);
    const injects = reply.body.injects as { id: string; contingency: boolean; kind: string; at: string | null }[];
    expect(injects.find((i) => i.id === 'sla-reminder')).toMatchObject({ kind: 'supplemental-report', contingency: true, at: '+45m' });
    expect(reply.text).not.toMatch(/expectedActions|jurisdictionId|priority/);
  });

  it('is for instructors only, and 404 for an unknown exercise', async () => {
    expect((await call(t, 'GET', '/api/exercises/sextortion-p1-wichita/injects', { token: alice })).status).toBe(403);
    expect((await call(t, 'GET', '/api/exercises/no-such-exercise/injects', { token: teacher })).status).toBe(404);
    expect((await call(t, 'GET', '/api/exercises/sextortion-p1-wichita/injects')).status).toBe(401);
  });
});

describe('progress of the trainees', () => {
  it('rates only the decisions made so far, where the debrief of an open session counts the rest as wrong', async () => {
    const { id } = await startSession(t, alice, 'webmail-houston');
    let reply = await call(t, 'GET', `/api/sessions/${id}/progress`, { token: teacher });
    expect(reply.status).toBe(200);
    let progress = reply.body.progress as Progress;
    expect(progress).toMatchObject({ sessionId: id, phase: 'triage', lastDecision: null, soFar: { rating: null, right: 0 } });

    expect((await send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'e1', progress.lastSeq)).status).toBe(200);
    progress = (await call(t, 'GET', `/api/sessions/${id}/progress`, { token: teacher })).body.progress as Progress;
    expect(progress.phase).toBe('geolocation');
    expect(progress.lastDecision).toMatchObject({ point: 'triage', summary: 'P3, referral track', verdict: 'right' });
    expect(progress.soFar).toMatchObject({ rating: 'P', score: 1, right: 1, wrong: 0 });
    const debrief = (await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: teacher })).body.debrief as { overall: { rating: string } };
    expect(debrief.overall.rating).not.toBe('P');

    reply = await call(t, 'GET', `/api/cohorts/${cohortId}/progress`, { token: teacher });
    expect(reply.status).toBe(200);
    const trainees = reply.body.trainees as { name: string; sessions: number; progress: Progress | null }[];
    expect(trainees.map((x) => x.name).sort()).toEqual(['alice', 'bob']);
    expect(trainees.find((x) => x.name === 'alice')).toMatchObject({ sessions: 1, progress: { sessionId: id, phase: 'geolocation' } });
    expect(trainees.find((x) => x.name === 'bob')).toMatchObject({ sessions: 0, progress: null });
  });

  it('names the injects already sent', async () => {
    const { id, lastSeq } = await startSession(t, bob, 'sextortion-p1-wichita');
    const sent = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: { injectId: 'sla-reminder', expectedSeq: lastSeq } });
    expect(sent.status).toBe(200);
    const progress = (await call(t, 'GET', `/api/sessions/${id}/progress`, { token: teacher })).body.progress as Progress;
    expect(progress.injectsSent).toContain('sla-reminder');
  });

  it('names the information-only injects sent too', async () => {
    const { id, lastSeq } = await startSession(t, bob, 'p2p-vpn-all-networks');
    const sent = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: { injectId: 'vpn-nudge', expectedSeq: lastSeq } });
    expect(sent.status).toBe(200);
    const progress = (await call(t, 'GET', `/api/sessions/${id}/progress`, { token: teacher })).body.progress as Progress;
    expect(progress.injectsSent).toEqual(['vpn-nudge']);
  });

  it("is the cohort instructor's only: 404 for another instructor, 403 for a trainee", async () => {
    const { id } = await startSession(t, alice, 'webmail-houston');
    expect((await call(t, 'GET', `/api/sessions/${id}/progress`, { token: other })).status).toBe(404);
    expect((await call(t, 'GET', `/api/sessions/${id}/progress`, { token: alice })).status).toBe(403);
    expect((await call(t, 'GET', `/api/cohorts/${cohortId}/progress`, { token: other })).status).toBe(404);
    expect((await call(t, 'GET', '/api/sessions/not-an-id!/progress', { token: teacher })).status).toBe(404);
  });
});
