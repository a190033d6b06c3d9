// A session's log has a maximum length (MAX_SESSION_RECORDS, docs/server.md): a change once it is full is
// answered 422 in plain words, and nothing more is recorded; reading it goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SESSION_RECORDS } from '../../src/server/trainee-events.js';
import { persistNewRecords, rebuildSession } from '../../src/store/sessions.js';
import { engine } from '../engine/helpers.js';
import { call, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let alice: string;

beforeAll(async () => {
  const room = await startClassroom(['alice']);
  ({ t, teacher } = room);
  ({ alice } = room.trainees);
});
afterAll(() => t.close());

describe('the session log limit', () => {
  it(`answers 422 once a session holds ${MAX_SESSION_RECORDS} records, for the trainee's decisions, the clock and the instructor's injects`, async () => {
    const { id, lastSeq } = await startSession(t, alice, 'webmail-houston');
    const triaged = await sendEvent(t, alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'l0', lastSeq);
    expect(triaged.status).toBe(200);
    // Fill the log as a trainee ticking a caveat on and off would, without a thousand requests.
    const session = await rebuildSession(engine, t.events, id);
    if (session === null) throw new Error('no session');
    const persisted = session.log.length - 1;
    const tag = { indicatorId: 'subjects[0].ipEvents[0]', caveat: 'VPN' } as const;
    for (let n = 0; session.log.length < MAX_SESSION_RECORDS - 1; n += 1) {
      expect(engine.send(session, { type: n % 2 === 0 ? 'GEO.TAG' : 'GEO.UNTAG', ...tag }, { eventId: `fill-${n}` }).ok).toBe(true);
    }
    expect((await persistNewRecords(t.events, session, persisted)).ok).toBe(true);
    let seq = MAX_SESSION_RECORDS - 2;
    // One more record fits: the log then holds the maximum.
    const last = await sendEvent(t, alice, id, { type: 'GEO.CONFIRM' }, 'last', seq);
    expect(last.status, last.text).toBe(200);
    seq = (last.body.view as { lastSeq: number }).lastSeq;
    expect(seq).toBe(MAX_SESSION_RECORDS - 1);

    const full = { error: `this session's log is full (${MAX_SESSION_RECORDS} records): nothing more can be recorded in it; start a new session`, limit: MAX_SESSION_RECORDS };
    const refer = await sendEvent(t, alice, id, { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC-HOU' }, 'over', seq);
    expect(refer.status).toBe(422);
    expect(refer.body).toEqual(full);
    const advance = await call(t, 'POST', `/api/sessions/${id}/advance`, { token: alice, body: { ms: 60_000, expectedSeq: seq } });
    expect(advance.status).toBe(422);
    expect(advance.body).toEqual(full);
    const inject = await call(t, 'POST', `/api/sessions/${id}/injects`, { token: teacher, body: { injectId: 'acknowledged', expectedSeq: seq } });
    expect(inject.status).toBe(422);
    expect(await t.events.readLog(id)).toHaveLength(MAX_SESSION_RECORDS);
    expect((await call(t, 'GET', `/api/sessions/${id}`, { token: alice })).status).toBe(200);
  });
});
