// The store answers asynchronously (issue 19): a request's read-check-write may span awaits, and two requests
// of one trainee or one session must still not both pass a check the first one's write would fail. Here the
// stores answer a turn late (slow-stores.ts), as PostgreSQL would, and the requests are sent at once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';
import { hashPassword } from '../../src/server/passwords.js';
import { ensureInstructor, FIRST_INSTRUCTOR } from '../../src/server/serve.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { call, createCohort, join, login, PASSWORD, sendEvent, startSession, startTestServer, type TestServer } from './helpers.js';
import { slowed } from './slow-stores.js';

let t: TestServer;
let events: SqliteEventStore;
let accounts: SqliteAccountStore;
let teacher: string;
let cohort: { id: string; joinCode: string };

beforeAll(async () => {
  events = new SqliteEventStore(':memory:');
  accounts = new SqliteAccountStore(':memory:');
  t = await startTestServer({ events: slowed(events), accounts: slowed(accounts) });
  await accounts.createUser({ id: 'id-teacher', name: 'teacher', role: 'instructor', passwordHash: await hashPassword(PASSWORD), createdAt: new Date().toISOString() });
  teacher = await login(t, 'teacher');
  cohort = await createCohort(t, teacher);
  const assigned = await call(t, 'POST', `/api/cohorts/${cohort.id}/assignments`, { token: teacher, body: { exerciseId: 'webmail-houston' } });
  if (assigned.status !== 201) throw new Error(`assign: ${assigned.status} ${assigned.text}`);
});
afterAll(async () => {
  await t.close();
  await events.close();
  await accounts.close();
});

type View = { id: string; lastSeq: number };
const TRIAGE = { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' };

describe('requests at once over a store that answers late', () => {
  it('starts one assessment of the last attempt, however many starts arrive at once', async () => {
    const alice = await join(t, cohort.joinCode, 'alice');
    const assigned = await call(t, 'POST', `/api/cohorts/${cohort.id}/assignments`, { token: teacher, body: { exerciseId: 'sextortion-p1-wichita', mode: 'assessment', attempts: 1 } });
    expect(assigned.status, assigned.text).toBe(201);
    const starts = await Promise.all([1, 2, 3].map(() => call(t, 'POST', '/api/sessions', { token: alice, body: { exerciseId: 'sextortion-p1-wichita', mode: 'assessment' } })));
    expect(starts.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const aliceId = (await accounts.findUserByName('alice'))?.id ?? '';
    expect((await events.listSessions({ owner: aliceId, exerciseId: 'sextortion-p1-wichita' })).filter((s) => s.mode === 'assessment')).toHaveLength(1);
  });

  it('takes one of two steps of one session sent at once with the same expected sequence, and stores it once', async () => {
    const bob = await join(t, cohort.joinCode, 'bob');
    const { id, lastSeq } = await startSession(t, bob, 'webmail-houston');
    const [a, b] = await Promise.all([sendEvent(t, bob, id, TRIAGE, 'r-a', lastSeq), sendEvent(t, bob, id, { ...TRIAGE, priority: 'P2' }, 'r-b', lastSeq)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const log = (await events.readLog(id)) ?? [];
    expect(log).toHaveLength(lastSeq + 2);
    const taken = a.status === 200 ? a : b;
    expect(log.at(-1)?.eventId).toBe((taken.body.audit as { eventId: string }).eventId);
    // The session goes on from the step that was taken.
    const view = (await call(t, 'GET', `/api/sessions/${id}`, { token: bob })).body.view as View;
    expect(view.lastSeq).toBe(lastSeq + 1);
  });

  it('forks a session once for two undos sent at once: the other is told where it goes on', async () => {
    const carol = await join(t, cohort.joinCode, 'carol');
    const { id, lastSeq } = await startSession(t, carol, 'webmail-houston');
    const triaged = await sendEvent(t, carol, id, TRIAGE, 'u-1', lastSeq);
    expect(triaged.status, triaged.text).toBe(200);
    const seq = (triaged.body.view as View).lastSeq;
    const undos = await Promise.all([1, 2].map(() => call(t, 'POST', `/api/sessions/${id}/undo`, { token: carol, body: { expectedSeq: seq } })));
    expect(undos.map((r) => r.status).sort()).toEqual([201, 409]);
    const made = undos.find((r) => r.status === 201);
    const refused = undos.find((r) => r.status === 409);
    const forkId = (made?.body.view as View).id;
    expect(refused?.body.replacedBy).toBe(forkId);
    const carolId = (await accounts.findUserByName('carol'))?.id ?? '';
    expect((await events.listSessions({ owner: carolId })).filter((s) => s.meta.forkOf === id).map((s) => s.id)).toEqual([forkId]);
  });

  it('refuses a step of a session that an undo sent at the same time replaces', async () => {
    const dave = await join(t, cohort.joinCode, 'dave');
    const { id, lastSeq } = await startSession(t, dave, 'webmail-houston');
    const triaged = await sendEvent(t, dave, id, TRIAGE, 'd-1', lastSeq);
    const seq = (triaged.body.view as View).lastSeq;
    const undo = call(t, 'POST', `/api/sessions/${id}/undo`, { token: dave, body: { expectedSeq: seq } });
    const step = call(t, 'POST', `/api/sessions/${id}/advance`, { token: dave, body: { ms: 60_000, expectedSeq: seq } });
    const [undone, stepped] = await Promise.all([undo, step]);
    expect(undone.status, undone.text).toBe(201);
    // The undo came first: the step is refused as one of a replaced session, and the old log stays as it was.
    expect(stepped.status).toBe(409);
    expect(stepped.body.replacedBy).toBe((undone.body.view as View).id);
    expect(await events.readLog(id)).toHaveLength(seq + 1);
  });

  it('creates one account of a name that two joins ask for at once', async () => {
    const joins = await Promise.all([1, 2].map(() => call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'erin', password: PASSWORD } })));
    expect(joins.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(joins.find((r) => r.status === 409)?.body).toEqual({ error: 'this name is taken' });
    expect((await accounts.members(cohort.id)).filter((m) => m.name === 'erin')).toHaveLength(1);
  });

  it('does not trust a token after its logout, though a request checked it while the logout was stored', async () => {
    const frank = await join(t, cohort.joinCode, 'frank');
    const [me, out] = await Promise.all([call(t, 'GET', '/api/me', { token: frank }), call(t, 'POST', '/api/logout', { token: frank })]);
    expect(me.status).toBe(200);
    expect(out.status).toBe(204);
    expect((await call(t, 'GET', '/api/me', { token: frank })).status).toBe(401);
  });

  it('creates the first instructor once when two server instances start on one store at once', async () => {
    const shared = new SqliteAccountStore(':memory:');
    const printed: string[] = [];
    const passwords = await Promise.all([ensureInstructor(slowed(shared), (l) => printed.push(l)), ensureInstructor(slowed(shared), (l) => printed.push(l))]);
    expect(passwords.filter((p) => p !== null)).toHaveLength(1);
    expect(await shared.countUsers('instructor')).toBe(1);
    expect((await shared.findUserByName(FIRST_INSTRUCTOR))?.role).toBe('instructor');
    expect(printed.filter((l) => l.startsWith('First start'))).toHaveLength(1);
    await shared.close();
  });

  it('never leaves a cohort assigned an upload that a deletion sent at the same time removed', async () => {
    const london = readFileSync(`${BUNDLED_EXERCISES_DIR}/direct-london.yaml`, 'utf8');
    for (let i = 0; i < 4; i += 1) {
      const id = `race-london-${i}`;
      const uploaded = await call(t, 'POST', '/api/exercises', { token: teacher, body: { fileName: `${id}.yaml`, text: london.replace(/^id: direct-london$/m, `id: ${id}`) } });
      expect(uploaded.status, uploaded.text).toBe(201);
      const [assigned, deleted] = await Promise.all([
        call(t, 'POST', `/api/cohorts/${cohort.id}/assignments`, { token: teacher, body: { exerciseId: id } }),
        call(t, 'DELETE', `/api/exercises/${id}`, { token: teacher }),
      ]);
      // One of the two wins: assigned and kept (the deletion refused), or deleted (the assignment refused).
      const outcome = `${assigned.status}/${deleted.status}`;
      expect(['201/409', '404/204']).toContain(outcome);
      const assignedNow = (await accounts.assignments(cohort.id)).some((a) => a.exerciseId === id);
      expect(assignedNow).toBe(outcome === '201/409');
      expect((await accounts.getExercise('id-teacher', id)) !== null).toBe(outcome === '201/409');
      if (assignedNow) expect((await call(t, 'DELETE', `/api/cohorts/${cohort.id}/assignments/${id}`, { token: teacher })).status).toBe(204);
    }
  });

  it('starts no more assessments than the trainee has attempts when the starts reach two server instances on one store', async () => {
    // A second instance: its own process state (no lock shared with the first), the same stores.
    const second = await startTestServer({ events: slowed(events), accounts: slowed(accounts) });
    try {
      const gina = await join(t, cohort.joinCode, 'gina');
      const assigned = await call(t, 'POST', `/api/cohorts/${cohort.id}/assignments`, { token: teacher, body: { exerciseId: 'direct-london', mode: 'assessment', attempts: 1 } });
      expect(assigned.status, assigned.text).toBe(201);
      const start = (server: TestServer) => call(server, 'POST', '/api/sessions', { token: gina, body: { exerciseId: 'direct-london', mode: 'assessment' } });
      const ginaId = (await accounts.findUserByName('gina'))?.id ?? '';
      const assessments = async () => (await events.listSessions({ owner: ginaId, exerciseId: 'direct-london' })).filter((s) => s.mode === 'assessment').length;
      // One attempt: of a start on each instance at once, one goes through.
      expect((await Promise.all([start(t), start(second)])).map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await assessments()).toBe(1);
      // One more granted: again one of two (the one that lost counts again and finds the attempts used).
      expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/assignments/direct-london/grants`, { token: teacher, body: { traineeId: ginaId } })).status).toBe(201);
      expect((await Promise.all([start(second), start(t)])).map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await assessments()).toBe(2);
    } finally {
      await second.close();
    }
  });
});
