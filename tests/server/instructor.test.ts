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
    // Ids are per instructor (another instructor's upload of the same id is theirs: tests/server/hardening.test.ts).
    const stored = await t.accounts.getExercise('id-teacher', 'my-london');
    expect(stored).toMatchObject({ instructorId: 'id-teacher', fileName: 'my-london.yaml' });
    // Kept as the parsed document written out again: the file's comments are not stored.
    expect(myLondon).toContain('# yaml-language-server');
    expect(stored?.text).not.toContain('#');
    expect(stored?.text).toMatch(/^id: my-london$/m);
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
    expect(rows).toHaveLength((await t.events.listSessions({ owner: daveId })).length);
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

describe('deleting an uploaded exercise', () => {
  const withId = (text: string, from: string, id: string, title?: string) => {
    const renamed = text.replace(new RegExp(`^id: ${from}$`, 'm'), `id: ${id}`);
    return title === undefined ? renamed : renamed.replace(/^title: .*$/m, `title: ${title}`);
  };
  const remove = (token: string, id: string) => call(t, 'DELETE', `/api/exercises/${id}`, { token });
  const assign = (token: string, cohort: string, exerciseId: string) => call(t, 'POST', `/api/cohorts/${cohort}/assignments`, { token, body: { exerciseId } });

  /** Plays an upload of direct-london to its close as the rule book would. */
  async function playLondon(token: string, id: string, from: { lastSeq: number }): Promise<void> {
    const triaged = await send(token, id, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 'l1', from.lastSeq);
    expect(triaged.status).toBe(200);
    const confirmed = await send(token, id, { type: 'GEO.CONFIRM' }, 'l2', (triaged.body.view as { lastSeq: number }).lastSeq);
    expect(confirmed.status).toBe(200);
    const referred = await send(token, id, { type: 'ROUTE.REFER', jurisdictionId: 'GB-NAT' }, 'l3', (confirmed.body.view as { lastSeq: number }).lastSeq);
    expect(referred.body.view).toMatchObject({ closed: true, outcome: 'referred' });
  }

  it('lists uploads as uploaded, and bundled exercises not', async () => {
    const list = (await call(t, 'GET', '/api/exercises', { token: teacher })).body.exercises as { id: string; uploaded: boolean }[];
    expect(list.find((e) => e.id === 'my-london')?.uploaded).toBe(true);
    expect(list.find((e) => e.id === 'direct-london')?.uploaded).toBe(false);
    expect((await upload(teacher, withId(london, 'direct-london', 'listed-london'), 'listed-london.yaml')).body.exercise).toMatchObject({ id: 'listed-london', uploaded: true });
  });

  it("refuses trainees and bundled exercises (403), and answers another instructor's upload as an unknown id (404)", async () => {
    expect((await upload(teacher, withId(london, 'direct-london', 'keep-london'), 'keep-london.yaml')).status).toBe(201);
    expect((await remove(alice, 'keep-london')).status).toBe(403);
    const bundledOne = await remove(teacher, 'direct-london');
    expect(bundledOne.status).toBe(403);
    expect(bundledOne.body.error).toBe('bundled exercises cannot be deleted');
    const othersUpload = await remove(other, 'keep-london');
    const unknown = await remove(other, 'no-such-upload');
    expect(othersUpload.status).toBe(404);
    expect(othersUpload.body).toEqual(unknown.body);
    expect(unknown.status).toBe(404);
    expect((await remove(teacher, 'Bad_Id')).status).toBe(400);
    expect((await call(t, 'DELETE', '/api/exercises/keep-london')).status).toBe(401);
    expect(await ids(teacher)).toContain('keep-london');
    expect(await t.accounts.getExercise('id-teacher', 'keep-london')).not.toBeNull();
  });

  it("refuses while it is assigned to the instructor's cohorts, naming them (409), then deletes it (204)", async () => {
    expect((await upload(teacher, withId(london, 'direct-london', 'busy-london'), 'busy-london.yaml')).status).toBe(201);
    const first = await createCohort(t, teacher, 'Delete class A');
    const second = await createCohort(t, teacher, 'Delete class B');
    expect((await assign(teacher, first.id, 'busy-london')).status).toBe(201);
    expect((await assign(teacher, second.id, 'busy-london')).status).toBe(201);

    const both = await remove(teacher, 'busy-london');
    expect(both.status).toBe(409);
    expect(both.body.error).toBe('busy-london is assigned to the cohorts "Delete class A" and "Delete class B": unassign it first');
    expect(both.body.cohorts).toEqual([
      { id: first.id, name: 'Delete class A' },
      { id: second.id, name: 'Delete class B' },
    ]);
    expect((await call(t, 'DELETE', `/api/cohorts/${first.id}/assignments/busy-london`, { token: teacher })).status).toBe(204);
    const one = await remove(teacher, 'busy-london');
    expect(one.status).toBe(409);
    expect(one.body.error).toBe('busy-london is assigned to the cohort "Delete class B": unassign it first');
    expect(await ids(teacher)).toContain('busy-london');

    expect((await call(t, 'DELETE', `/api/cohorts/${second.id}/assignments/busy-london`, { token: teacher })).status).toBe(204);
    const deleted = await remove(teacher, 'busy-london');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(await ids(teacher)).not.toContain('busy-london');
    expect(await t.accounts.getExercise('id-teacher', 'busy-london')).toBeNull();
    expect((await remove(teacher, 'busy-london')).status).toBe(404);
    expect((await assign(teacher, first.id, 'busy-london')).status).toBe(404);
    expect((await call(t, 'GET', '/api/exercises/busy-london/injects', { token: teacher })).status).toBe(404);
  });

  it('keeps sessions started from it working: they step, their injects can still be sent, and their debrief grades', async () => {
    expect((await upload(teacher, withId(london, 'direct-london', 'gone-london'), 'gone-london.yaml')).status).toBe(201);
    const cohort = await createCohort(t, teacher, 'Deleting class');
    const frank = await join(t, cohort.joinCode, 'frank');
    const started = await startSession(t, frank, 'gone-london');
    expect((await remove(teacher, 'gone-london')).status).toBe(204);

    // No longer offered: not to its trainees, nor to start again.
    expect(await ids(frank)).not.toContain('gone-london');
    expect((await call(t, 'POST', '/api/sessions', { token: frank, body: { exerciseId: 'gone-london', mode: 'practice' } })).status).toBe(404);
    // The instructor still sees the session's injects, from the session's own copy; another instructor does not.
    const injects = await call(t, 'GET', '/api/exercises/gone-london/injects', { token: teacher });
    expect(injects.status).toBe(200);
    expect(injects.body.exerciseId).toBe('gone-london');
    expect((await call(t, 'GET', '/api/exercises/gone-london/injects', { token: other })).status).toBe(404);

    await playLondon(frank, started.id, started);
    expect((await call(t, 'GET', `/api/sessions/${started.id}/debrief`, { token: frank })).status).toBe(403);
    const forTeacher = await call(t, 'GET', `/api/sessions/${started.id}/debrief`, { token: teacher });
    expect(forTeacher.status).toBe(200);
    expect(forTeacher.body.debrief).toMatchObject({ exercise: { id: 'gone-london' }, overall: { rating: 'P' } });
    // Its debriefs can still be released by its id, to the cohort whose trainees played it.
    expect((await call(t, 'POST', `/api/cohorts/${assignedId}/release`, { token: teacher, body: { exerciseId: 'gone-london' } })).status).toBe(404);
    expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/release`, { token: teacher, body: { exerciseId: 'gone-london' } })).status).toBe(201);
    const forFrank = await call(t, 'GET', `/api/sessions/${started.id}/debrief`, { token: frank });
    expect(forFrank.status).toBe(200);
    expect(forFrank.body.debrief).toEqual(forTeacher.body.debrief);
    const rows = (await call(t, 'GET', `/api/cohorts/${cohort.id}/results.json`, { token: teacher })).body.results as Record<string, unknown>[];
    expect(rows).toEqual([expect.objectContaining({ trainee: 'frank', exerciseId: 'gone-london', closed: true, overallRating: 'P' })]);
  });

  it('forgets the deleted upload: its id, uploaded again by another instructor, is theirs', async () => {
    expect((await upload(teacher, withId(london, 'direct-london', 'reused-london', 'First London'), 'reused-london.yaml')).status).toBe(201);
    expect(((await call(t, 'GET', '/api/exercises', { token: alice })).body.exercises as { id: string; title: string }[]).find((e) => e.id === 'reused-london')?.title).toBe('First London');
    expect((await remove(teacher, 'reused-london')).status).toBe(204);
    expect((await upload(other, withId(london, 'direct-london', 'reused-london', 'Second London'), 'reused-london.yaml')).status).toBe(201);
    const listed = (await call(t, 'GET', '/api/exercises', { token: other })).body.exercises as { id: string; title: string }[];
    expect(listed.find((e) => e.id === 'reused-london')?.title).toBe('Second London');
    expect(await ids(alice)).not.toContain('reused-london');
    expect((await remove(teacher, 'reused-london')).status).toBe(404);
  });
});

describe('withdrawing a released debrief', () => {
  const withdraw = (token: string, cohort: string, exerciseId?: string) => call(t, 'DELETE', `/api/cohorts/${cohort}/release${exerciseId === undefined ? '' : `?exerciseId=${exerciseId}`}`, { token });
  const release = (token: string, cohort: string, body: unknown) => call(t, 'POST', `/api/cohorts/${cohort}/release`, { token, body });
  const releasedIds = async (cohort: string) => ((await call(t, 'GET', `/api/cohorts/${cohort}/releases`, { token: teacher })).body.releases as { exerciseId: string | null }[]).map((r) => r.exerciseId);

  it("is for the cohort's instructor only, takes the exercise in the query, and answers 404 when there was no such release", async () => {
    const cohort = await createCohort(t, teacher, 'Withdraw rules class');
    const hank = await join(t, cohort.joinCode, 'hank');
    expect((await release(teacher, cohort.id, { exerciseId: 'webmail-houston' })).status).toBe(201);
    expect((await withdraw(hank, cohort.id, 'webmail-houston')).status).toBe(403);
    expect((await withdraw(other, cohort.id, 'webmail-houston')).status).toBe(404);
    expect((await withdraw(teacher, 'no-such-cohort', 'webmail-houston')).status).toBe(404);
    expect((await withdraw(teacher, cohort.id, 'Bad_Id')).status).toBe(400);
    expect((await call(t, 'DELETE', `/api/cohorts/${cohort.id}/release?exerciseId=a&exerciseId=b`, { token: teacher })).status).toBe(400);
    const unknownField = await call(t, 'DELETE', `/api/cohorts/${cohort.id}/release?exercise=webmail-houston`, { token: teacher });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.issues).toEqual([{ path: 'exercise', message: 'unknown field' }]);
    // A body (as POST takes) is refused, not ignored: ignored, it would withdraw the release of every exercise.
    const withBody = await call(t, 'DELETE', `/api/cohorts/${cohort.id}/release`, { token: teacher, body: { exerciseId: 'webmail-houston' } });
    expect(withBody.status).toBe(400);
    expect(JSON.stringify(withBody.body.issues)).toMatch(/\?exerciseId=/);
    const none = await withdraw(teacher, cohort.id);
    expect(none.status).toBe(404);
    expect(none.body.error).toBe('the debriefs of every exercise are not released to this cohort');
    expect((await withdraw(teacher, cohort.id, 'direct-london')).status).toBe(404);
    expect((await call(t, 'GET', `/api/cohorts/${cohort.id}/releases`, { token: hank })).status).toBe(403);
    expect((await call(t, 'GET', `/api/cohorts/${cohort.id}/releases`, { token: other })).status).toBe(404);
    expect(await releasedIds(cohort.id)).toEqual(['webmail-houston']);
  });

  it('closes the debrief to the trainee again (403) until the next release; the instructor still reads it', async () => {
    const cohort = await createCohort(t, teacher, 'Withdraw class');
    const gina = await join(t, cohort.joinCode, 'gina');
    const id = await playHouston(gina);
    const debrief = () => call(t, 'GET', `/api/sessions/${id}/debrief`, { token: gina });

    expect((await release(teacher, cohort.id, { exerciseId: 'webmail-houston' })).status).toBe(201);
    expect((await debrief()).status).toBe(200);
    const withdrawn = await withdraw(teacher, cohort.id, 'webmail-houston');
    expect(withdrawn.status).toBe(204);
    expect(withdrawn.text).toBe('');
    const hidden = await debrief();
    expect(hidden.status).toBe(403);
    expect(hidden.body.error).toMatch(/releases it/);
    expect((await call(t, 'GET', `/api/sessions/${id}/debrief`, { token: teacher })).status).toBe(200);
    expect((await withdraw(teacher, cohort.id, 'webmail-houston')).status).toBe(404);
    expect(await releasedIds(cohort.id)).toEqual([]);

    // Without exerciseId: the release of every exercise, and only it.
    expect((await release(teacher, cohort.id, {})).status).toBe(201);
    expect((await debrief()).status).toBe(200);
    expect((await withdraw(teacher, cohort.id)).status).toBe(204);
    expect((await debrief()).status).toBe(403);
    expect((await release(teacher, cohort.id, {})).status).toBe(201);
    expect((await release(teacher, cohort.id, { exerciseId: 'webmail-houston' })).status).toBe(201);
    expect(await releasedIds(cohort.id)).toEqual([null, 'webmail-houston']);
    expect((await withdraw(teacher, cohort.id)).status).toBe(204);
    expect(await releasedIds(cohort.id)).toEqual(['webmail-houston']);
    expect((await debrief()).status).toBe(200);
  });
});
