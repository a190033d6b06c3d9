import { afterEach, describe, expect, it } from 'vitest';
import { addInstructor, call, createCohort, join, login, PASSWORD, startSession, startTestServer, type TestServer } from './helpers.js';

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('login rate limit', () => {
  it('answers 429 after 10 failures for a name and address in 15 minutes, even with the right password, then lets it in again', async () => {
    let clock = Date.parse('2026-11-29T09:00:00Z');
    t = await startTestServer({ now: () => clock });
    await addInstructor(t, 'teacher');
    const server = t;
    const attempt = (password: string) => call(server, 'POST', '/api/login', { body: { name: 'teacher', password } });
    for (let i = 0; i < 10; i += 1) expect((await attempt('wrong-password')).status).toBe(401);
    expect((await attempt('wrong-password')).status).toBe(429);
    expect((await attempt(PASSWORD)).status).toBe(429);
    // Another name from the same address is not locked out.
    await addInstructor(t, 'second');
    expect((await call(server, 'POST', '/api/login', { body: { name: 'second', password: PASSWORD } })).status).toBe(200);
    clock += 15 * 60 * 1000 + 1;
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it('answers 429 to an address that guessed 10 wrong join codes', async () => {
    t = await startTestServer();
    const server = t;
    const guess = () => call(server, 'POST', '/api/join', { body: { code: 'ZZZZZZZZ', name: 'mallory', password: PASSWORD } });
    for (let i = 0; i < 10; i += 1) expect((await guess()).status).toBe(404);
    expect((await guess()).status).toBe(429);
  });

  it('expires tokens after their lifetime', async () => {
    let clock = Date.parse('2026-11-29T09:00:00Z');
    t = await startTestServer({ now: () => clock, tokenTtlMs: 60_000 });
    await addInstructor(t, 'teacher');
    const token = await login(t, 'teacher');
    expect((await call(t, 'GET', '/api/me', { token })).status).toBe(200);
    clock += 60_001;
    expect((await call(t, 'GET', '/api/me', { token })).status).toBe(401);
  });
});

interface SseMessage {
  event: string;
  data: unknown;
}

/** Reads server-sent messages until `count` have arrived (bounded by the test timeout and `max` chunks). */
async function readMessages(body: ReadableStream<Uint8Array>, count: number, max = 100): Promise<SseMessage[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  for (let chunk = 0; chunk < max && messages.length < count; chunk += 1) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      messages.push({ event, data: data === undefined ? null : JSON.parse(data) });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return messages;
}

describe('server-sent events', () => {
  it('streams the records appended to a session to its owner and their instructor', async () => {
    t = await startTestServer();
    await addInstructor(t, 'teacher');
    const teacher = await login(t, 'teacher');
    const cohort = await createCohort(t, teacher);
    const alice = await join(t, cohort.joinCode, 'alice');
    const { id } = await startSession(t, alice);
    // Another session's appends must not show up on this stream.
    const other = await startSession(t, alice);

    const streams = await Promise.all(
      [alice, teacher].map(async (token) => {
        const response = await fetch(`${t?.url}/api/sessions/${id}/stream`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        if (response.body === null) throw new Error('no body');
        return response.body;
      }),
    );
    const reading = streams.map((body) => readMessages(body, 2));
    const server = t;
    expect((await call(server, 'POST', `/api/sessions/${other.id}/events`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'o1', expectedSeq: 0 } })).status).toBe(200);
    expect((await call(server, 'POST', `/api/sessions/${id}/events`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'a1', expectedSeq: 0 } })).status).toBe(200);
    for (const messages of await Promise.all(reading)) {
      expect(messages[0]).toEqual({ event: 'ready', data: { lastSeq: 0 } });
      expect(messages[1]?.event).toBe('appended');
      expect(messages[1]?.data).toMatchObject({ sessionId: id, records: [{ seq: 1, eventId: 'a1', event: { type: 'TRIAGE.ASSIGN' } }] });
    }
  });
});

describe("an instructor's cohort stream", () => {
  it("streams the appends of the cohort's trainees only, and is the cohort instructor's alone", async () => {
    t = await startTestServer();
    await addInstructor(t, 'teacher');
    await addInstructor(t, 'other');
    const teacher = await login(t, 'teacher');
    const other = await login(t, 'other');
    const cohort = await createCohort(t, teacher);
    const otherCohort = await createCohort(t, other, 'Other');
    const alice = await join(t, cohort.joinCode, 'alice');
    const carol = await join(t, otherCohort.joinCode, 'carol');
    const server = t;
    for (const token of [other, alice]) {
      const denied = await call(server, 'GET', `/api/cohorts/${cohort.id}/stream`, { token });
      expect(denied.status).toBe(token === alice ? 403 : 404);
    }
    const response = await fetch(`${t.url}/api/cohorts/${cohort.id}/stream`, { headers: { authorization: `Bearer ${teacher}` } });
    expect(response.status).toBe(200);
    if (response.body === null) throw new Error('no body');
    const reading = readMessages(response.body, 3);
    const carolSession = await startSession(server, carol);
    const aliceSession = await startSession(server, alice);
    await call(server, 'POST', `/api/sessions/${carolSession.id}/events`, { token: carol, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'c1', expectedSeq: 0 } });
    await call(server, 'POST', `/api/sessions/${aliceSession.id}/events`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'a1', expectedSeq: 0 } });
    const messages = await reading;
    expect(messages[0]).toEqual({ event: 'ready', data: { cohortId: cohort.id } });
    expect(messages.slice(1).map((m) => (m.data as { sessionId: string }).sessionId)).toEqual([aliceSession.id, aliceSession.id]);
  });
});

describe('class notices on the streams', () => {
  it("tells the cohort's instructor who joined, and a trainee's session stream when their debrief is released (theirs only)", async () => {
    t = await startTestServer();
    await addInstructor(t, 'teacher');
    const teacher = await login(t, 'teacher');
    const cohort = await createCohort(t, teacher);
    const otherCohort = await createCohort(t, teacher, 'Other');
    const cohortStream = await fetch(`${t.url}/api/cohorts/${cohort.id}/stream`, { headers: { authorization: `Bearer ${teacher}` } });
    if (cohortStream.body === null) throw new Error('no body');
    const cohortReading = readMessages(cohortStream.body, 2);
    await join(t, otherCohort.joinCode, 'carol');
    const alice = await join(t, cohort.joinCode, 'alice');
    const cohortMessages = await cohortReading;
    expect(cohortMessages[1]).toEqual({ event: 'joined', data: { kind: 'joined', cohortId: cohort.id, trainee: { id: expect.any(String), name: 'alice' } } });

    const session = await startSession(t, alice, 'webmail-houston');
    const sessionStream = await fetch(`${t.url}/api/sessions/${session.id}/stream`, { headers: { authorization: `Bearer ${alice}` } });
    if (sessionStream.body === null) throw new Error('no body');
    const sessionReading = readMessages(sessionStream.body, 2);
    expect((await call(t, 'POST', `/api/cohorts/${otherCohort.id}/release`, { token: teacher, body: {} })).status).toBe(201);
    expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/release`, { token: teacher, body: { exerciseId: 'mobile-cgnat-no-port' } })).status).toBe(201);
    expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/release`, { token: teacher, body: { exerciseId: 'webmail-houston' } })).status).toBe(201);
    const sessionMessages = await sessionReading;
    expect(sessionMessages[1]).toEqual({ event: 'released', data: { kind: 'released', cohortId: cohort.id, exerciseId: 'webmail-houston' } });

    // Withdrawing it is said too, so an open page hides the debrief again (another exercise's withdrawal is not).
    const again = await fetch(`${t.url}/api/sessions/${session.id}/stream`, { headers: { authorization: `Bearer ${alice}` } });
    if (again.body === null) throw new Error('no body');
    const withdrawnReading = readMessages(again.body, 2);
    expect((await call(t, 'DELETE', `/api/cohorts/${cohort.id}/release?exerciseId=mobile-cgnat-no-port`, { token: teacher })).status).toBe(204);
    expect((await call(t, 'DELETE', `/api/cohorts/${cohort.id}/release?exerciseId=webmail-houston`, { token: teacher })).status).toBe(204);
    expect((await withdrawnReading)[1]).toEqual({ event: 'withdrawn', data: { kind: 'withdrawn', cohortId: cohort.id, exerciseId: 'webmail-houston' } });
  });

  it('tells the stream of a session a practice undo replaced which session goes on in its place (the inspector follows it)', async () => {
    t = await startTestServer();
    await addInstructor(t, 'teacher');
    const teacher = await login(t, 'teacher');
    const cohort = await createCohort(t, teacher);
    const alice = await join(t, cohort.joinCode, 'alice');
    const session = await startSession(t, alice, 'webmail-houston');
    const other = await startSession(t, alice, 'webmail-houston');
    const triaged = await call(t, 'POST', `/api/sessions/${session.id}/events`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'u1', expectedSeq: 0 } });
    const lastSeq = (triaged.body.view as { lastSeq: number }).lastSeq;
    const open = async (id: string, count: number) => {
      const stream = await fetch(`${t?.url}/api/sessions/${id}/stream`, { headers: { authorization: `Bearer ${teacher}` } });
      if (stream.body === null) throw new Error('no body');
      return readMessages(stream.body, count);
    };
    const watching = open(session.id, 2);
    const elsewhere = open(other.id, 2);
    const undone = await call(t, 'POST', `/api/sessions/${session.id}/undo`, { token: alice, body: { expectedSeq: lastSeq } });
    expect(undone.status).toBe(201);
    const by = (undone.body.view as { id: string }).id;
    expect((await watching)[1]).toEqual({ event: 'replaced', data: { kind: 'replaced', sessionId: session.id, by } });
    // Another session's stream hears nothing of it: its next message is its own append.
    await call(t, 'POST', `/api/sessions/${other.id}/events`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'o1', expectedSeq: 0 } });
    expect((await elsewhere)[1]?.event).toBe('appended');
  });
});
