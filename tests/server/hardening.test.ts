// Issue 16 attack by attack: each gets its exact 4xx within milliseconds, and the store keeps only metadata.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { MAX_SESSIONS_PER_EXERCISE } from '../../src/server/limits.js';
import { MAX_ADVANCE_MS } from '../../src/server/session-view.js';
import { MAX_STREAMS_PER_USER } from '../../src/server/streams.js';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';
import { engine } from '../engine/helpers.js';
import { addInstructor, call, createCohort, join, login, PASSWORD, startSession, startTestServer, type Reply, type TestServer } from './helpers.js';

const london = readFileSync(`${BUNDLED_EXERCISES_DIR}/direct-london.yaml`, 'utf8');
const withId = (id: string, text = london) => text.replace(/^id: direct-london$/m, `id: ${id}`);
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let t: TestServer;
let teacher: string;
let other: string;
let cohort: { id: string; joinCode: string };
let alice: string;

beforeAll(async () => {
  t = await startTestServer({ loginLimit: { failures: 10, windowMs: 15 * 60 * 1000 } });
  await addInstructor(t, 'teacher');
  await addInstructor(t, 'other');
  teacher = await login(t, 'teacher');
  other = await login(t, 'other');
  cohort = await createCohort(t, teacher);
  alice = await join(t, cohort.joinCode, 'alice');
});
afterAll(() => t.close());

/** A request and how long it took (ms). */
async function timed(run: () => Promise<Reply>): Promise<Reply & { ms: number }> {
  const started = performance.now();
  const reply = await run();
  return { ...reply, ms: performance.now() - started };
}
/** The status a new app over the same stores (a restarted server) answers to one POST. */
async function afterRestart(server: TestServer, path: string, body: unknown): Promise<number> {
  const app = createApp({ engine, events: server.events, accounts: server.accounts, exercises: [], logger: createLogger({ level: 'silent' }), web: false });
  const listening = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  try {
    const { port } = listening.address() as { port: number };
    return (await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
  } finally {
    listening.closeAllConnections();
    await new Promise((resolve) => listening.close(resolve));
  }
}

const upload = (token: string, text: string, fileName = 'mine.yaml') => timed(() => call(t, 'POST', '/api/exercises', { token, body: { fileName, text } }));

describe('content in uploads', () => {
  it('stores an upload without its comments (a base64 PNG, a real IP and a narrative in them are gone) (201)', async () => {
    const text = `# ${PNG}\n# seen at 8.8.8.8 — ${'a long narrative about the case. '.repeat(100)}\n${withId('commented')}`;
    const reply = await upload(teacher, text);
    expect(reply.status).toBe(201);
    const stored = (await t.accounts.getExercise('id-teacher', 'commented'))?.text ?? '';
    expect(stored).not.toContain('iVBOR');
    expect(stored).not.toContain('8.8.8.8');
    expect(stored).not.toContain('narrative');
  });

  it.each([['www.google.com.yaml'], ['aGVsbG8gd29ybGQgdGhpcyBpcyBk.yaml'], ['8.8.8.8.yaml']])('refuses the file name %s (400)', async (fileName) => {
    expect((await upload(teacher, withId('named'), fileName)).status).toBe(400);
  });

  it('stores the text once however many sessions start from it; meta carries its digest, not the text', async () => {
    expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/assignments`, { token: teacher, body: { exerciseId: 'commented' } })).status).toBe(201);
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await startSession(t, alice, 'commented')).id);
    const metas = [];
    for (const id of ids) metas.push((await t.events.getSession(id))?.meta ?? {});
    expect(new Set(metas.map((m) => m.exerciseSha256)).size).toBe(1);
    for (const meta of metas) expect(meta).not.toHaveProperty('exerciseText');
    expect(await t.events.exerciseText(String(metas[0]?.exerciseSha256))).toBe((await t.accounts.getExercise('id-teacher', 'commented'))?.text);
    expect((await call(t, 'DELETE', `/api/cohorts/${cohort.id}/assignments/commented`, { token: teacher })).status).toBeLessThan(500);
  });

  it('refuses an e-mail of ~150,000 characters with base64 labels ending in .example.com (422)', async () => {
    const label = 'aGVsbG8gd29ybGQgdGhpcyBpcyBkYXRhIHRoYXQgaXMgbG9uZw';
    const email = `u@${`${label}.`.repeat(2900)}example.com`;
    const reply = await upload(teacher, withId('long-mail', london.replace('      screenName: tower_bridge_77\n', `      screenName: tower_bridge_77\n      email: ${email}\n`)));
    expect(reply.status).toBe(422);
    expect(reply.ms).toBeLessThan(1_000);
    expect(reply.text.length).toBeLessThan(5_000);
  });

  it.each([
    ['gооglе.соm'],
    ['evil.рф'],
    ['evil\u200b.com'],
    ['google。com'],
    ['host_8.8.8.8_'],
    ['2001:4860:4860::8888'],
    ['134744072'],
    ['\u202Eevil'],
    ['a\u0085b'],
    ['aGVsbG8gd29ybGQgdGhpcyBpcyBkYXRh.'],
    ['aGVsbG8_d29ybGQ-dGhpcyBpcyBkYXRhIHRoYXQgaXMgbG9uZw'],
  ])('refuses the screen name %j in an upload (422)', async (screenName) => {
    if (screenName === 'gооglе.соm') {
      // The control: the same upload with a plausible name is stored.
      expect((await upload(teacher, withId('good-name', london.replace('screenName: tower_bridge_77', 'screenName: john.doe')))).status).toBe(201);
    }
    const reply = await upload(teacher, withId('bad-name', london.replace('screenName: tower_bridge_77', `screenName: ${JSON.stringify(screenName)}`)));
    expect(reply.status).toBe(422);
    expect(reply.ms).toBeLessThan(1_000);
  });
});

describe('free strings outside tips', () => {
  it.each([[`data:image/png;base64,${PNG.slice(0, 40)}`], ['8.8.8.8 evil.com'], ['www.google.com'], ['   '], ['a\u202eb']])('refuses the cohort name %j (400)', async (name) => {
    const reply = await timed(() => call(t, 'POST', '/api/cohorts', { token: teacher, body: { name } }));
    expect(reply.status).toBe(400);
    expect(reply.ms).toBeLessThan(200);
  });

  it.each([['www.google.com'], ['evil.com'], ['x8.8.8.8']])('refuses the account name %j at join (400)', async (name) => {
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name, password: PASSWORD } })).status).toBe(400);
  });

  it('accepts names people have: john.doe joins, "Example.Chat (fictional)" names a cohort', async () => {
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'john.doe', password: PASSWORD } })).status).toBe(201);
    expect((await call(t, 'POST', '/api/cohorts', { token: teacher, body: { name: 'Example.Chat (fictional) class' } })).status).toBe(201);
  });
});

describe('nothing hostile freezes the server', () => {
  it('answers a 197 kB title of "a1." in milliseconds (422), and a concurrent request is not delayed', async () => {
    const title = 'a1.'.repeat(65_600);
    const hostile = upload(teacher, withId('slow', london.replace(/^title: .*$/m, `title: ${title}`)));
    const bystander = timed(() => call(t, 'GET', '/api/me', { token: alice }));
    const [h, b] = await Promise.all([hostile, bystander]);
    expect(h.status).toBe(422);
    expect(h.ms).toBeLessThan(1_000);
    expect(b.status).toBe(200);
    expect(b.ms).toBeLessThan(1_000);
    expect(h.text.length).toBeLessThan(5_000);
  });

  it('answers an alias bomb (422) with the line of the alias', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const reply = await upload(teacher, `${withId('bomb')}\n${lines.join('\n')}\n`);
    expect(reply.status).toBe(422);
    expect(reply.ms).toBeLessThan(1_000);
    expect(reply.body.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/aliases/) }));
  });

  it('answers an inject at +99999999999d (422) at its line', async () => {
    const text = withId('far', london.replace('    when: { state: referral.awaitingAcknowledgement }\n', '    at: +99999999999d\n'));
    const reply = await upload(teacher, text);
    expect(reply.status).toBe(422);
    const line = text.split('\n').findIndex((l) => l.includes('+99999999999d')) + 1;
    expect(reply.body.diagnostics).toContainEqual(expect.objectContaining({ line, message: expect.stringMatching(/\+365d/) }));
  });

  it('quotes at most a short excerpt of a 60 kB value in a 422', async () => {
    const reply = await upload(teacher, withId('echo', london.replace('ip: 203.0.113.14', `ip: "${'9'.repeat(60_000)}"`)));
    expect(reply.status).toBe(422);
    expect(reply.text.length).toBeLessThan(5_000);
  });
});

describe('limits that hold under concurrency and restarts', () => {
  it('evaluates at most 10 of 60 parallel logins; the right password among them is refused (429)', async () => {
    await join(t, cohort.joinCode, 'victim');
    const guesses = Array.from({ length: 60 }, (_, i) => (i === 59 ? PASSWORD : `wrong-guess-${i}`));
    const replies = await Promise.all(guesses.map((password) => timed(() => call(t, 'POST', '/api/login', { body: { name: 'victim', password } }))));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    expect(statuses[59]).toBe(429);
    // A new app over the same store (a restart) still refuses.
    expect(await afterRestart(t, '/api/login', { name: 'victim', password: PASSWORD })).toBe(429);
  });

  it('evaluates at most 10 of 40 parallel password changes with a stolen token; the right current password is refused (429)', async () => {
    const stolen = await join(t, cohort.joinCode, 'stolen');
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? PASSWORD : `wrong-guess-${i}`));
    const replies = await Promise.all(guesses.map((current) => call(t, 'POST', '/api/password', { token: stolen, body: { current, next: 'attacker-password-1' } })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(10);
    expect(statuses[39]).toBe(429);
    expect(await login(t, 'stolen')).toEqual(expect.any(String));
  });

  it('locks out wrong join codes per address (429), kept in the store', async () => {
    const fresh = await startTestServer();
    try {
      const statuses = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await call(fresh, 'POST', '/api/join', { body: { code: `WRONG${String(i).padStart(3, '0')}`, name: `n${i}x`, password: PASSWORD } })).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
      expect(statuses[10]).toBe(429);
      const code = ((await call(fresh, 'POST', '/api/cohorts', { token: await (async () => (await addInstructor(fresh, 'boss'), login(fresh, 'boss')))(), body: { name: 'Late class' } })).body.cohort as { joinCode: string }).joinCode;
      // Even the right code is refused now, and after a restart.
      expect((await call(fresh, 'POST', '/api/join', { body: { code, name: 'late', password: PASSWORD } })).status).toBe(429);
      expect(await afterRestart(fresh, '/api/join', { code, name: 'late', password: PASSWORD })).toBe(429);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a password of ten spaces (400), at join and on change', async () => {
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'spaces', password: ' '.repeat(10) } })).status).toBe(400);
    expect((await call(t, 'POST', '/api/join', { body: { code: cohort.joinCode, name: 'spaces', password: 'aaaaaaaaaaaa' } })).status).toBe(400);
    expect((await call(t, 'POST', '/api/password', { token: alice, body: { current: PASSWORD, next: ' '.repeat(12) } })).status).toBe(400);
  });
});

describe('caps per user', () => {
  it(`refuses a stream past ${MAX_STREAMS_PER_USER} open ones (429), and takes one again once another closes`, async () => {
    const session = await startSession(t, alice, 'webmail-houston');
    const controllers: AbortController[] = [];
    const open = async () => {
      const controller = new AbortController();
      controllers.push(controller);
      return fetch(`${t.url}/api/sessions/${session.id}/stream`, { headers: { authorization: `Bearer ${alice}` }, signal: controller.signal });
    };
    try {
      for (let i = 0; i < MAX_STREAMS_PER_USER; i += 1) expect((await open()).status).toBe(200);
      const refused = await timed(async () => {
        const r = await open();
        return { status: r.status, body: {}, text: await r.text() };
      });
      expect(refused.status).toBe(429);
      expect(refused.ms).toBeLessThan(200);
      // Another user is not affected.
      const teacherStream = new AbortController();
      controllers.push(teacherStream);
      expect((await fetch(`${t.url}/api/sessions/${session.id}/stream`, { headers: { authorization: `Bearer ${teacher}` }, signal: teacherStream.signal })).status).toBe(200);
      controllers[0]?.abort();
      // The server hears of the close a moment later: one of the next few tries gets a stream again.
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i += 1) status = (await open()).status;
      expect(status).toBe(200);
    } finally {
      for (const c of controllers) c.abort();
    }
  });

  it(`refuses session ${MAX_SESSIONS_PER_EXERCISE + 1} of one exercise for one trainee (429); another exercise still starts`, async () => {
    const busy = await join(t, cohort.joinCode, 'busy');
    for (let i = 0; i < MAX_SESSIONS_PER_EXERCISE; i += 1) await startSession(t, busy, 'direct-london');
    const refused = await timed(() => call(t, 'POST', '/api/sessions', { token: busy, body: { exerciseId: 'direct-london', mode: 'practice' } }));
    expect(refused.status).toBe(429);
    expect(refused.ms).toBeLessThan(500);
    expect((await call(t, 'POST', '/api/sessions', { token: busy, body: { exerciseId: 'webmail-houston', mode: 'practice' } })).status).toBe(201);
  });

  it('forks a session once: of two parallel undos one is 201, the other 409', async () => {
    const session = await startSession(t, alice, 'webmail-houston');
    const step = await call(t, 'POST', `/api/sessions/${session.id}/events`, { token: alice, body: { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'u1', expectedSeq: 0 } });
    const lastSeq = (step.body.view as { lastSeq: number }).lastSeq;
    const undo = () => call(t, 'POST', `/api/sessions/${session.id}/undo`, { token: alice, body: { expectedSeq: lastSeq } });
    const statuses = (await Promise.all([undo(), undo()])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    expect((await undo()).status).toBe(409);
  });
});

describe('smaller', () => {
  it('stops a practice clock ten years after the tip (422), before it could pass year 275760 and break the session', async () => {
    const session = await startSession(t, alice, 'webmail-houston');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await call(t, 'POST', `/api/sessions/${session.id}/advance`, { token: alice, body: { ms: MAX_ADVANCE_MS } })).status);
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(200));
    expect(statuses.slice(9)).toEqual([422, 422, 422]);
    expect((await call(t, 'GET', `/api/sessions/${session.id}`, { token: alice })).status).toBe(200);
  });

  it("scopes exercise ids per instructor: another's id is no oracle (201 for the other, 409 only for one's own)", async () => {
    expect((await upload(teacher, withId('shared-id'))).status).toBe(201);
    expect((await upload(other, withId('shared-id'))).status).toBe(201);
    expect((await upload(teacher, withId('shared-id'))).status).toBe(409);
    expect((await t.accounts.getExercise('id-other', 'shared-id'))?.instructorId).toBe('id-other');
  });

  it('answers every /api request with Cache-Control: no-store (tokens, debriefs)', async () => {
    const reply = await fetch(`${t.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'teacher', password: PASSWORD }) });
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const me = await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${teacher}` } });
    expect(me.headers.get('cache-control')).toBe('no-store');
    const missing = await fetch(`${t.url}/api/nope`);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });
});
