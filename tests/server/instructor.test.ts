// Instructor features of issue 6: uploading exercises, assigning them, releasing debriefs, exporting results.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { loadServerExercises } from '../../src/server/exercises.js';
import { createLogger } from '../../src/server/logger.js';
import { csvValue } from '../../src/server/results.js';
import { engine } from '../engine/helpers.js';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';
import { call, createCohort, join, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let other: string;
let alice: string;
let carol: string;
let dave: string;
let cohortId: string;
let assignedId: string;
let otherCohortId: string;

const bundled = (name: string) => readFileSync(`${BUNDLED_EXERCISES_DIR}/${name}.yaml`, 'utf8');
const london = bundled('direct-london');
const myLondon = london.replace(/^id: direct-london$/m, 'id: my-london');
const upload = (token: string, text: string, fileName = 'my-london.yaml') => call(t, 'POST', '/api/exercises', { token, body: { fileName, text } });
const ids = async (token: string) => ((await call(t, 'GET', '/api/exercises', { token })).body.exercises as { id: string }[]).map((e) => e.id);
const send = (token: string, id: string, event: unknown, eventId: string, expectedSeq: number) => sendEvent(t, token, id, event, eventId, expectedSeq);

/** Plays webmail-houston to its close as the rule book would. */
async function playHouston(token: string): Promise<string> {
  const { id } = await startSession(t, token, 'webmail-houston');
  expect((await send(token, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'e1', 0)).status).toBe(200);
  const confirmed = await send(token, id, { type: 'GEO.CONFIRM' }, 'e2', 1);
  const referred = await send(token, id, { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC-HOU' }, 'e3', (confirmed.body.view as { lastSeq: number }).lastSeq);
  expect(referred.body.view).toMatchObject({ closed: true });
  return id;
}

beforeAll(async () => {
  const room = await startClassroom(['alice']);
  ({ t, teacher, other } = room);
  alice = room.trainees.alice;
  const assigned = await createCohort(t, teacher, 'Assigned class');
  const otherCohort = await createCohort(t, other, 'Evening class');
  cohortId = room.cohort.id;
  assignedId = assigned.id;
  otherCohortId = otherCohort.id;
  dave = await join(t, assigned.joinCode, 'dave');
  carol = await join(t, otherCohort.joinCode, 'carol');
});
afterAll(() => t.close());

describe('uploading an exercise', () => {
  it('refuses trainees, bad file names and oversized texts', async () => {
    expect((await upload(alice, myLondon)).status).toBe(403);
    expect((await upload(teacher, myLondon, '../x.yaml')).status).toBe(400);
    expect((await upload(teacher, myLondon, 'x.json')).status).toBe(400);
    expect((await call(t, 'POST', '/api/exercises', { token: teacher, body: { fileName: 'x.yaml' } })).status).toBe(400);
    const big = await upload(teacher, `# ${'x'.repeat(205 * 1024)}\n${myLondon}`);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/200 kB/);
    expect((await upload(teacher, 'x'.repeat(600 * 1024))).status).toBe(413);
  });

  it('answers 422 with line-numbered diagnostics, and asks for an inline tip', async () => {
    const lines = myLondon.trimEnd().split('\n');
    const broken = await upload(teacher, `${lines.join('\n')}\nbogus: 1\n`);
    expect(broken.status).toBe(422);
    expect(broken.body.error).toBeTruthy();
    const diagnostics = broken.body.diagnostics as { line: number; column: number; severity: string; message: string }[];
    expect(diagnostics).toContainEqual({ line: lines.length + 1, column: 1, severity: 'error', message: expect.stringMatching(/bogus/) });
    expect(Object.keys(diagnostics[0] ?? {}).sort()).toEqual(['column', 'line', 'message', 'severity']);

    const withPath = await upload(teacher, bundled('webmail-houston').replace(/^id: webmail-houston$/m, 'id: my-houston'));
    expect(withPath.status).toBe(422);
    const tipLine = bundled('webmail-houston').split('\n').findIndex((l) => l.startsWith('tip:')) + 1;
    expect(withPath.body.diagnostics).toContainEqual({ line: tipLine, column: expect.any(Number), severity: 'error', message: expect.stringMatching(/inline/) });
    expect(withPath.text).not.toContain(BUNDLED_EXERCISES_DIR);
    expect(await ids(teacher)).not.toContain('my-houston');
  });

  it('stores a valid exercise (201), and refuses an id that is taken (409)', async () => {
    expect((await upload(teacher, london, 'direct-london.yaml')).status).toBe(409);
    const created = await upload(teacher, myLondon);
    expect(created.status).toBe(201);
    expect(created.body.exercise).toMatchObject({ id: 'my-london' });
    expect((await upload(teacher, myLondon)).status).toBe(409);
    expect((await upload(other, myLondon)).status).toBe(409);
    expect(t.accounts.getExercise('my-london')).toMatchObject({ instructorId: 'id-teacher', fileName: 'my-london.yaml', text: myLondon });
  });

  it("lists it for its instructor and their trainees only, who can start sessions from it", async () => {
    expect(await ids(teacher)).toContain('my-london');
    expect(await ids(alice)).toContain('my-london');
    expect(await ids(other)).not.toContain('my-london');
    expect(await ids(carol)).not.toContain('my-london');
    const view = await startSession(t, alice, 'my-london');
    expect(view).toMatchObject({ exerciseId: 'my-london', closed: false });
    expect((await call(t, 'POST', '/api/sessions', { token: carol, body: { exerciseId: 'my-london', mode: 'practice' } })).status).toBe(404);
    expect((await call(t, 'GET', `/api/sessions/${view.id}`, { token: teacher })).status).toBe(200);
  });

  it('keeps uploads in the store: a new app on the same database offers them', async () => {
    const app = createApp({ engine, events: t.events, accounts: t.accounts, exercises: loadServerExercises(), logger: createLogger({ level: 'silent' }) });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const reply = await fetch(`http://127.0.0.1:${port}/api/exercises`, { headers: { authorization: `Bearer ${alice}` } });
      expect(((await reply.json()) as { exercises: { id: string }[] }).exercises.map((e) => e.id)).toContain('my-london');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('assigning exercises to a cohort', () => {
  it('assigns bundled and own exercises only, to own cohorts only', async () => {
    expect((await call(t, 'GET', `/api/cohorts/${assignedId}/assignments`, { token: teacher })).body).toEqual({ assignments: [] });
    expect((await ids(dave)).length).toBeGreaterThan(2); // nothing assigned: every bundled exercise and the uploads
    expect(await ids(dave)).toContain('my-london');
    const assigned = await call(t, 'POST', `/api/cohorts/${assignedId}/assignments`, { token: teacher, body: { exerciseId: 'webmail-houston' } });
    expect(assigned.status).toBe(201);
    expect(assigned.body.assignment).toMatchObject({ exerciseId: 'webmail-houston' });
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/assignments`, { token: teacher, body: { exerciseId: 'webmail-houston' } })).status).toBe(201);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/assignments`, { token: teacher, body: { exerciseId: 'my-london' } })).status).toBe(201);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/assignments`, { token: teacher, body: { exerciseId: 'nope' } })).status).toBe(404);
    expect((await call(t, 'POST', `/api/cohorts/${otherCohortId}/assignments`, { token: other, body: { exerciseId: 'my-london' } })).status).toBe(404);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/assignments`, { token: other, body: { exerciseId: 'webmail-houston' } })).status).toBe(404);
    expect((await call(t, 'GET', `/api/cohorts/${assignedId}/assignments`, { token: other })).status).toBe(404);
    expect((await call(t, 'GET', `/api/cohorts/${assignedId}/assignments`, { token: dave })).status).toBe(403);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/assignments`, { token: teacher, body: { exerciseId: 'webmail-houston', x: 1 } })).status).toBe(400);
    const list = await call(t, 'GET', `/api/cohorts/${assignedId}/assignments`, { token: teacher });
    expect((list.body.assignments as { exerciseId: string }[]).map((a) => a.exerciseId)).toEqual(['webmail-houston', 'my-london']);
  });

  it("offers a trainee only their cohort's assignments, and refuses the others (403)", async () => {
    expect((await ids(dave)).sort()).toEqual(['my-london', 'webmail-houston']);
    expect(await ids(alice)).toContain('direct-london'); // alice's cohort has no assignments
    const refused = await call(t, 'POST', '/api/sessions', { token: dave, body: { exerciseId: 'direct-london', mode: 'practice' } });
    expect(refused.status).toBe(403);
    expect((await call(t, 'POST', '/api/sessions', { token: dave, body: { exerciseId: 'nope', mode: 'practice' } })).status).toBe(404);
    expect((await startSession(t, dave, 'my-london')).exerciseId).toBe('my-london');
  });
});

describe('taking an exercise off a cohort', () => {
  it('unassigns for its instructor only; trainees no longer see it, their started sessions go on', async () => {
    const cohort = await createCohort(t, teacher, 'Unassign class');
    const erin = await join(t, cohort.joinCode, 'erin');
    const path = (id: string) => `/api/cohorts/${cohort.id}/assignments/${id}`;
    for (const exerciseId of ['webmail-houston', 'direct-london']) expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/assignments`, { token: teacher, body: { exerciseId } })).status).toBe(201);
    const started = await startSession(t, erin, 'direct-london');
    expect((await call(t, 'DELETE', path('direct-london'), { token: erin })).status).toBe(403);
    expect((await call(t, 'DELETE', path('direct-london'), { token: other })).status).toBe(404);
    expect((await call(t, 'DELETE', path('../x'), { token: teacher })).status).toBe(404);
    expect((await call(t, 'DELETE', path('Bad_Id'), { token: teacher })).status).toBe(400);
    expect((await call(t, 'DELETE', path('direct-london'), { token: teacher })).status).toBe(204);
    expect((await call(t, 'DELETE', path('direct-london'), { token: teacher })).status).toBe(404);
    expect(await ids(erin)).toEqual(['webmail-houston']);
    expect((await call(t, 'POST', '/api/sessions', { token: erin, body: { exerciseId: 'direct-london', mode: 'practice' } })).status).toBe(403);
    expect((await call(t, 'GET', `/api/sessions/${started.id}`, { token: erin })).status).toBe(200);
  });
});

describe('releasing debriefs', () => {
  it('keeps a closed debrief from the trainee until the instructor releases it', async () => {
    const id = await playHouston(dave);
    const before = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: dave });
    expect(before.status).toBe(403);
    expect(before.body.error).toMatch(/release/);
    expect((await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: teacher })).status).toBe(200);
    // Another exercise's release, another cohort's, or someone else's instructor: still closed to dave.
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/release`, { token: teacher, body: { exerciseId: 'my-london' } })).status).toBe(201);
    expect((await call(t, 'POST', `/api/cohorts/${cohortId}/release`, { token: teacher, body: {} })).status).toBe(201);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/release`, { token: other, body: {} })).status).toBe(404);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/release`, { token: dave, body: {} })).status).toBe(403);
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/release`, { token: teacher, body: { exerciseId: 'nope' } })).status).toBe(404);
    expect((await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: dave })).status).toBe(403);

    const released = await call(t, 'POST', `/api/cohorts/${assignedId}/release`, { token: teacher, body: { exerciseId: 'webmail-houston' } });
    expect(released.status).toBe(201);
    expect((released.body.releases as { exerciseId: string }[]).map((r) => r.exerciseId)).toEqual(['my-london', 'webmail-houston']);
    const after = await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: dave });
    expect(after.status).toBe(200);
    expect((after.body.debrief as { overall: { rating: string } }).overall.rating).toBe('P');
  });

  it('releases every exercise of a cohort without an exerciseId, but never an open session', async () => {
    // alice's cohort released everything above.
    const id = await playHouston(alice);
    expect((await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: alice })).status).toBe(200);
    const open = await startSession(t, alice, 'my-london');
    expect((await call(t, 'GET', `/api/sessions/${open.id}/debrief`, { token: alice })).status).toBe(403);
  });
});

describe('exporting results', () => {
  it('gives one row per session as JSON', async () => {
    const reply = await call(t, 'GET', `/api/cohorts/${assignedId}/results.json`, { token: teacher });
    expect(reply.status).toBe(200);
    const rows = reply.body.results as Record<string, unknown>[];
    const daveId = ((await call(t, 'GET', '/api/me', { token: dave })).body.user as { id: string }).id;
    expect(rows).toHaveLength(t.events.listSessions({ owner: daveId }).length);
    expect(rows).toHaveLength(2);
    const closed = rows.find((r) => r.exerciseId === 'webmail-houston');
    expect(closed).toMatchObject({ trainee: 'dave', mode: 'practice', closed: true, outcome: 'referred', overallRating: 'P', decisions: { right: 3, partly: 0, wrong: 0 }, simulatedMs: expect.any(Number) });
    expect(Object.values(closed?.objectives as Record<string, string>)).toEqual(expect.arrayContaining(['P']));
    expect(rows.find((r) => r.exerciseId === 'my-london')).toMatchObject({ trainee: 'dave', closed: false });
  });

  it('gives the same rows as RFC 4180 CSV with a header', async () => {
    const response = await fetch(`${t.url}/api/cohorts/${assignedId}/results.csv`, { headers: { authorization: `Bearer ${teacher}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toMatch(/^"session","trainee","exercise","mode","closed","outcome","overall rating","overall score",("objective:[a-z-]+",)+"right","partly right","wrong","simulated ms","simulated time"$/);
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => /^"[^"]+","dave","webmail-houston","practice","true","referred","P",/.test(l))).toBe(true);
    expect(csvValue('a "b", c')).toBe('"a ""b"", c"');
    expect(csvValue(null)).toBe('""');
  });

  it('is for the cohort instructor only', async () => {
    for (const path of ['results.csv', 'results.json']) {
      expect((await call(t, 'GET', `/api/cohorts/${assignedId}/${path}`, { token: other })).status).toBe(404);
      expect((await call(t, 'GET', `/api/cohorts/${assignedId}/${path}`, { token: dave })).status).toBe(403);
      expect((await call(t, 'GET', `/api/cohorts/nope/${path}`, { token: teacher })).status).toBe(404);
    }
  });
});
