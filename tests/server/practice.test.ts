// Practice help over the API: hints, undo (a fork of the append-only log), and the reference for controls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkIdOf } from '../../src/server/passwords.js';
import type { NewSession, StoredSession } from '../../src/store/event-store.js';
import { persistNewRecords, rebuildSession } from '../../src/store/sessions.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { engine } from '../engine/helpers.js';
import { addInstructor, call, createCohort, join, login, sendEvent, startClassroom, startSession, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  const room = await startClassroom(['alice', 'bob']);
  ({ t, teacher } = room);
  ({ alice, bob } = room.trainees);
});
afterAll(() => t.close());

type View = { id: string; lastSeq: number; state: string; priority: string | null; clock: { now: string } };
const send = (token: string, id: string, event: unknown, eventId: string, expectedSeq: number) => sendEvent(t, token, id, event, eventId, expectedSeq);

describe('practice help', () => {
  it('gives the hint for the decision at hand in practice only, and never to another trainee', async () => {
    const practice = await startSession(t, alice, 'webmail-houston');
    const hint = await call(t, 'GET', `/api/sessions/${practice.id}/hint`, { token: alice });
    expect(hint.status).toBe(200);
    expect(hint.body.hint).toMatchObject({ point: 'triage', occurrence: 1 });
    expect((hint.body.hint as { text: string }).text).toMatch(/^(Hint: |The expected decision here: )/);
    expect((await call(t, 'GET', `/api/sessions/${practice.id}/hint`, { token: bob })).status).toBe(404);
    const assessment = await startSession(t, alice, 'webmail-houston', 'assessment');
    expect((await call(t, 'GET', `/api/sessions/${assessment.id}/hint`, { token: alice })).status).toBe(403);
  });

  it('takes the last decision back as a new session, keeps the old log whole, and lists only the new one', async () => {
    const { id } = await startSession(t, alice, 'webmail-houston');
    const before = (await call(t, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as View;
    expect((await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: before.lastSeq } })).status).toBe(422);
    const triaged = await send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'u1', before.lastSeq);
    expect(triaged.status, triaged.text).toBe(200);
    const after = triaged.body.view as View;
    expect((await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: before.lastSeq } })).status).toBe(409);
    expect((await call(t, 'POST', `/api/sessions/${id}/undo`, { token: teacher, body: { expectedSeq: after.lastSeq } })).status).toBe(403);
    expect((await call(t, 'POST', `/api/sessions/${id}/undo`, { token: bob, body: { expectedSeq: after.lastSeq } })).status).toBe(404);
    const undone = await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: after.lastSeq } });
    expect(undone.status, undone.text).toBe(201);
    const view = undone.body.view as View;
    expect(view.id).not.toBe(id);
    expect(view).toMatchObject({ state: before.state, priority: null, lastSeq: before.lastSeq, clock: before.clock });
    expect(undone.body.undone).toMatchObject({ eventId: 'u1' });
    expect(await t.events.readLog(id)).toHaveLength(after.lastSeq + 1);
    const listed = (await call(t, 'GET', '/api/sessions', { token: alice })).body.sessions as { id: string; forkOf: string | null }[];
    expect(listed.map((s) => s.id)).toContain(view.id);
    expect(listed.map((s) => s.id)).not.toContain(id);
    expect(listed.find((s) => s.id === view.id)?.forkOf).toBe(id);
    // The new session steps on as usual.
    const again = await send(alice, view.id, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 'u2', view.lastSeq);
    expect(again.status, again.text).toBe(200);
  });

  it('answers 409 naming the session that goes on when the store refuses a step of a session replaced after the server checked (an undo on another instance)', async () => {
    const started = await startSession(t, alice, 'webmail-houston');
    const first = await send(alice, started.id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'r1', started.lastSeq);
    expect(first.status).toBe(200);
    const stored = await t.events.getSession(started.id);
    const record = (await t.events.readLog(started.id))?.[0];
    if (stored === null || record === undefined) throw new Error('the session was not stored');
    // A fork this server did not make, under an id it does not look for: only the store knows the session is replaced.
    await t.events.createSession({ id: 'forked-elsewhere', input: stored.input, first: record, createdAt: new Date().toISOString(), owner: stored.owner, exerciseId: stored.exerciseId, mode: 'practice', meta: { ...stored.meta, forkOf: started.id } });
    const late = await send(alice, started.id, { type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' }, 'r2', (first.body.view as View).lastSeq);
    expect(late.status, late.text).toBe(409);
    expect(late.body.replacedBy).toBe('forked-elsewhere');
    expect((await t.events.readLog(started.id))?.length).toBe((first.body.view as View).lastSeq + 1);
  });

  it("keeps an instructor's information-only message in the log and shows it in the trainee's inbox, once, across a restart", async () => {
    const { id, lastSeq } = await startSession(t, alice, 'p2p-vpn-all-networks');
    const body = { injectId: 'vpn-nudge', expectedSeq: lastSeq };
    expect((await call(t, 'POST', `/api/sessions/${id}/injects`, { token: alice, body })).status).toBe(403);
    const sent = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.message).toMatchObject({ injectId: 'vpn-nudge' });
    const again = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body });
    expect(again.status).toBe(200);
    // One record, however often it is sent: the message itself (no machine event).
    expect((await t.events.readLog(id))?.slice(lastSeq + 1).map((r) => r.event)).toEqual([expect.objectContaining({ type: 'INJECT.MESSAGE', injectId: 'vpn-nudge' })]);
    const view = (await call(t, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as { inbox: { injectId: string; message: string }[] };
    expect(view.inbox).toEqual([expect.objectContaining({ injectId: 'vpn-nudge' })]);
    const restarted = await startTestServer({ events: t.events, accounts: t.accounts });
    try {
      expect(((await call(restarted, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as typeof view).inbox).toEqual(view.inbox);
    } finally {
      await restarted.close();
    }
  });

  it('shows the lookup (never the caveats) from the geolocation step on, and hides the triage deadline in an assessment', async () => {
    const { id, lastSeq } = await startSession(t, alice, 'webmail-houston', 'assessment');
    type Row = { id: string; source: string; ip: string | null; geo: Record<string, unknown> | null; caveatChoices: string[] };
    type LookupView = View & { indicators: Row[]; tipCaveatChoices: string[]; routingTime: string | null; facts: { id: string } | null; assessment: unknown; clock: { timers: { due: string | null; event: string; name: string }[] } };
    const before = (await call(t, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as LookupView;
    expect(before.routingTime).toBeNull();
    // The rows are there from the start (what the report says), in the rule book's order; the lookup is not.
    expect(before.indicators.map((r) => r.id)).toEqual(['subjects[0].ipEvents[0]', 'subjects[0].estimatedLocation']);
    expect(before.indicators.map((r) => r.geo)).toEqual([null, null]);
    expect(before.facts?.id).toEqual(expect.any(String));
    const triageTimer = before.clock.timers.find((x) => x.event.startsWith('xstate.after.triageSla.'));
    expect(triageTimer).toEqual({ due: null, event: triageTimer?.event, name: 'Triage deadline' });
    const triaged = await send(alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral', reason: 'no exigent factor reported' }, 'l1', lastSeq);
    const view = triaged.body.view as LookupView;
    expect(view.assessment).toBeNull();
    expect(view.routingTime).toEqual(expect.any(String));
    expect(view.indicators[0]).toMatchObject({ id: 'subjects[0].ipEvents[0]', ip: '192.0.2.10' });
    expect(view.indicators[0]?.geo?.isp).toEqual(expect.any(String));
    // The codes offered follow from the kind of indicator: a reported location gets no network-only one.
    expect(view.indicators[1]?.caveatChoices).toEqual(['COUNTRY_ONLY', 'REGION_ONLY', 'USER_PROVIDED_ONLY']);
    expect(view.tipCaveatChoices).toEqual(['CONFLICTING_INDICATORS']);
    for (const row of view.indicators) expect(Object.keys(row)).not.toEqual(expect.arrayContaining(['caveats']));
    expect(JSON.stringify(view.indicators.map((r) => r.geo))).not.toMatch(/confidence|caveat/i);
    expect(JSON.stringify(view.indicators)).not.toMatch(/confidence|determining|"caveats"/i);
  });

  it('serves the reference a client needs for decision controls, without answer keys', async () => {
    const reply = await call(t, 'GET', '/api/reference', { token: alice });
    expect(reply.status).toBe(200);
    const body = reply.body as { caveats: { code: string; meaning: string; networkOnly: boolean }[]; jurisdictions: { id: string; channel: string }[]; events: Record<string, unknown>; priorities: string[] };
    expect(body.priorities).toEqual(['P1', 'P2', 'P3']);
    expect(body.caveats.map((c) => c.code)).toContain('CGNAT_NO_PORT');
    expect(body.caveats.every((c) => c.meaning.length > 10)).toBe(true);
    // What a reported location (no address) can be tagged with: the codes not marked networkOnly.
    expect(body.caveats.filter((c) => !c.networkOnly).map((c) => c.code)).toEqual(['COUNTRY_ONLY', 'REGION_ONLY', 'USER_PROVIDED_ONLY', 'CONFLICTING_INDICATORS']);
    expect(body.jurisdictions.length).toBeGreaterThan(5);
    expect(Object.keys(body.events).sort()).toEqual(['GEO.CONFIRM', 'GEO.TAG', 'GEO.UNTAG', 'ROUTE.INFORMATIONAL', 'ROUTE.LEGAL_PROCESS', 'ROUTE.REFER', 'TRIAGE.ASSIGN']);
    expect(JSON.stringify(body)).not.toMatch(/expectedActions|answerKey/);
    expect((await call(t, 'GET', '/api/reference')).status).toBe(401);
  });
});

/** A store where, just before an undo's fork is created, another instance stores one more step of the session. */
class OvertakingStore extends SqliteEventStore {
  override async createSession(session: NewSession): Promise<StoredSession> {
    const forkOf = session.meta?.forkOf;
    if (typeof forkOf === 'string') {
      const live = await rebuildSession(engine, this, forkOf);
      const stored = await this.getSession(forkOf);
      if (live === null || stored === null) throw new Error('the forked session is not stored');
      engine.send(live, { type: 'GEO.UNTAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' }, { actor: 'trainee' });
      expect(await persistNewRecords(this, live, stored.lastSeq)).toMatchObject({ ok: true });
    }
    return super.createSession(session);
  }
}

describe('an undo another instance overtook', () => {
  it('answers 409 stale with the sequence now, and forks nothing, when a step was stored after the undo read the session', async () => {
    const events = new OvertakingStore(':memory:');
    const server = await startTestServer({ events });
    try {
      await addInstructor(server, 'teacher');
      const cohort = await createCohort(server, await login(server, 'teacher'));
      const carol = await join(server, cohort.joinCode, 'carol');
      const started = await startSession(server, carol, 'webmail-houston');
      const triaged = await sendEvent(server, carol, started.id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'o1', started.lastSeq);
      const tagged = await sendEvent(server, carol, started.id, { type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' }, 'o2', (triaged.body.view as View).lastSeq);
      expect(tagged.status, tagged.text).toBe(200);
      const at = (tagged.body.view as View).lastSeq;
      const undone = await call(server, 'POST', `/api/sessions/${started.id}/undo`, { token: carol, body: { expectedSeq: at } });
      expect(undone.status, undone.text).toBe(409);
      expect(undone.body).toEqual({ error: 'stale', lastSeq: at + 1 });
      expect(await events.getSession(forkIdOf(started.id))).toBeNull();
      expect((await events.readLog(started.id))?.length).toBe(at + 2);
    } finally {
      await server.close();
      await events.close();
    }
  });
});
