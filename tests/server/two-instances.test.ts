// Two server instances on one PostgreSQL database (issue 19, item 3): every instance serves every cohort, the
// instructor's cohort stream on one sees a trainee's steps and joins on the other, a logout or an undo on one
// holds on the other at once, and kill -9 of one instance during a burst of steps loses nothing acknowledged.
// (Two steps on one expectedSeq through different instances, one 200 and one 409: tests/store/contract/serve-pg.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { userPasswordCommand } from '../../src/cli/commands/user-password.js';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { BUNDLED_EXERCISES_DIR } from '../../src/scenario/catalog.js';
import { createApp } from '../../src/server/app.js';
import { loadServerExercises } from '../../src/server/exercises.js';
import { createLogger } from '../../src/server/logger.js';
import { ensureInstructor } from '../../src/server/serve.js';
import { describeContract, type TestDatabase } from '../store/contract/stores.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ADMIN = 'two-instances-password';
const silent = createLogger({ level: 'error' });
const engine = new Engine(bundledReference());
const exercises = loadServerExercises([]);

interface Instance {
  url: string;
  close(): Promise<void>;
}
const running: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const close of running.splice(0).reverse()) await close();
  vi.unstubAllEnvs();
});

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'server', 'serve.js'))) throw new Error('tipflow is not built: run `npm run build` before the two-instance tests (the kill -9 case runs dist/)');
});

/** One server instance in this process on the test's database, listening on a loopback port. */
async function startInstance(db: TestDatabase): Promise<Instance> {
  const stores = await db.open();
  vi.stubEnv('TIPFLOW_ADMIN_PASSWORD', ADMIN);
  await ensureInstructor(stores.accounts, () => undefined);
  const app = createApp({ engine, events: stores.events, accounts: stores.accounts, exercises, logger: silent, signals: stores.signals, web: false });
  await stores.signals.ready();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const close = async () => {
    app.closeStreams();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  running.push(close);
  return { url: `http://127.0.0.1:${address.port}`, close };
}

async function api(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** An open event stream: every event it wrote so far, and a wait for the next one that `match` accepts. */
async function openStream(url: string, path: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).toBe(200);
  const seen: { event: string; data: Record<string, unknown>; at: number }[] = [];
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  let done = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) {
        done = true;
        return;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
        seen.push({ event, data: JSON.parse(data) as Record<string, unknown>, at: Date.now() });
      }
    }
  })();
  running.push(async () => controller.abort());
  const next = async (match: (e: (typeof seen)[number]) => boolean, withinMs: number) => {
    const until = Date.now() + withinMs;
    for (;;) {
      const found = seen.find(match);
      if (found !== undefined) return found;
      if (Date.now() > until) return null;
      await sleep(10);
    }
  };
  /** Whether the server ended the stream within `withinMs`. */
  const ended = async (withinMs: number) => {
    for (const until = Date.now() + withinMs; !done && Date.now() < until; ) await sleep(10);
    return done;
  };
  await next((e) => e.event === 'ready', 5_000);
  return { seen, next, ended };
}

/** An instructor with a cohort, and a trainee of it, made through `a`. */
async function classroom(a: Instance, b: Instance, trainee = 'alice') {
  const admin = (await api(a.url, 'POST', '/api/login', { name: 'instructor', password: ADMIN })).json.token as string;
  const cohort = (await api(a.url, 'POST', '/api/cohorts', { name: 'Class' }, admin)).json.cohort as { id: string; joinCode: string };
  const joined = await api(b.url, 'POST', '/api/join', { code: cohort.joinCode, name: trainee, password: `${trainee}-password-1` });
  expect(joined.status).toBe(201);
  return { admin, cohort, token: joined.json.token as string };
}

const TRIAGE = { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' };
const tag = (i: number) => ({ type: i % 2 === 1 ? 'GEO.TAG' : 'GEO.UNTAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' });

describeContract(
  'two server instances on one database',
  (db) => {
    it("shows a trainee's step on instance A to the instructor's cohort stream on instance B within a second", async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { admin, cohort, token } = await classroom(a, b);
      const stream = await openStream(b.url, `/api/cohorts/${cohort.id}/stream`, admin);
      const started = (await api(a.url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, token)).json.view as { id: string; lastSeq: number };
      const sentAt = Date.now();
      const stepped = await api(a.url, 'POST', `/api/sessions/${started.id}/events`, { event: TRIAGE, eventId: 's1', expectedSeq: started.lastSeq }, token);
      expect(stepped.status).toBe(200);
      const heard = await stream.next((e) => e.event === 'appended' && e.data.sessionId === started.id && (e.data.records as { event: { type: string } }[]).some((r) => r.event.type === 'TRIAGE.ASSIGN'), 1_000);
      expect(heard, 'the step reached the stream on the other instance').not.toBeNull();
      expect((heard?.at ?? Infinity) - sentAt).toBeLessThan(1_000);
    });

    it('tells the cohort stream on one instance of a trainee who joined on the other, and a release on one to the trainee on the other', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { admin, cohort, token } = await classroom(a, b);
      const stream = await openStream(a.url, `/api/cohorts/${cohort.id}/stream`, admin);
      const bob = await api(b.url, 'POST', '/api/join', { code: cohort.joinCode, name: 'bob', password: 'bob-password-12' });
      expect(bob.status).toBe(201);
      const joined = await stream.next((e) => e.event === 'joined' && (e.data.trainee as { name: string }).name === 'bob', 1_000);
      expect(joined?.data).toMatchObject({ kind: 'joined', cohortId: cohort.id });

      const started = (await api(b.url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'assessment' }, token)).json.view as { id: string };
      const trainee = await openStream(b.url, `/api/sessions/${started.id}/stream`, token);
      const released = await api(a.url, 'POST', `/api/cohorts/${cohort.id}/release`, { exerciseId: 'webmail-houston' }, admin);
      expect(released.status, JSON.stringify(released.json)).toBeLessThan(300);
      expect(await trainee.next((e) => e.event === 'released' && e.data.cohortId === cohort.id, 1_000)).not.toBeNull();
    });

    it('refuses on instance B, within a second, a token logged out on instance A that B had just trusted', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { token } = await classroom(a, b);
      expect((await api(b.url, 'GET', '/api/me', undefined, token)).status).toBe(200);
      expect((await api(a.url, 'POST', '/api/logout', undefined, token)).status).toBe(204);
      const loggedOutAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - loggedOutAt < 1_000) status = (await api(b.url, 'GET', '/api/me', undefined, token)).status;
      expect(status).toBe(401);
      // Well inside the token cache's 2 s trust window: the other instance was told, not left to expire.
      expect(Date.now() - loggedOutAt).toBeLessThan(1_000);
    });

    it('refuses on both instances, within a second, the sign-in of an account whose password `tipflow user password` reset', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { token } = await classroom(a, b);
      for (const x of [a, b]) expect((await api(x.url, 'GET', '/api/me', undefined, token)).status).toBe(200);
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await userPasswordCommand('alice', { db: db().location })).toBe(0);
      } finally {
        stdout.mockRestore();
      }
      const resetAt = Date.now();
      const statuses = [200, 200];
      while (statuses.includes(200) && Date.now() - resetAt < 1_000) {
        for (const [i, x] of [a, b].entries()) statuses[i] = (await api(x.url, 'GET', '/api/me', undefined, token)).status;
      }
      expect(statuses).toEqual([401, 401]);
      // Inside the token cache's 2 s trust window: the command told the servers.
      expect(Date.now() - resetAt).toBeLessThan(1_000);
    });

    it('refuses on instance B a step of a session that an undo on instance A replaced, naming the session that goes on', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { token } = await classroom(a, b);
      const started = (await api(b.url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, token)).json.view as { id: string; lastSeq: number };
      const first = await api(b.url, 'POST', `/api/sessions/${started.id}/events`, { event: TRIAGE, eventId: 'u1', expectedSeq: started.lastSeq }, token);
      expect(first.status).toBe(200);
      const seq = (first.json.view as { lastSeq: number }).lastSeq;
      const second = await api(b.url, 'POST', `/api/sessions/${started.id}/events`, { event: tag(1), eventId: 'u2', expectedSeq: seq }, token);
      expect(second.status).toBe(200);
      const undone = await api(a.url, 'POST', `/api/sessions/${started.id}/undo`, { expectedSeq: (second.json.view as { lastSeq: number }).lastSeq }, token);
      expect(undone.status, JSON.stringify(undone.json)).toBe(201);
      const fresh = (undone.json.view as { id: string }).id;
      const late = await api(b.url, 'POST', `/api/sessions/${started.id}/events`, { event: tag(2), eventId: 'u3', expectedSeq: (second.json.view as { lastSeq: number }).lastSeq }, token);
      expect(late.status).toBe(409);
      expect(late.json.replacedBy).toBe(fresh);
    });

    it('offers on instance B the upload that replaced, under the same id, one deleted on instance A (not its cached copy)', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { admin } = await classroom(a, b);
      const london = readFileSync(join(BUNDLED_EXERCISES_DIR, 'direct-london.yaml'), 'utf8').replace(/^id: direct-london$/m, 'id: my-london');
      const titled = (title: string) => london.replace(/^title: .*$/m, `title: ${title}`);
      const titleOn = async (url: string) => ((await api(url, 'GET', '/api/exercises', undefined, admin)).json.exercises as { id: string; title: string }[]).find((e) => e.id === 'my-london')?.title;
      expect((await api(a.url, 'POST', '/api/exercises', { fileName: 'my-london.yaml', text: titled('First version') }, admin)).status).toBe(201);
      expect(await titleOn(b.url)).toBe('First version');
      expect((await api(a.url, 'DELETE', '/api/exercises/my-london', undefined, admin)).status).toBe(204);
      expect((await api(a.url, 'POST', '/api/exercises', { fileName: 'my-london.yaml', text: titled('Second version') }, admin)).status).toBe(201);
      let title = await titleOn(b.url);
      for (const until = Date.now() + 1_000; title !== 'Second version' && Date.now() < until; title = await titleOn(b.url)) await sleep(20);
      expect(title).toBe('Second version');
    });

    it('after its signal connection was cut, instance B reopens its event streams and drops the uploads it cached (what it may have missed is read again)', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { admin, cohort } = await classroom(a, b);
      const london = readFileSync(join(BUNDLED_EXERCISES_DIR, 'direct-london.yaml'), 'utf8').replace(/^id: direct-london$/m, 'id: my-london');
      const titled = (title: string) => london.replace(/^title: .*$/m, `title: ${title}`);
      const titleOn = async (url: string) => ((await api(url, 'GET', '/api/exercises', undefined, admin)).json.exercises as { id: string; title: string }[]).find((e) => e.id === 'my-london')?.title;
      expect((await api(a.url, 'POST', '/api/exercises', { fileName: 'my-london.yaml', text: titled('First version') }, admin)).status).toBe(201);
      expect(await titleOn(b.url)).toBe('First version'); // cached on B
      const stream = await openStream(b.url, `/api/cohorts/${cohort.id}/stream`, admin);
      const admin2 = new pg.Client({ connectionString: db().location });
      await admin2.connect();
      try {
        const cut = await admin2.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN tipflow_signal'");
        expect(cut.rowCount).toBe(2);
      } finally {
        await admin2.end();
      }
      // Meanwhile on A: the upload is deleted and uploaded again under its id, a trainee joins.
      expect((await api(a.url, 'DELETE', '/api/exercises/my-london', undefined, admin)).status).toBe(204);
      expect((await api(a.url, 'POST', '/api/exercises', { fileName: 'my-london.yaml', text: titled('Second version') }, admin)).status).toBe(201);
      expect((await api(a.url, 'POST', '/api/join', { code: cohort.joinCode, name: 'bob', password: 'bob-password-12' })).status).toBe(201);
      // B's stream ends once B listens again (its page reconnects and reloads), and B reads the upload afresh.
      expect(await stream.ended(5_000), 'the cohort stream on B was ended by the resync').toBe(true);
      expect(await titleOn(b.url)).toBe('Second version');
      const again = await openStream(b.url, `/api/cohorts/${cohort.id}/stream`, admin);
      expect(await again.ended(300)).toBe(false);
    });

    it('takes one of each pair of steps sent at once on one expectedSeq through both instances, round after round, with no fork', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      const { token } = await classroom(a, b);
      const started = (await api(a.url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, token)).json.view as { id: string; lastSeq: number };
      let seq = started.lastSeq;
      const rounds = 12;
      for (let round = 0; round < rounds; round += 1) {
        const event = round === 0 ? TRIAGE : tag(round);
        // Both instances have the session cached as it stood after the last round (a read each first, on odd rounds).
        if (round % 2 === 1) await Promise.all([a, b].map((x) => api(x.url, 'GET', `/api/sessions/${started.id}`, undefined, token)));
        const replies = await Promise.all([a, b].map((x, n) => api(x.url, 'POST', `/api/sessions/${started.id}/events`, { event, eventId: `r${round}-${n}`, expectedSeq: seq }, token)));
        expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
        const won = replies.find((r) => r.status === 200);
        const lost = replies.find((r) => r.status === 409);
        seq = (won?.json.view as { lastSeq: number }).lastSeq;
        expect(lost?.json.lastSeq).toBe(seq);
      }
      const [viewA, viewB] = await Promise.all([a, b].map(async (x) => (await api(x.url, 'GET', `/api/sessions/${started.id}`, undefined, token)).json.view as { lastSeq: number; tags: unknown }));
      expect(viewA).toEqual(viewB);
      expect(viewA?.lastSeq).toBe(started.lastSeq + rounds);
    });

    it('counts failed logins of one name on both instances together (the limit is in the store)', async () => {
      const a = await startInstance(db());
      const b = await startInstance(db());
      await classroom(a, b);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await api(i % 2 === 0 ? a.url : b.url, 'POST', '/api/login', { name: 'alice', password: 'not-her-password' })).status);
      expect(statuses.slice(0, 10)).toEqual(Array<number>(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
    });

    it('keeps every step acknowledged by a `tipflow serve` that is killed (-9) during a burst, as seen through the other instance', async () => {
      const b = await startInstance(db());
      const a = await spawnServe(db().location);
      const { token } = await classroom(b, b);
      const started = (await api(a.url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, token)).json.view as { id: string; lastSeq: number };
      let seq = started.lastSeq;
      const acknowledged: number[] = [];
      let i = 0;
      let stopped: string | null = null;
      const burst = (async () => {
        for (;;) {
          const event = i === 0 ? TRIAGE : tag(i);
          let reply;
          try {
            reply = await api(a.url, 'POST', `/api/sessions/${started.id}/events`, { event, eventId: `k${i}`, expectedSeq: seq }, token);
          } catch {
            stopped = 'killed';
            return; // the instance is gone
          }
          if (reply.status !== 200) {
            stopped = `${reply.status} ${JSON.stringify(reply.json)}`;
            return;
          }
          seq = (reply.json.view as { lastSeq: number }).lastSeq;
          acknowledged.push(seq);
          i += 1;
        }
      })();
      while (acknowledged.length < 20 && stopped === null) await sleep(5);
      expect(stopped, 'the burst ran until the kill').toBeNull();
      a.child.kill('SIGKILL');
      await burst;
      const last = acknowledged.at(-1) ?? -1;
      const view = await api(b.url, 'GET', `/api/sessions/${started.id}`, undefined, token);
      expect(view.status).toBe(200);
      const lastSeq = (view.json.view as { lastSeq: number }).lastSeq;
      // Every acknowledged step is there; at most the one in flight at the kill was stored unanswered.
      expect(lastSeq).toBeGreaterThanOrEqual(last);
      expect(lastSeq).toBeLessThanOrEqual(last + 1);
      const go = await api(b.url, 'POST', `/api/sessions/${started.id}/events`, { event: tag(lastSeq), eventId: 'after', expectedSeq: lastSeq }, token);
      expect(go.status).toBe(200);
    }, 120_000);
  },
  'postgresql',
);

/** `tipflow serve --db <url>` from dist/ on a free loopback port; resolves once it listens. */
function spawnServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env: { ...process.env, TIPFLOW_ADMIN_PASSWORD: ADMIN, TIPFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (const line of buffer.split('\n')) {
        const url = /^tipflow serves (http:\/\/\S+)/.exec(line)?.[1];
        if (url !== undefined) resolve({ child, url });
      }
    });
    child.on('exit', (code) => reject(new Error(`tipflow serve exited with ${code}: ${errors}`)));
  });
}
