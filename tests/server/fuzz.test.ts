// Hostile and malformed requests (bounded, loopback only): no 5xx, no crash, and the log stays replayable.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildSession } from '../../src/store/sessions.js';
import { engine } from '../engine/helpers.js';
import { addInstructor, createCohort, join, login, startSession, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let tokens: string[];
let sessionId: string;
let cohortId: string;

beforeAll(async () => {
  t = await startTestServer();
  await addInstructor(t, 'teacher');
  const teacher = await login(t, 'teacher');
  const cohort = await createCohort(t, teacher);
  const alice = await join(t, cohort.joinCode, 'alice');
  const bob = await join(t, cohort.joinCode, 'bob');
  sessionId = (await startSession(t, alice)).id;
  cohortId = cohort.id;
  tokens = [alice, bob, teacher, 'not-a-token', ''];
});
afterAll(() => t.close());

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const eventType = fc.constantFrom('TRIAGE.ASSIGN', 'GEO.TAG', 'GEO.CONFIRM', 'ROUTE.REFER', 'AGENCY.ACKNOWLEDGE', 'xstate.init', 'NOPE', '');
const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.record({ event: fc.record({ type: eventType, priority: fc.constantFrom('P1', 'P2', 'P3', 7), track: fc.constantFrom('referral', 'informational', null) }, { requiredKeys: ['type'] }), eventId: fc.oneof(fc.string({ maxLength: 90 }), fc.integer()), expectedSeq: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constant('0')) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ ms: fc.oneof(fc.integer(), fc.double(), fc.string()) }).map((v) => JSON.stringify(v)),
  fc.constant(`{"name":"${'x'.repeat(70_000)}"}`),
  fc.constant('{"__proto__": {"admin": true}, "name": "a", "password": "b"}'),
  fc
    .record(
      {
        fileName: fc.constantFrom('a.yaml', '../../etc/a.yaml', 'a.json', 7),
        text: fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('format: tipflow.exercise/1\nid: x\ntip: /etc/passwd\n', 'tip: ../../../etc/hostname\n', '{{{', '')),
        exerciseId: fc.constantFrom('webmail-houston', 'nope', '', 3, null),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);
const path = fc.oneof(
  fc.constantFrom('/api/login', '/api/join', '/api/me', '/api/exercises', '/api/sessions', '/api/cohorts', '/api/cohorts/x/sessions'),
  fc.constantFrom('', '/events', '/advance', '/debrief').map((tail) => `/api/sessions/SESSION${tail}`),
  fc.constantFrom('/assignments', '/release', '/results.csv', '/results.json', '/results.xml').map((tail) => `/api/cohorts/COHORT${tail}`),
  fc.constantFrom('/api/sessions/..%2f..%2fetc', '/api/sessions/%00', '/api/sessions/a%20b/events', '/api/../api/me', '/api/sessions/' + 'a'.repeat(300)),
  fc.string({ maxLength: 40 }).map((s) => `/api/${encodeURIComponent(s)}`),
);

describe('fuzz', () => {
  it('answers 2,000 hostile requests without a 5xx, and the session log still replays', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        path,
        body,
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1'),
        async (method, p, payload, who, type) => {
          count += 1;
          const response = await fetch(`${t.url}${p.replace('SESSION', sessionId).replace('COHORT', cohortId)}`, {
            method,
            headers: { authorization: `Bearer ${tokens[who] ?? ''}`, 'content-type': type },
            ...(method === 'GET' ? {} : { body: payload }),
          });
          const text = await response.text();
          expect(response.status, `${method} ${p} → ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
        },
      ),
      { numRuns: 2_000, seed: 20261129 },
    );
    expect(count).toBe(2_000);
    const stored = t.events.getSession(sessionId);
    const rebuilt = rebuildSession(engine, t.events, sessionId);
    expect(rebuilt?.log.length).toBe((stored?.lastSeq ?? -2) + 1);
    expect(t.logs.join('')).not.toContain('"internal error"');
  });
});
