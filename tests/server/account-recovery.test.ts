// Accounts that can be recovered (issue 18, item 3): the cohort's instructor resets a trainee's password to a
// one-time one (shown once; the trainee's sign-ins end; it opens nothing but the change of password, and
// works once), changing one's password needs the current one, both are rate-limited, and a trainee may give
// a display name with spaces apart from the sign-in name.
import { afterEach, describe, expect, it } from 'vitest';
import { addInstructor, call, createCohort, login, PASSWORD, startClassroom, startSession, startTestServer, type TestServer } from './helpers.js';

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const resetPath = (cohortId: string, userId: string) => `/api/cohorts/${cohortId}/members/${userId}/password`;

async function classroom() {
  const room = await startClassroom(['ada', 'bob']);
  t = room.t;
  const ada = await room.t.accounts.findUserByName('ada');
  if (ada === null) throw new Error('ada did not join');
  return { ...room, adaId: ada.id };
}

describe("an instructor resets a trainee's password", () => {
  it('gives a one-time password shown once, ends the trainee’s sign-ins, and opens nothing but the change of password', async () => {
    const { t, teacher, cohort, trainees, adaId } = await classroom();
    const reset = await call(t, 'POST', resetPath(cohort.id, adaId), { token: teacher });
    expect(reset.status).toBe(200);
    const password = reset.body.password as string;
    expect(password).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect(reset.body).toMatchObject({ trainee: { id: adaId, name: 'ada', displayName: null }, signedOut: 1 });
    // The old sign-in ended at once, and the old password no longer opens the account.
    expect((await call(t, 'GET', '/api/me', { token: trainees.ada })).status).toBe(401);
    expect((await call(t, 'POST', '/api/login', { body: { name: 'ada', password: PASSWORD } })).status).toBe(401);

    // The one-time password signs in, to choose a new password and nothing else.
    const signedIn = await call(t, 'POST', '/api/login', { body: { name: 'ada', password } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ name: 'ada', mustChangePassword: true });
    const token = signedIn.body.token as string;
    expect((await call(t, 'GET', '/api/me', { token })).body.user).toMatchObject({ mustChangePassword: true });
    const blocked = await call(t, 'GET', '/api/sessions', { token });
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ code: 'password-change-required' });
    expect((await call(t, 'POST', '/api/sessions', { token, body: { exerciseId: 'webmail-houston', mode: 'practice' } })).status).toBe(403);

    expect((await call(t, 'POST', '/api/password', { token, body: { current: password, next: 'ada-chose-this-one' } })).status).toBe(204);
    const me = await call(t, 'GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user).not.toHaveProperty('mustChangePassword');
    expect((await call(t, 'GET', '/api/sessions', { token })).status).toBe(200);
    // One time only: the reset password is gone, the chosen one works.
    expect((await call(t, 'POST', '/api/login', { body: { name: 'ada', password } })).status).toBe(401);
    expect((await call(t, 'POST', '/api/login', { body: { name: 'ada', password: 'ada-chose-this-one' } })).status).toBe(200);
  });

  it('is for the instructor of the trainee’s cohort only: 404 for another instructor, 403 for a trainee, 404 for a non-member', async () => {
    const { t, teacher, other, cohort, trainees, adaId } = await classroom();
    expect((await call(t, 'POST', resetPath(cohort.id, adaId), { token: other })).status).toBe(404);
    expect((await call(t, 'POST', resetPath(cohort.id, adaId), { token: trainees.bob })).status).toBe(403);
    expect((await call(t, 'POST', resetPath(cohort.id, 'id-teacher'), { token: teacher })).status).toBe(404);
    // Another instructor's own cohort does not make ada theirs.
    const theirs = await createCohort(t, other, 'Evening class');
    expect((await call(t, 'POST', resetPath(theirs.id, adaId), { token: other })).status).toBe(404);
    // Nothing changed: ada still signs in with her password.
    expect((await call(t, 'GET', '/api/me', { token: trainees.ada })).status).toBe(200);
    expect((await call(t, 'POST', '/api/login', { body: { name: 'ada', password: PASSWORD } })).status).toBe(200);
  });

  it('is rate-limited per instructor like failed logins (429), and never gives its attempts back', async () => {
    t = await startTestServer({ loginLimit: { failures: 2, windowMs: 60_000 } });
    await addInstructor(t, 'teacher');
    const teacher = await login(t, 'teacher');
    const cohort = await createCohort(t, teacher);
    await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'ada', password: PASSWORD } });
    const adaId = (await t.accounts.findUserByName('ada'))?.id ?? '';
    expect((await call(t, 'POST', resetPath(cohort.id, adaId), { token: teacher })).status).toBe(200);
    expect((await call(t, 'POST', resetPath(cohort.id, adaId), { token: teacher })).status).toBe(200);
    const third = await call(t, 'POST', resetPath(cohort.id, adaId), { token: teacher });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatch(/too many password resets/);
  });
});

describe('changing one’s own password', () => {
  it('needs the current password (403 when wrong), and is rate-limited per user (429)', async () => {
    t = await startTestServer({ loginLimit: { failures: 2, windowMs: 60_000 } });
    await addInstructor(t, 'teacher');
    const token = await login(t, 'teacher');
    expect((await call(t, 'POST', '/api/password', { token, body: { current: 'not-the-password', next: 'a-brand-new-one' } })).status).toBe(403);
    expect((await call(t, 'POST', '/api/password', { token, body: { current: 'not-the-password', next: 'a-brand-new-one' } })).status).toBe(403);
    expect((await call(t, 'POST', '/api/password', { token, body: { current: PASSWORD, next: 'a-brand-new-one' } })).status).toBe(429);
  });
});

describe('display names', () => {
  it('are optional, may have spaces, are shown on the grid beside the sign-in name, and are checked like every free string', async () => {
    const { t, teacher, cohort } = await classroom();
    const joined = await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'jones', displayName: 'Officer Jones', password: PASSWORD } });
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({ name: 'jones', displayName: 'Officer Jones' });
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'smith', displayName: 'www.google.com', password: PASSWORD } })).status).toBe(400);
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'smith', displayName: '<b>x</b>', password: PASSWORD } })).status).toBe(400);
    // The sign-in name keeps its rule: no spaces.
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'Officer Smith', password: PASSWORD } })).status).toBe(400);
    const grid = await call(t, 'GET', `/api/cohorts/${cohort.id}/progress`, { token: teacher });
    const rows = grid.body.trainees as { name: string; displayName: string | null }[];
    expect(rows.find((r) => r.name === 'jones')?.displayName).toBe('Officer Jones');
    expect(rows.find((r) => r.name === 'ada')?.displayName).toBeNull();
  });
});

describe('every session of a trainee on the grid', () => {
  it('lists all sessions, open ones first, so an open assessment does not hide behind a later practice session, in the analyst’s words', async () => {
    const { t, teacher, cohort, trainees } = await classroom();
    const assessment = await startSession(t, trainees.ada, 'webmail-houston', 'assessment');
    const practice = await startSession(t, trainees.ada, 'webmail-houston', 'practice');
    const grid = await call(t, 'GET', `/api/cohorts/${cohort.id}/progress`, { token: teacher });
    const ada = (grid.body.trainees as { name: string; progress: { sessionId: string } | null; all: { sessionId: string; mode: string; words: { where: string; outcome: string | null } }[] }[]).find((r) => r.name === 'ada');
    expect(ada?.progress?.sessionId).toBe(practice.id);
    expect(ada?.all.map((p) => p.sessionId).sort()).toEqual([assessment.id, practice.id].sort());
    expect(ada?.all.map((p) => p.mode).sort()).toEqual(['assessment', 'practice']);
    expect(ada?.all[0]?.words.where).toBe('at triage');
    expect(ada?.all[0]?.words.outcome).toBeNull();
    // The instructor reads the assessment's debrief and its timeline while it is open; another instructor may not.
    expect((await call(t, 'GET', `/api/sessions/${assessment.id}/debrief`, { token: teacher })).status).toBe(200);
    const timeline = await call(t, 'GET', `/api/inspect/sessions/${assessment.id}`, { token: teacher });
    expect(timeline.status).toBe(200);
    expect((timeline.body.inspected as { steps: unknown[] }).steps.length).toBeGreaterThan(0);
    const replay = await call(t, 'GET', `/api/sessions/${assessment.id}/timeline`, { token: teacher });
    expect(replay.status).toBe(200);
    const steps = replay.body.steps as { seq: number; type: string; what: string; where: string | null }[];
    expect(steps[0]).toMatchObject({ seq: 0 });
    expect(steps.every((s) => s.what.length > 0)).toBe(true);
    expect(steps.at(-1)?.where).toBe('at triage');
    expect((await call(t, 'GET', `/api/sessions/${assessment.id}/timeline`, { token: trainees.ada })).status).toBe(403);
    const otherToken = await login(t, 'other');
    expect((await call(t, 'GET', `/api/sessions/${assessment.id}/timeline`, { token: otherToken })).status).toBe(404);
    expect((await call(t, 'GET', `/api/sessions/${assessment.id}/debrief`, { token: otherToken })).status).toBe(404);
    expect((await call(t, 'GET', `/api/inspect/sessions/${assessment.id}`, { token: otherToken })).status).toBe(404);
  });
});
