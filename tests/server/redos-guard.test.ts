// The ReDoS guard of issue 16: every free field at its maximum and 10× over it, filled with the patterns that
// make backtracking checks quadratic, is answered within 100 ms, and a concurrent request is not delayed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';
import { addInstructor, call, createCohort, join, login, PASSWORD, startTestServer, type TestServer } from './helpers.js';

const london = readFileSync(`${BUNDLED_EXERCISES_DIR}/direct-london.yaml`, 'utf8').replace(/^id: direct-london$/m, 'id: redos');
const BOUND_MS = 100;
const ACCEPTED_MS = 500;
const timings: { field: string; unit: string; length: number; status: number; ms: number }[] = [];

let t: TestServer;
let teacher: string;
let alice: string;
let code: string;

beforeAll(async () => {
  t = await startTestServer();
  await addInstructor(t, 'teacher');
  teacher = await login(t, 'teacher');
  code = (await createCohort(t, teacher)).joinCode;
  alice = await join(t, code, 'alice');
  // Warm up: the first upload loads the validator's modules.
  await call(t, 'POST', '/api/exercises', { token: teacher, body: { fileName: 'warm.yaml', text: london.replace('id: redos', 'id: warm') } });
});
afterAll(async () => {
  if (process.env.REDOS_TIMINGS === '1') {
    const refused = timings.filter((x) => x.status !== 201).map((x) => x.ms).sort((a, b) => a - b);
    const accepted = timings.filter((x) => x.status === 201).map((x) => x.ms).sort((a, b) => a - b);
    const q = (xs: number[], p: number) => (xs[Math.floor(p * (xs.length - 1))] ?? 0).toFixed(1);
    process.stdout.write(`refused ${refused.length}: median ${q(refused, 0.5)} ms, max ${q(refused, 1)} ms; accepted ${accepted.length}: median ${q(accepted, 0.5)} ms, max ${q(accepted, 1)} ms\n`);
  }
  await t.close();
});

/** Fields of an uploaded exercise, each with its maximum and how to put a value there. */
const FIELDS: [string, number, (value: string) => string][] = [
  ['title', 100, (v) => london.replace(/^title: .*$/m, `title: "${v}"`)],
  ['summary', 600, (v) => london.replace(/^summary: >-\n( {2}.*\n)+/m, `summary: "${v}"\n`)],
  ['objective description', 300, (v) => london.replace(/^ {4}description: Assign.*$/m, `    description: "${v}"`)],
  ['inject message', 400, (v) => london.replace(/^ {4}message: "\{agency\} acknowledges the referral\."$/m, `    message: "${v}"`)],
  ['hint', 300, (v) => london.replace(/^ {4}hint: Unsolicited.*$/m, `    hint: "${v}"`)],
  ['espName', 80, (v) => london.replace('espName: Example Video (fictional)', `espName: "${v}"`)],
  ['screenName', 80, (v) => london.replace('screenName: tower_bridge_77', `screenName: "${v}"`)],
  ['email', 254, (v) => london.replace('screenName: tower_bridge_77', `screenName: tower_bridge_77\n      email: "${v}@example.com"`)],
  ['url', 200, (v) => london.replace('https://video.example.com/messages', `https://video.example.com/${v}`)],
];
const UNITS = ['a1.', 'a.', '1.', 'aA1', '0x1.', '1:', 'é.', '。a', 'a-'];

async function timedUpload(text: string): Promise<{ status: number; ms: number; bystanderMs: number }> {
  const started = performance.now();
  let bystanderMs = 0;
  const [reply] = await Promise.all([
    call(t, 'POST', '/api/exercises', { token: teacher, body: { fileName: 'redos.yaml', text } }),
    (async () => {
      const s = performance.now();
      await call(t, 'GET', '/api/me', { token: alice });
      bystanderMs = performance.now() - s;
    })(),
  ]);
  const ms = performance.now() - started;
  if (reply.status === 201) await call(t, 'DELETE', '/api/exercises/redos', { token: teacher });
  return { status: reply.status, ms, bystanderMs };
}

describe('ReDoS guard', () => {
  it.each(FIELDS)('the %s at its maximum (%i) and 10× over it', async (_name, max, put) => {
    for (const unit of UNITS) {
      for (const length of [max, 10 * max]) {
        const value = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        // The better of two tries: a quadratic check is slow both times, a busy machine (2 shared cores) rarely twice.
        const first = await timedUpload(put(value));
        const { status, ms, bystanderMs } = first.ms < BOUND_MS ? first : await timedUpload(put(value));
        expect(status, `${unit} × ${length}`).toBeLessThan(500);
        if (length > max) expect(status, `${unit} × ${length}`).toBe(422);
        // A refused value is answered within the bound; an accepted one also runs the exercise's solvability
        // check (the engine plays it), which the bound is not about, so it gets ACCEPTED_MS.
        expect(ms, `${unit} × ${length}: ${status}`).toBeLessThan(status === 201 ? ACCEPTED_MS : BOUND_MS);
        expect(bystanderMs).toBeLessThan(status === 201 ? ACCEPTED_MS : BOUND_MS);
        timings.push({ field: _name, unit, length, status, ms });
      }
    }
  });

  it.each([
    ['a cohort name', 80, (v: string) => call(t, 'POST', '/api/cohorts', { token: teacher, body: { name: v } })],
    // A wrong code: the name is checked first, and no password is hashed (scrypt's time is not a pattern's).
    ['an account name', 40, (v: string) => call(t, 'POST', '/api/join', { body: { code: 'WRONGCODE', name: v, password: PASSWORD } })],
    ['a decision reason', 80, (v: string) => call(t, 'POST', '/api/sessions/nope/events', { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', reason: v }, eventId: 'r', expectedSeq: 0 } })],
  ] as const)('%s at its maximum (%i) and 10× over it', async (_name, max, send) => {
    for (const unit of UNITS) {
      for (const length of [max, 10 * max]) {
        const value = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        const tries = [];
        for (let i = 0; i < 2; i += 1) {
          const started = performance.now();
          const reply = await send(value);
          expect(reply.status).toBeLessThan(500);
          tries.push(performance.now() - started);
        }
        expect(Math.min(...tries)).toBeLessThan(BOUND_MS);
      }
    }
  });
});
