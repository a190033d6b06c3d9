// Hostile and malformed requests (bounded, loopback only): no 5xx, no crash, and the log stays replayable.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';
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
    const stored = await t.events.getSession(sessionId);
    const rebuilt = await rebuildSession(engine, t.events, sessionId);
    expect(rebuilt?.log.length).toBe((stored?.lastSeq ?? -2) + 1);
    expect(t.logs.join('')).not.toContain('"internal error"');
  });
});

// Structured hostility (issue 16): YAML built to hurt the parser, and the routes of a live session (inject,
// undo, hint, inspector), sent many at once. Every answer is below 500 and comes within a bound.
const london = readFileSync(`${BUNDLED_EXERCISES_DIR}/direct-london.yaml`, 'utf8').replace(/^id: direct-london$/m, 'id: fuzz-london');
const aliasBomb = (levels: number, width: number) => {
  const lines = [`b0: &b0 [${Array(width).fill('x').join(', ')}]`];
  for (let i = 1; i <= levels; i += 1) lines.push(`b${i}: &b${i} [${Array.from({ length: width }, () => `*b${i - 1}`).join(', ')}]`);
  return lines.join('\n');
};
const yamlMutation = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 2, max: 12 })).map(([levels, width]) => `${london}\n${aliasBomb(levels, width)}\n`),
  fc.constantFrom('!!binary aGVsbG8=', '!!timestamp 2019-99-99', '!!set {a, b}', '!foo bar', '!!float .nan', '!!int 0x99999999999999999').map((v) => london.replace(/^lesson: .*$/m, `lesson: ${v}`)),
  fc.integer({ min: 10, max: 3_000 }).map((depth) => `${london}\ndeep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
  fc.integer({ min: 10, max: 3_000 }).map((depth) => `${london}\ndeep:\n${Array.from({ length: Math.min(depth, 300) }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} x\n`),
  fc.tuple(fc.constantFrom('a1.', 'a', '8.8.8.8 ', 'aGVsbG8', 'é.', '\u200b'), fc.integer({ min: 50, max: 60_000 })).map(([unit, n]) => london.replace(/^title: .*$/m, `title: "${unit.repeat(n)}"`)),
  fc.constantFrom('+99999999999d', '+0m', '+365d', '+366d', '+1d99999999999h', `+${'9'.repeat(400)}m`).map((at) => london.replace('    when: { state: referral.awaitingAcknowledgement }\n', `    at: ${at}\n`)),
  fc.constantFrom('%YAML 1.1\n---\n', '%YAML 9.9\n---\n', '--- !!map\n', '&root\n').map((head) => `${head}${london.replace(/^# .*\n/, '')}`),
  fc.string({ maxLength: 40 }).map((junk) => london.replace('id: fuzz-london', `id: fuzz-london\n${junk}`)),
);

describe('structured fuzz (issue 16)', () => {
  it('answers hostile YAML uploads below 500 within 2 s each (a 4xx unless the mutation is harmless), and a bystander is never held up', async () => {
    const teacher = tokens[2] ?? '';
    let worst = 0;
    await fc.assert(
      fc.asyncProperty(yamlMutation, async (text) => {
        const started = performance.now();
        const [upload, bystander] = await Promise.all([
          fetch(`${t.url}/api/exercises`, { method: 'POST', headers: { authorization: `Bearer ${teacher}`, 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'fuzz.yaml', text }) }),
          fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${tokens[0] ?? ''}` } }),
        ]);
        const ms = performance.now() - started;
        worst = Math.max(worst, ms);
        const body = await upload.text();
        expect(upload.status, body.slice(0, 300)).toBeLessThan(500);
        expect(bystander.status).toBe(200);
        expect(ms).toBeLessThan(2_000);
        expect(body.length).toBeLessThan(40_000);
        // Anything stored was accepted: delete it so ids stay free.
        if (upload.status === 201) await fetch(`${t.url}/api/exercises/fuzz-london`, { method: 'DELETE', headers: { authorization: `Bearer ${teacher}` } });
      }),
      { numRuns: 120, seed: 20261203 },
    );
    expect(worst).toBeLessThan(2_000);
    expect(t.logs.join('')).not.toContain('"internal error"');
  });

  it('answers concurrent inject, undo, hint, advance and inspector requests below 500', async () => {
    const [alice, , teacher] = tokens as [string, string, string];
    const session = (await startSession(t, alice, 'webmail-houston')).id;
    const route = fc.constantFrom<[string, string, unknown, string]>(
      ['POST', `/api/sessions/${session}/injects`, { injectId: 'acknowledged', expectedSeq: 0 }, teacher],
      ['POST', `/api/sessions/${session}/injects`, { injectId: 'nope', expectedSeq: 0 }, teacher],
      ['POST', `/api/sessions/${session}/undo`, { expectedSeq: 1 }, alice],
      ['POST', `/api/sessions/${session}/undo`, { expectedSeq: 'x' }, alice],
      ['GET', `/api/sessions/${session}/hint`, undefined, alice],
      ['POST', `/api/sessions/${session}/advance`, { ms: 3_600_000 }, alice],
      ['POST', `/api/sessions/${session}/advance`, { ms: 1e300 }, alice],
      ['POST', `/api/sessions/${session}/events`, { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral', reason: 'gооglе.соm' }, eventId: 'z1', expectedSeq: 0 }, alice],
      ['POST', `/api/sessions/${session}/events`, { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'z2', expectedSeq: 0 }, alice],
      ['GET', `/api/inspect/sessions/${session}`, undefined, teacher],
      ['GET', `/api/sessions/${session}/progress`, undefined, teacher],
      ['POST', '/api/inspect/sandboxes', { tipId: 'nope' }, teacher],
      ['GET', `/api/sessions/${session}/debrief`, undefined, teacher],
    );
    await fc.assert(
      fc.asyncProperty(fc.array(route, { minLength: 2, maxLength: 12 }), async (batch) => {
        const started = performance.now();
        const replies = await Promise.all(
          batch.map(([method, p, payload, token]) =>
            fetch(`${t.url}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) }),
          ),
        );
        for (const reply of replies) expect(reply.status, `${reply.url} → ${(await reply.text()).slice(0, 200)}`).toBeLessThan(500);
        expect(performance.now() - started).toBeLessThan(3_000);
      }),
      { numRuns: 60, seed: 20261203 },
    );
    expect(t.logs.join('')).not.toContain('"internal error"');
  });
});
