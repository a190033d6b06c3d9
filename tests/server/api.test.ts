import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCohort, join, login, PASSWORD, sendEvent, startClassroom, startSession, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let other: string;
let alice: string;
let bob: string;
let carol: string;
let cohortId: string;
let otherCohortId: string;
let otherJoinCode: string;

beforeAll(async () => {
  const room = await startClassroom(['alice', 'bob']);
  ({ t, teacher, other } = room);
  ({ alice, bob } = room.trainees);
  const otherCohort = await createCohort(t, other, 'Evening class');
  cohortId = room.cohort.id;
  otherCohortId = otherCohort.id;
  otherJoinCode = otherCohort.joinCode;
  carol = await join(t, otherCohort.joinCode, 'carol');
});
afterAll(() => t.close());

const send = (token: string, id: string, event: unknown, eventId: string, expectedSeq: number) => sendEvent(t, token, id, event, eventId, expectedSeq);

describe('accounts', () => {
  it('logs in, says who is calling, and refuses a wrong password or a missing token', async () => {
    const me = await call(t, 'GET', '/api/me', { token: alice });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ name: 'alice', role: 'trainee' });
    expect(me.body.cohorts).toEqual([{ id: cohortId, name: 'Morning class' }]); // no join code for trainees
    expect(JSON.stringify(me.body)).not.toContain('password');
    const teacherMe = await call(t, 'GET', '/api/me', { token: teacher });
    expect((teacherMe.body.cohorts as { joinCode?: string }[])[0]?.joinCode).toMatch(/^[A-Z2-9]{8}$/);
    expect((await call(t, 'POST', '/api/login', { body: { name: 'alice', password: 'wrong-password' } })).status).toBe(401);
    expect((await call(t, 'POST', '/api/login', { body: { name: 'nobody', password: 'wrong-password' } })).status).toBe(401);
    expect((await call(t, 'GET', '/api/me')).status).toBe(401);
    expect((await call(t, 'GET', '/api/me', { token: 'x'.repeat(43) })).status).toBe(401);
  });

  it('joins with a code only, and a taken name or unknown code is refused', async () => {
    expect((await call(t, 'POST', '/api/join', { body: { code: 'ZZZZZZZZ', name: 'dave', password: PASSWORD } })).status).toBe(404);
    const me = await call(t, 'GET', '/api/me', { token: teacher });
    const code = (me.body.cohorts as { joinCode: string }[])[0]?.joinCode;
    expect((await call(t, 'POST', '/api/join', { body: { code, name: 'alice', password: PASSWORD } })).status).toBe(409);
    expect((await call(t, 'POST', '/api/join', { body: { code, name: 'dave', password: 'short' } })).status).toBe(400);
  });

  it('changes a password with the current one only', async () => {
    // Its own trainee: a password change ends that user's other sign-ins (carol's is used below).
    const token = await join(t, otherJoinCode, 'dana');
    expect((await call(t, 'POST', '/api/password', { token, body: { current: 'wrong-password', next: 'a-new-password' } })).status).toBe(403);
    expect((await call(t, 'POST', '/api/password', { token, body: { current: PASSWORD, next: 'short' } })).status).toBe(400);
    expect((await call(t, 'POST', '/api/password', { token, body: { current: PASSWORD, next: 'a-new-password' } })).status).toBe(204);
    expect((await call(t, 'POST', '/api/login', { body: { name: 'dana', password: PASSWORD } })).status).toBe(401);
    expect((await call(t, 'POST', '/api/password', { token, body: { current: 'a-new-password', next: PASSWORD } })).status).toBe(204);
  });

  it('ends the other sign-ins of a user who changes their password, and keeps the one that changed it', async () => {
    const here = await join(t, otherJoinCode, 'erin');
    const elsewhere = await login(t, 'erin');
    expect((await call(t, 'GET', '/api/me', { token: elsewhere })).status).toBe(200); // trusted (cached) before the change
    expect((await call(t, 'POST', '/api/password', { token: here, body: { current: PASSWORD, next: 'another-new-password' } })).status).toBe(204);
    expect((await call(t, 'GET', '/api/me', { token: elsewhere })).status).toBe(401);
    expect((await call(t, 'GET', '/api/me', { token: here })).status).toBe(200);
    expect((await call(t, 'POST', '/api/password', { token: here, body: { current: 'another-new-password', next: PASSWORD } })).status).toBe(204);
    expect((await call(t, 'GET', '/api/me', { token: here })).status).toBe(200);
  });

  it('logs out: the token stops working', async () => {
    const token = await login(t, 'bob');
    expect((await call(t, 'POST', '/api/logout', { token })).status).toBe(204);
    expect((await call(t, 'GET', '/api/me', { token })).status).toBe(401);
  });
});

describe('exercises and the stepping API', () => {
  it('lists exercises without expected actions or hints', async () => {
    for (const token of [alice, teacher]) {
      const reply = await call(t, 'GET', '/api/exercises', { token });
      expect(reply.status).toBe(200);
      const list = reply.body.exercises as { id: string }[];
      expect(list.map((e) => e.id)).toContain('webmail-houston');
      // A trainee reads the brief, never the summary or lesson (they name the answers, DESIGN §10).
      if (token === alice) expect(Object.keys(list[0] ?? {}).sort()).toEqual(['attempts', 'brief', 'duration', 'id', 'modes', 'title']);
      else {
        expect(Object.keys(list[0] ?? {}).sort()).toEqual(expect.arrayContaining(['duration', 'id', 'lesson', 'summary', 'title', 'uploaded']));
        expect(list.every((e) => (e as { uploaded?: unknown }).uploaded === false)).toBe(true); // bundled only here
      }
      expect(reply.text).not.toMatch(/expectedActions|jurisdictionId|hint/);
    }
  });

  it('plays an exercise to the end: view, events, refusals, idempotent retries, debrief once released', async () => {
    const view = await startSession(t, alice);
    expect(view).toMatchObject({ exerciseId: 'webmail-houston', mode: 'practice', state: 'triage', phase: 'triage', lastSeq: 0, assessment: null, allowed: expect.arrayContaining(['TRIAGE.ASSIGN']) });
    expect((view.facts as { id: string }).id).toBeTruthy();
    expect((view.clock as { timers: unknown[] }).timers.length).toBeGreaterThan(0);
    const id = view.id;

    const refused = await send(alice, id, { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC-HOU' }, 'e-bad', 0);
    expect(refused.status).toBe(422);
    expect(refused.body.allowed).toContain('TRIAGE.ASSIGN');
    // A decision of another step is refused before the machine sees it, and nothing is recorded.
    expect(await t.events.readLog(id)).toHaveLength(1);

    const triage = await send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'e1', 0);
    expect(triage.status).toBe(200);
    expect(triage.body.audit).toMatchObject({ seq: 1, eventId: 'e1', actor: 'trainee' });
    expect((triage.body.view as { lastSeq: number }).lastSeq).toBe(1);
    expect(await t.events.readLog(id)).toHaveLength(2); // durable before the answer

    const retry = await send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'e1', 0);
    expect(retry.status).toBe(200);
    expect(retry.text).toBe(triage.text);
    expect(await t.events.readLog(id)).toHaveLength(2);

    const early = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: alice });
    expect(early.status).toBe(403);

    const geo = await call(t, 'GET', `/api/sessions/${id}`, { token: alice });
    expect((geo.body.view as { state: string; assessment: unknown }).state).toBe('geolocation.tagging');
    expect((geo.body.view as { assessment: unknown }).assessment).toBeNull();
    const confirmed = await send(alice, id, { type: 'GEO.CONFIRM' }, 'e2', 1);
    expect(confirmed.status).toBe(200);
    expect((confirmed.body.view as { assessment: { confidence: string } | null }).assessment?.confidence).toBeTruthy();
    const seq2 = (confirmed.body.view as { lastSeq: number }).lastSeq;
    const referred = await send(alice, id, { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC-HOU' }, 'e3', seq2);
    expect(referred.status).toBe(200);
    // The exercise's state-entry inject (the agency acknowledges) arrives with the referral.
    expect(referred.body.view).toMatchObject({ closed: true, outcome: 'referred', allowed: [], inbox: [{ injectId: 'acknowledged' }] });
    const log = await t.events.readLog(id) ?? [];
    // The inject's event, then its message: the inbox shows only what the machine took (invariant 15).
    expect(log[log.length - 2]).toMatchObject({ eventId: 'inject-acknowledged', actor: 'instructor', event: { type: 'AGENCY.ACKNOWLEDGE' } });
    expect(log[log.length - 1]).toMatchObject({ actor: 'instructor', event: { type: 'INJECT.MESSAGE', injectId: 'acknowledged' } });
    expect((referred.body.view as { lastSeq: number }).lastSeq).toBe(log.length - 1);
    // The agency's answer is the exercise's to send, never the trainee's (roles × events: tests/server/authority.test.ts).
    expect((await send(alice, id, { type: 'AGENCY.ACKNOWLEDGE' }, 'e4', log.length - 1)).status).toBe(403);

    // Closed, but not released yet: the instructor releases the cohort's debriefs.
    const unreleased = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: alice });
    expect(unreleased.status).toBe(403);
    expect((await call(t, 'POST', `/api/cohorts/${cohortId}/release`, { token: teacher, body: { exerciseId: 'webmail-houston' } })).status).toBe(201);
    const debrief = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: alice });
    expect(debrief.status).toBe(200);
    expect((debrief.body.debrief as { overall: { rating: string } }).overall.rating).toBe('P');
    const forTeacher = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: teacher });
    expect(forTeacher.status).toBe(200);

    // The list says where each tip is, so the trainee's home needs no view per session.
    const open = await startSession(t, alice);
    const listed = (await call(t, 'GET', '/api/sessions', { token: alice })).body.sessions as Record<string, unknown>[];
    expect(listed.find((s) => s.id === id)).toEqual({ id, exerciseId: 'webmail-houston', mode: 'practice', createdAt: expect.any(String), lastSeq: log.length - 1, forkOf: null, state: 'closed.referred', phase: 'closed', closed: true, outcome: 'referred' });
    expect(listed.find((s) => s.id === open.id)).toMatchObject({ lastSeq: 0, state: 'triage', phase: 'triage', closed: false, outcome: null });
  });

  it('answers 409 with the current sequence on a stale expectedSeq', async () => {
    const { id } = await startSession(t, alice);
    const stale = await send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 's1', 5);
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ error: 'stale', lastSeq: 0 });
  });

  it('lets exactly one of two concurrent sends with the same expectedSeq win', async () => {
    const { id } = await startSession(t, alice);
    const [a, b] = await Promise.all([
      send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'c-a', 0),
      send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 'c-b', 0),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await t.events.readLog(id)).toHaveLength(2);
  });

  it('advances the clock in practice mode only', async () => {
    const practice = await startSession(t, alice);
    const advanced = await call(t, 'POST', `/api/sessions/${practice.id}/advance`, { token: alice, body: { ms: 100 * 24 * 3600 * 1000 } });
    expect(advanced.status).toBe(200);
    expect((advanced.body.fired as unknown[]).length).toBeGreaterThan(0);
    expect((await t.events.readLog(practice.id))?.length).toBe((advanced.body.view as { lastSeq: number }).lastSeq + 1);
    const assessment = await startSession(t, alice, 'webmail-houston', 'assessment');
    expect((await call(t, 'POST', `/api/sessions/${assessment.id}/advance`, { token: alice, body: { ms: 1000 } })).status).toBe(403);
  });

  it('delivers timed injects when the clock passes them, in time order with the timers', async () => {
    const { id } = await startSession(t, alice, 'mobile-cgnat-no-port');
    let seq = 0;
    const step = async (event: unknown, eventId: string) => {
      const reply = await send(alice, id, event, eventId, seq);
      expect(reply.status, reply.text).toBe(200);
      seq = (reply.body.view as { lastSeq: number }).lastSeq;
      return reply.body.view as { state: string };
    };
    await step({ type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 't1');
    await step({ type: 'GEO.CONFIRM' }, 't2');
    expect((await step({ type: 'ROUTE.LEGAL_PROCESS' }, 't3')).state).toBe('legalProcess.preservationRequested');
    const advanced = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 2 * 24 * 3600 * 1000, expectedSeq: seq } });
    expect(advanced.status).toBe(200);
    expect(advanced.body.fired).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: 'inject-preservation-confirmed', actor: 'instructor' })]));
    expect(advanced.body.view).toMatchObject({ state: 'legalProcess.preserved', inbox: [{ injectId: 'preservation-confirmed' }] });
    // Inject ids are the exercise's: a trainee cannot take one first.
    expect((await send(alice, id, { type: 'GEO.CONFIRM' }, 'inject-subscriber-returned', (advanced.body.view as { lastSeq: number }).lastSeq)).status).toBe(400);
  });

  it('keeps the clock and the inbox of a session across a restart, even when the clock passed no timer', async () => {
    const { id } = await startSession(t, alice, 'mobile-cgnat-no-port');
    const view = async (server: TestServer) => (await call(server, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as { clock: { now: string }; lastSeq: number; inbox: unknown[] };
    const before = await view(t);
    const quiet = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 60_000 } });
    expect(quiet.status).toBe(200);
    // Nothing fell due: the wait itself is the one record (the log is the whole truth, DESIGN §9).
    expect(quiet.body.fired).toEqual([expect.objectContaining({ event: { type: 'CLOCK.ADVANCE', cause: 'wait', from: before.clock.now, ms: 60_000 } })]);
    expect(quiet.body.reason).toBeNull();
    const moved = quiet.body.view as { clock: { now: string }; lastSeq: number };
    expect(Date.parse(moved.clock.now) - Date.parse(before.clock.now)).toBe(60_000);
    expect(moved.lastSeq).toBe(before.lastSeq + 1);
    let seq = moved.lastSeq;
    for (const [event, eventId] of [
      [{ type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 'r1'],
      [{ type: 'GEO.CONFIRM' }, 'r2'],
      [{ type: 'ROUTE.LEGAL_PROCESS' }, 'r3'],
    ] as const) {
      const reply = await send(alice, id, event, eventId, seq);
      expect(reply.status, reply.text).toBe(200);
      seq = (reply.body.view as { lastSeq: number }).lastSeq;
    }
    expect((await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 2 * 24 * 3600 * 1000 } })).status).toBe(200);
    const last = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 90_000 } });
    expect((last.body.fired as { event: { type: string } }[]).map((r) => r.event.type)).toEqual(['CLOCK.ADVANCE']);
    // A second server on the same stores rebuilds the session from the store alone.
    const restarted = await startTestServer({ events: t.events, accounts: t.accounts });
    try {
      const after = await view(restarted);
      expect(after).toEqual(await view(t));
      expect(after.inbox).toEqual([expect.objectContaining({ injectId: 'preservation-confirmed' })]);
      expect(after.clock.now).toBe((last.body.view as { clock: { now: string } }).clock.now);
    } finally {
      await restarted.close();
    }
  });

  it("lets the cohort's instructor send an exercise's contingency inject, once", async () => {
    const { id } = await startSession(t, alice, 'sextortion-p1-wichita');
    const inject = { injectId: 'sla-reminder', expectedSeq: 0 };
    expect((await call(t, 'POST', `/api/sessions/${id}/injects`, { token: alice, body: inject })).status).toBe(403);
    expect((await call(t, 'POST', `/api/sessions/${id}/injects`, { token: other, body: inject })).status).toBe(404);
    expect((await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: { injectId: 'nope', expectedSeq: 0 } })).status).toBe(404);
    const sent = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: inject });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.audit).toMatchObject({ eventId: 'inject-sla-reminder', actor: 'instructor', event: { type: 'TIP.SUPPLEMENT' } });
    expect((sent.body.view as { inbox: { injectId: string }[] }).inbox.map((m) => m.injectId)).toContain('sla-reminder');
    const again = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: inject });
    expect(again.text).toBe(sent.text);
  });

  it('refuses unknown exercises and sessions started by instructors', async () => {
    expect((await call(t, 'POST', '/api/sessions', { token: alice, body: { exerciseId: 'nope', mode: 'practice' } })).status).toBe(404);
    expect((await call(t, 'POST', '/api/sessions', { token: teacher, body: { exerciseId: 'webmail-houston', mode: 'practice' } })).status).toBe(403);
  });
});

describe('roles', () => {
  it("hides a trainee's session from other trainees and from other cohorts' instructors (404), not from theirs", async () => {
    const { id } = await startSession(t, alice);
    for (const token of [bob, carol, other]) {
      expect((await call(t, 'GET', `/api/sessions/${id}`, { token })).status).toBe(404);
      expect((await send(token, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'x1', 0)).status).toBe(404);
      expect((await call(t, 'POST', `/api/sessions/${id}/advance`, { token, body: { ms: 1000 } })).status).toBe(404);
      expect((await call(t, 'GET', `/api/sessions/${id}/debrief`, { token })).status).toBe(404);
      const stream = await fetch(`${t.url}/api/sessions/${id}/stream`, { headers: { authorization: `Bearer ${token}` } });
      expect(stream.status).toBe(404);
      await stream.body?.cancel();
    }
    // An unknown id looks exactly like someone else's.
    const missing = await call(t, 'GET', '/api/sessions/does-not-exist', { token: bob });
    const hidden = await call(t, 'GET', `/api/sessions/${id}`, { token: bob });
    expect(missing.text).toBe(hidden.text);
    expect((await call(t, 'GET', `/api/sessions/${id}`, { token: teacher })).status).toBe(200);
  });

  it('never gives a trainee an answer key: no expected actions in views, and no debrief before the close', async () => {
    const { id } = await startSession(t, bob);
    const view = await call(t, 'GET', `/api/sessions/${id}`, { token: bob });
    expect(view.text).not.toMatch(/expectedActions|expected"|exerciseText|answer/i);
    expect((await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: bob })).status).toBe(403);
    const teacherDebrief = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: teacher });
    expect(teacherDebrief.status).toBe(200);
  });

  it('shows an instructor their own cohorts only', async () => {
    const mine = await call(t, 'GET', `/api/cohorts/${cohortId}/sessions`, { token: teacher });
    expect(mine.status).toBe(200);
    expect((mine.body.trainees as { name: string }[]).map((x) => x.name).sort()).toEqual(['alice', 'bob']);
    expect((await call(t, 'GET', `/api/cohorts/${otherCohortId}/sessions`, { token: teacher })).status).toBe(404);
    expect((await call(t, 'GET', `/api/cohorts/${cohortId}/sessions`, { token: alice })).status).toBe(403);
    expect((await call(t, 'POST', '/api/cohorts', { token: alice, body: { name: 'mine' } })).status).toBe(403);
    const list = await call(t, 'GET', '/api/cohorts', { token: teacher });
    expect((list.body.cohorts as { id: string }[]).map((c) => c.id)).toEqual([cohortId]);
  });
});

describe('bad input', () => {
  it('answers 400 with the issues for malformed JSON, wrong types and unknown fields', async () => {
    const malformed = await call(t, 'POST', '/api/login', { raw: '{"name": "alice",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: 'malformed JSON', issues: [] });
    const wrongType = await call(t, 'POST', '/api/login', { body: { name: 42, password: PASSWORD } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues).toEqual([expect.objectContaining({ path: 'name' })]);
    const unknown = await call(t, 'POST', '/api/login', { body: { name: 'alice', password: PASSWORD, admin: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([{ path: 'admin', message: 'unknown field' }]);
    const { id } = await startSession(t, alice);
    const badSeq = await send(alice, id, { type: 'GEO.CONFIRM' }, 'b1', -1);
    expect(badSeq.status).toBe(400);
    expect(badSeq.body.issues).toEqual([expect.objectContaining({ path: 'expectedSeq' })]);
    const badId = await send(alice, id, { type: 'GEO.CONFIRM' }, '#1', 0);
    expect(badId.status).toBe(400);
    const notJson = await call(t, 'POST', '/api/login', { raw: 'name=alice', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).toBe(400);
    expect((await call(t, 'GET', '/api/nothing-here', { token: alice })).status).toBe(404);
    for (const reply of [malformed, wrongType, unknown, badSeq]) expect(reply.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers 413 for a body over 64 kB', async () => {
    const reply = await call(t, 'POST', '/api/login', { raw: JSON.stringify({ name: 'alice', password: 'x'.repeat(70_000) }) });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toMatch(/larger/);
  });

  it('sets security headers', async () => {
    const response = await fetch(`${t.url}/api/exercises`, { headers: { authorization: `Bearer ${alice}` } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    await response.body?.cancel();
  });

  it('never logs a password or a token', async () => {
    const joined = t.logs.join('');
    expect(joined).toContain('"path":"/api/login"');
    expect(joined).not.toContain(PASSWORD);
    for (const token of [alice, bob, teacher]) expect(joined).not.toContain(token);
  });
});
