// The classroom server as an adapter over the exercise runner (DESIGN §9, §10): the situations that used to
// play differently in the browser, over the API; waiting and an assessment's paced clock; a session whose
// log no longer replays is shown read-only and never breaks a list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { addInstructor, call, createCohort, join, login, sendEvent, startTestServer, type TestServer } from './helpers.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const engine = new Engine(bundledReference());

let t: TestServer;
let teacher: string;
let alice: string;
let cohort: { id: string; joinCode: string };
/** The server's wall clock, moved by the tests (the paced clock reads it). */
let realNow = Date.parse('2026-12-03T09:00:00Z');

beforeAll(async () => {
  t = await startTestServer({ now: () => realNow });
  await addInstructor(t, 'teacher');
  teacher = await login(t, 'teacher');
  cohort = await createCohort(t, teacher);
  alice = await join(t, cohort.joinCode, 'alice');
});
afterAll(() => t.close());

type View = { id: string; lastSeq: number; state: string; closed: boolean; readOnly: string | null; clock: { now: string; pace: 'paced' | number; paused: boolean }; inbox: { at: string; kind: string; injectId?: string; message: string }[]; allowed: string[] };

async function start(exerciseId: string, mode: 'practice' | 'assessment' = 'practice'): Promise<View> {
  const reply = await call(t, 'POST', '/api/sessions', { token: alice, body: { exerciseId, mode } });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.view as View;
}
async function viewOf(id: string): Promise<View> {
  return (await call(t, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as View;
}
async function decide(id: string, events: readonly Record<string, unknown>[]): Promise<View> {
  let view = await viewOf(id);
  for (const [i, event] of events.entries()) {
    const reply = await sendEvent(t, alice, id, event, `d${view.lastSeq}-${i}`, view.lastSeq);
    expect(reply.status, reply.text).toBe(200);
    view = reply.body.view as View;
  }
  return view;
}

const CGNAT_RIGHT = [
  { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' },
  { type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'CGNAT_NO_PORT' },
  { type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'MOBILE_IMPRECISE' },
  { type: 'GEO.CONFIRM' },
  { type: 'ROUTE.LEGAL_PROCESS' },
];

describe('the situations that played differently in the browser', () => {
  it('mobile-cgnat-no-port: after 2 days in triage the preservation is held, arrives with legal process, and only then reaches the inbox', async () => {
    const { id, lastSeq } = await start('mobile-cgnat-no-port');
    const waited = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 2 * DAY, expectedSeq: lastSeq } });
    expect(waited.status, waited.text).toBe(200);
    expect((waited.body.fired as { event: { type: string } }[]).map((r) => r.event.type)).toEqual(['TIMER.TRIAGE_SLA', 'INJECT.HELD', 'CLOCK.ADVANCE']);
    // No message claims a confirmation the machine never took: only what the clock did.
    expect((waited.body.view as View).inbox.map((m) => m.kind)).toEqual(['clock']);
    const view = await decide(id, CGNAT_RIGHT);
    expect(view.state).toBe('legalProcess.preserved');
    expect(view.inbox.filter((m) => m.kind === 'message').map((m) => m.injectId)).toEqual(['preservation-confirmed']);
    const log = await t.events.readLog(id) ?? [];
    const message = log.findIndex((r) => r.event.type === 'INJECT.MESSAGE' && r.event.injectId === 'preservation-confirmed');
    expect(log[message - 1]?.eventId).toBe('inject-preservation-confirmed');
  });

  it('sextortion-p1-wichita: a referral to US-FED is acknowledged by the federal agency, never by the Kansas task force', async () => {
    const { id } = await start('sextortion-p1-wichita');
    const view = await decide(id, [{ type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral' }, { type: 'GEO.CONFIRM' }, { type: 'ROUTE.REFER', jurisdictionId: 'US-FED' }]);
    expect(view.closed).toBe(true);
    const federal = engine.reference.jurisdictions.jurisdictionById('US-FED');
    expect(view.inbox.map((m) => m.message)).toEqual([`${federal?.name ?? ''} acknowledges the referral.`]);
  });

  it('"wait 30 days" after requesting legal process stops at the preservation confirmation, and says where and why', async () => {
    const { id } = await start('mobile-cgnat-no-port');
    const view = await decide(id, CGNAT_RIGHT);
    const waited = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 30 * DAY, expectedSeq: view.lastSeq } });
    expect(waited.body).toMatchObject({ stoppedAt: '2023-03-02T09:00:00.000Z', reason: 'message' });
    const again = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 30 * DAY, expectedSeq: (waited.body.view as View).lastSeq } });
    expect(again.body).toMatchObject({ stoppedAt: '2023-03-13T09:00:00.000Z', reason: 'decision' });
    expect((again.body.view as View).state).toBe('geolocation.tagging');
  });
});

describe('time in an assessment', () => {
  it('the trainee can wait for the next scheduled thing, never for a length of their choosing', async () => {
    const { id, lastSeq } = await start('webmail-houston', 'assessment');
    const chosen = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: HOUR, expectedSeq: lastSeq } });
    expect(chosen.status).toBe(403);
    expect(chosen.body.error).toMatch(/only wait for the next scheduled/);
    const next = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { until: 'next', expectedSeq: lastSeq } });
    expect(next.status, next.text).toBe(200);
    expect((next.body.fired as { event: { type: string } }[]).map((r) => r.event.type)).toEqual(['TIMER.TRIAGE_SLA', 'CLOCK.ADVANCE']);
  });

  it('sextortion runs at 6x: ten real minutes are an hour on the clock, as records; the instructor pauses, resumes and changes the pace', async () => {
    const started = await start('sextortion-p1-wichita', 'assessment');
    expect(started.clock).toMatchObject({ pace: 6, paused: false });
    realNow += 10 * 60 * 1000;
    const later = await viewOf(started.id);
    expect(Date.parse(later.clock.now) - Date.parse(started.clock.now)).toBe(HOUR);
    const log = await t.events.readLog(started.id) ?? [];
    expect(log.filter((r) => r.event.type === 'CLOCK.ADVANCE').map((r) => r.event)).toEqual([
      { type: 'CLOCK.ADVANCE', cause: 'pace', from: started.clock.now, ms: HOUR, realAt: new Date(realNow).toISOString() },
    ]);
    // The triage SLA fell due on the way: the trainee reads it in the inbox.
    expect(later.inbox.map((m) => m.kind)).toEqual(['clock']);

    // Paused: real time passes, the clock does not; the time before the pause was counted first.
    realNow += 60 * 1000;
    const paused = await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: teacher, body: { paused: true } });
    expect(paused.status, paused.text).toBe(200);
    const atPause = (await viewOf(started.id)).clock.now;
    expect(Date.parse(atPause) - Date.parse(later.clock.now)).toBe(6 * 60 * 1000);
    realNow += 30 * 60 * 1000;
    expect((await viewOf(started.id)).clock).toMatchObject({ now: atPause, paused: true });

    // Resumed at another pace: only real time since the resume counts, at the new pace.
    expect((await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: teacher, body: { paused: false, pace: 60 } })).status).toBe(200);
    realNow += 60 * 1000;
    const resumed = await viewOf(started.id);
    expect(resumed.clock.pace).toBe(60);
    expect(Date.parse(resumed.clock.now) - Date.parse(atPause)).toBe(HOUR);

    // Paced: the clock moves only when the trainee waits.
    expect((await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: teacher, body: { pace: 'paced' } })).status).toBe(200);
    realNow += 60 * 60 * 1000;
    expect((await viewOf(started.id)).clock.now).toBe(resumed.clock.now);
    expect((await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: teacher, body: { pace: null } })).body.clock).toMatchObject({ pace: null, paused: false });
  });

  it("only the cohort's instructor sets its clock, with a plain 400 for a bad pace", async () => {
    expect((await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: alice, body: { paused: true } })).status).toBe(403);
    expect((await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: teacher, body: { pace: 0 } })).status).toBe(400);
    expect((await call(t, 'PUT', `/api/cohorts/${cohort.id}/clock`, { token: teacher, body: {} })).status).toBe(400);
    expect((await call(t, 'GET', `/api/cohorts/${cohort.id}/clock`, { token: teacher })).status).toBe(200);
  });

  it('replays exactly with its ticks: a second server on the same store shows the same session', async () => {
    const started = await start('sextortion-p1-wichita', 'assessment');
    realNow += 5 * 60 * 1000;
    const before = await viewOf(started.id);
    const restarted = await startTestServer({ events: t.events, accounts: t.accounts, now: () => realNow });
    try {
      const after = (await call(restarted, 'GET', `/api/sessions/${started.id}`, { token: alice })).body.view as View;
      expect(after.clock.now).toBe(before.clock.now);
      expect(after.lastSeq).toBe(before.lastSeq);
    } finally {
      await restarted.close();
    }
  });
});

describe('a session that no longer replays', () => {
  it('is listed and shown read-only with a plain notice, never a 500; any change is refused with 409', async () => {
    const { id } = await start('webmail-houston');
    await decide(id, [{ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }]);
    const log = await t.events.readLog(id) ?? [];
    const last = log[log.length - 1];
    if (last === undefined) throw new Error('no log');
    // A record today's chart does not reproduce (as an earlier version's could be): a referral it refuses.
    const appended = await t.events.append(id, last.seq, [{ ...last, seq: last.seq + 1, eventId: 'old-1', event: { type: 'ROUTE.LEGAL_PROCESS' }, from: last.to, to: last.to }]);
    expect(appended.ok).toBe(true);
    const fresh = await startTestServer({ events: t.events, accounts: t.accounts, now: () => realNow });
    try {
      const list = await call(fresh, 'GET', '/api/sessions', { token: alice });
      expect(list.status).toBe(200);
      expect((list.body.sessions as { id: string }[]).map((s) => s.id)).toContain(id);
      const shown = await call(fresh, 'GET', `/api/sessions/${id}`, { token: alice });
      expect(shown.status).toBe(200);
      const view = shown.body.view as View;
      expect(view.readOnly).toMatch(/read-only/);
      expect(view.allowed).toEqual([]);
      expect(view.state).toBe('geolocation.tagging');
      const step = await sendEvent(fresh, alice, id, { type: 'GEO.CONFIRM' }, 'x1', last.seq + 1);
      expect(step.status).toBe(409);
      expect(step.body).toMatchObject({ readOnly: true });
      expect((await call(fresh, 'GET', `/api/cohorts/${cohort.id}/sessions`, { token: teacher })).status).toBeLessThan(500);
    } finally {
      await fresh.close();
    }
  });
});
