// Authority by role (DESIGN §10, invariant 14; issue 14): a session's trainee sends decisions only; the
// world's events come from the exercise's schedule or the instructor's inject route; an instructor does not
// decide for a trainee. Every role × every event type, over the real API, and nothing recorded on a refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECISION_EVENT_TYPES, INJECT_EVENT_TYPES } from '../../src/domain/events.js';
import { rebuildSession } from '../../src/store/sessions.js';
import { engine } from '../engine/helpers.js';
import { call, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let other: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  const room = await startClassroom(['alice', 'bob']);
  ({ t, teacher, other } = room);
  ({ alice, bob } = room.trainees);
});
afterAll(() => t.close());

type View = { id: string; lastSeq: number; state: string; allowed: string[]; replacedBy?: string | null; assessment: unknown; tags: unknown[] };

/** A well-formed example of every event type (the world's ones as an exercise's inject would carry them). */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  'TRIAGE.ASSIGN': { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral', reason: 'routine distribution report' },
  'GEO.TAG': { type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'VPN' },
  'GEO.UNTAG': { type: 'GEO.UNTAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'VPN' },
  'GEO.CONFIRM': { type: 'GEO.CONFIRM' },
  'ROUTE.REFER': { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC-HOU' },
  'ROUTE.LEGAL_PROCESS': { type: 'ROUTE.LEGAL_PROCESS' },
  'ROUTE.INFORMATIONAL': { type: 'ROUTE.INFORMATIONAL', reason: 'nothing to refer' },
  'AGENCY.ACKNOWLEDGE': { type: 'AGENCY.ACKNOWLEDGE' },
  'AGENCY.DECLINE': { type: 'AGENCY.DECLINE', reason: 'not our area' },
  'SUBSCRIBER.RETURNED': { type: 'SUBSCRIBER.RETURNED', indicatorId: 'subjects[0].ipEvents[0]', location: { countryCode: 'US', region: 'KS', city: 'Wichita' } },
  'INDICATOR.ADD': { type: 'INDICATOR.ADD', subjectId: 'S1', ipEvent: { ip: '192.0.2.77', port: 40000, event: 'Login', dateTime: '2019-05-31T10:00:00Z' } },
  'TIP.SUPPLEMENT': { type: 'TIP.SUPPLEMENT', supplement: { escalateToHighPriority: true } },
  'PRESERVATION.CONFIRMED': { type: 'PRESERVATION.CONFIRMED' },
};

const DECISIONS: readonly string[] = DECISION_EVENT_TYPES;
const ALL_TYPES = [...DECISION_EVENT_TYPES, ...INJECT_EVENT_TYPES];

describe('authority by role', () => {
  it('has an example for every event type the API knows', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...ALL_TYPES].sort());
  });

  for (const type of ALL_TYPES) {
    const world = !DECISIONS.includes(type);
    it(`${type}: the trainee ${world ? 'is refused (403)' : 'may send it'}, the cohort's instructor is refused (403), other people get 404; a refusal records nothing`, async () => {
      const { id, lastSeq } = await startSession(t, alice, 'webmail-houston');
      const before = (await t.events.readLog(id))?.length;
      const event = EXAMPLES[type];

      const asTeacher = await sendEvent(t, teacher, id, event, 'by-teacher', lastSeq);
      expect(asTeacher.status).toBe(403);
      expect(asTeacher.body.error).toMatch(/decisions are the trainee's own/);
      expect((await sendEvent(t, other, id, event, 'by-other', lastSeq)).status).toBe(404);
      expect((await sendEvent(t, bob, id, event, 'by-bob', lastSeq)).status).toBe(404);

      const asTrainee = await sendEvent(t, alice, id, event, 'by-alice', lastSeq);
      if (world) {
        expect(asTrainee.status).toBe(403);
        expect(asTrainee.body.error).toBe(
          `${type} comes from the exercise (its schedule, or your instructor's injects), not from the trainee: a trainee sends decisions only (${DECISION_EVENT_TYPES.join(', ')})`,
        );
        expect((await t.events.readLog(id))?.length).toBe(before);
      } else {
        // A decision reaches the engine: taken (200) or refused by the rule book in this state (422).
        expect([200, 422]).toContain(asTrainee.status);
        if (asTrainee.status === 422) {
          expect((await t.events.readLog(id))?.length).toBe(before);
          for (const allowed of asTrainee.body.allowed as string[]) expect(DECISIONS).toContain(allowed);
        }
      }
      // Whatever happened, no refused request left a record behind.
      expect((await t.events.readLog(id) ?? []).filter((r) => r.eventId.startsWith('by-') && r.eventId !== 'by-alice')).toEqual([]);
      expect((await t.events.readLog(id) ?? []).every((r) => r.actor !== 'trainee' || DECISIONS.includes(r.event.type))).toBe(true);
    });
  }

  it("shows every role only decisions in the view's allowed list, in every state of a played session", async () => {
    const { id } = await startSession(t, alice, 'mobile-cgnat-no-port');
    const check = async (): Promise<View> => {
      const asTrainee = (await call(t, 'GET', `/api/sessions/${id}`, { token: alice })).body.view as View;
      const asTeacher = (await call(t, 'GET', `/api/sessions/${id}`, { token: teacher })).body.view as View;
      for (const view of [asTrainee, asTeacher]) for (const type of view.allowed) expect(DECISIONS).toContain(type);
      expect(asTeacher.allowed).toEqual(asTrainee.allowed);
      return asTrainee;
    };
    let view = await check();
    expect(view.allowed).toEqual(['TRIAGE.ASSIGN']);
    const step = async (event: unknown, eventId: string) => {
      const reply = await sendEvent(t, alice, id, event, eventId, view.lastSeq);
      expect(reply.status, reply.text).toBe(200);
      for (const type of (reply.body.view as View).allowed) expect(DECISIONS).toContain(type);
      view = await check();
    };
    await step({ type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral' }, 'a1');
    expect(view.allowed).toEqual(['GEO.TAG', 'GEO.UNTAG', 'GEO.CONFIRM']);
    await step({ type: 'GEO.CONFIRM' }, 'a2');
    await step({ type: 'ROUTE.LEGAL_PROCESS' }, 'a3');
    // Legal process waits for the provider: the machine takes PRESERVATION.CONFIRMED, the trainee has nothing to send.
    expect(view.state).toMatch(/^legalProcess\./);
    expect((await rebuildSession(engine, t.events, id))?.allowedEvents()).toContain('PRESERVATION.CONFIRMED');
    expect(view.allowed).toEqual([]);
    // A decision the machine has no transition for here names no world event as an alternative.
    const refused = await sendEvent(t, alice, id, { type: 'GEO.CONFIRM' }, 'a4', view.lastSeq);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe(`GEO.CONFIRM is not allowed in ${view.state}; allowed here: nothing (wait for the clock or an inject)`);
    expect(refused.body.allowed).toEqual([]);
  });

  it("keeps the instructor's inject route the way the world's events arrive (a trainee: 403)", async () => {
    const { id, lastSeq } = await startSession(t, alice, 'webmail-houston');
    expect((await call(t, 'POST', `/api/sessions/${id}/injects`, { token: alice, body: { injectId: 'acknowledged', expectedSeq: lastSeq } })).status).toBe(403);
  });
});

describe('checking a decision before it is final', () => {
  it('answers whether a decision would be taken, with the same refusal a send gets, and records nothing', async () => {
    const { id, lastSeq } = await startSession(t, alice, 'webmail-houston');
    const ok = await call(t, 'POST', `/api/sessions/${id}/check`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' } } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ ok: true, lastSeq });
    expect((await t.events.readLog(id))?.length).toBe(lastSeq + 1);
    const early = await call(t, 'POST', `/api/sessions/${id}/check`, { token: alice, body: { event: { type: 'GEO.CONFIRM' } } });
    const sent = await sendEvent(t, alice, id, { type: 'GEO.CONFIRM' }, 'c1', lastSeq);
    expect(early.status).toBe(422);
    expect(sent.status).toBe(422);
    expect(early.body).toEqual(sent.body);
    const bad = await call(t, 'POST', `/api/sessions/${id}/check`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P9' } } });
    expect(bad.status).toBe(422);
    expect(bad.body.issues).toEqual(expect.any(Array));
    expect((await call(t, 'POST', `/api/sessions/${id}/check`, { token: alice, body: { event: { type: 'AGENCY.ACKNOWLEDGE' } } })).status).toBe(403);
    expect((await call(t, 'POST', `/api/sessions/${id}/check`, { token: teacher, body: { event: { type: 'GEO.CONFIRM' } } })).status).toBe(403);
    expect((await call(t, 'POST', `/api/sessions/${id}/check`, { token: bob, body: { event: { type: 'GEO.CONFIRM' } } })).status).toBe(404);
    expect((await t.events.readLog(id))?.length).toBe(lastSeq + 1);
  });
});

describe('the P1 rule in an assessment is no oracle', () => {
  it('asks a reason for every priority below P1 on every tip, in the same words, before the engine', async () => {
    const answers: string[] = [];
    for (const exercise of ['webmail-houston', 'sextortion-p1-wichita']) {
      const { id, lastSeq } = await startSession(t, bob, exercise, 'assessment');
      for (const priority of ['P2', 'P3']) {
        const checked = await call(t, 'POST', `/api/sessions/${id}/check`, { token: bob, body: { event: { type: 'TRIAGE.ASSIGN', priority, track: 'referral' } } });
        const sent = await sendEvent(t, bob, id, { type: 'TRIAGE.ASSIGN', priority, track: 'referral' }, `p-${priority}`, lastSeq);
        expect(checked.status).toBe(422);
        expect(sent.status).toBe(422);
        expect(checked.body.error).toBe(sent.body.error);
        answers.push(String(sent.body.error));
      }
      expect((await t.events.readLog(id))?.length).toBe(lastSeq + 1);
      // With a reason, a lower priority is taken on both tips (the rule book's reason rule is met too).
      const reasoned = await sendEvent(t, bob, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral', reason: 'I read it as routine' }, 'p-ok', lastSeq);
      expect(reasoned.status, reasoned.text).toBe(200);
    }
    expect(new Set(answers)).toEqual(new Set(['in an assessment every priority below P1 needs a reason: say why in a short line']));
    for (const answer of answers) expect(answer).not.toMatch(/exigent|this tip is/i);
  });

  it('keeps the practice rule as the rule book says it: a lower priority without a reason is taken on a tip that is not exigent', async () => {
    const { id, lastSeq } = await startSession(t, bob, 'webmail-houston', 'practice');
    expect((await sendEvent(t, bob, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'q1', lastSeq)).status).toBe(200);
  });

  it("keeps the trainee's own tags in the view after confirming, and the rule book's caveats out of it until the tip is closed", async () => {
    const { id, lastSeq } = await startSession(t, bob, 'webmail-houston', 'assessment');
    let seq = lastSeq;
    for (const [event, eventId] of [
      [{ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral', reason: 'routine' }, 't1'],
      [{ type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'VPN' }, 't2'],
      [{ type: 'GEO.CONFIRM' }, 't3'],
    ] as const) {
      const reply = await sendEvent(t, bob, id, event, eventId, seq);
      expect(reply.status, reply.text).toBe(200);
      seq = (reply.body.view as View).lastSeq;
    }
    const view = (await call(t, 'GET', `/api/sessions/${id}`, { token: bob })).body.view as View;
    expect(view.state).toBe('referral.selecting');
    expect(view.tags).toEqual([{ indicatorId: 'subjects[0].ipEvents[0]', caveat: 'VPN' }]);
    expect(view.assessment).toBeNull();
  });
});

describe('a session replaced by an undo', () => {
  it('is read-only everywhere: every change is 409 with the id of the session that goes on, and its view says so', async () => {
    const { id, lastSeq } = await startSession(t, alice, 'webmail-houston');
    const triaged = await sendEvent(t, alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'r1', lastSeq);
    const seq = (triaged.body.view as View).lastSeq;
    const undone = await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: seq } });
    expect(undone.status).toBe(201);
    const next = (undone.body.view as View).id;
    expect((undone.body.view as View).replacedBy).toBeNull();
    const logLength = (await t.events.readLog(id))?.length;

    const expectReplaced = (reply: { status: number; body: Record<string, unknown> }) => {
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({ error: `this session was replaced by an undo and is read-only: go on in session ${next}`, replacedBy: next });
    };
    expectReplaced(await sendEvent(t, alice, id, { type: 'GEO.CONFIRM' }, 'r2', seq));
    expectReplaced(await call(t, 'POST', `/api/sessions/${id}/check`, { token: alice, body: { event: { type: 'GEO.CONFIRM' } } }));
    expectReplaced(await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 60_000, expectedSeq: seq } }));
    expectReplaced(await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: seq } }));
    expectReplaced(await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: { injectId: 'acknowledged', expectedSeq: seq } }));
    expect((await t.events.readLog(id))?.length).toBe(logLength);

    for (const token of [alice, teacher]) {
      const old = await call(t, 'GET', `/api/sessions/${id}`, { token });
      expect(old.status).toBe(200);
      expect((old.body.view as View).replacedBy).toBe(next);
    }
  });

  it('is still read-only after a restart of the server (the store says which session replaced it)', async () => {
    const { id, lastSeq } = await startSession(t, alice, 'webmail-houston');
    const triaged = await sendEvent(t, alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 's1', lastSeq);
    const undone = await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: (triaged.body.view as View).lastSeq } });
    const next = (undone.body.view as View).id;
    const { createReplacements } = await import('../../src/server/replacements.js');
    const fresh = createReplacements();
    const stored = await t.events.getSession(id);
    expect(stored).not.toBeNull();
    if (stored !== null) expect(fresh.replacedBy(stored)).toBe(next);
    const current = await t.events.getSession(next);
    if (current !== null) expect(fresh.replacedBy(current)).toBeNull();
  });
});
