// `tipflow serve --db postgres://…`: the server on the PostgreSQL store, across a restart, and two instances
// on one database refusing the second of two steps sent on the same sequence.
import { afterEach, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/server/logger.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import { describeContract } from './stores.js';

const silent = createLogger({ level: 'error' });
const post = (url: string, path: string, body: unknown, token?: string) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  vi.unstubAllEnvs();
});

describeContract(
  'tipflow serve on PostgreSQL',
  (db) => {
    it('creates the first instructor once, runs a class, and keeps it across a restart', async () => {
      vi.stubEnv('TIPFLOW_ADMIN_PASSWORD', undefined);
      const printed: string[] = [];
      const first = await startServer({ port: 0, host: '127.0.0.1', db: db().location, pool: 4, logger: silent, print: (l) => printed.push(l), handleSignals: false });
      running.push(first);
      const password = /one-time password (\S+)/.exec(printed.join('\n'))?.[1];
      expect(password).toBeDefined();
      const { token } = (await (await post(first.url, '/api/login', { name: 'instructor', password })).json()) as { token: string };
      const made = await post(first.url, '/api/cohorts', { name: 'Class' }, token);
      const cohort = (await made.json()) as { cohort: { joinCode: string } };
      expect(made.status, JSON.stringify(cohort)).toBe(201);
      const joined = (await (await post(first.url, '/api/join', { code: cohort.cohort.joinCode, name: 'alice', password: 'alice-password-1' })).json()) as { token: string };
      const started = (await (await post(first.url, '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, joined.token)).json()) as { view: { id: string } };
      expect((await post(first.url, `/api/sessions/${started.view.id}/events`, { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'k1', expectedSeq: 0 }, joined.token)).status).toBe(200);
      await first.close();
      running.splice(0);

      const again: string[] = [];
      const second = await startServer({ port: 0, host: '127.0.0.1', db: db().location, logger: silent, print: (l) => again.push(l), handleSignals: false });
      running.push(second);
      expect(again).toEqual([]);
      const relogin = (await (await post(second.url, '/api/login', { name: 'alice', password: 'alice-password-1' })).json()) as { token: string };
      const view = await fetch(`${second.url}/api/sessions/${started.view.id}`, { headers: { authorization: `Bearer ${relogin.token}` } });
      expect(view.status).toBe(200);
      expect(((await view.json()) as { view: { lastSeq: number; state: string } }).view).toMatchObject({ lastSeq: 1, state: 'geolocation.tagging' });
    });

    it('lets one of two steps sent on the same sequence through different instances in, and answers the other 409', async () => {
      vi.stubEnv('TIPFLOW_ADMIN_PASSWORD', 'from-the-environment');
      const a = await startServer({ port: 0, host: '127.0.0.1', db: db().location, logger: silent, print: () => undefined, handleSignals: false });
      running.push(a);
      const b = await startServer({ port: 0, host: '127.0.0.1', db: db().location, logger: silent, print: () => undefined, handleSignals: false });
      running.push(b);
      const { token } = (await (await post(a.url, '/api/login', { name: 'instructor', password: 'from-the-environment' })).json()) as { token: string };
      const cohort = (await (await post(a.url, '/api/cohorts', { name: 'Class' }, token)).json()) as { cohort: { joinCode: string } };
      const joined = (await (await post(b.url, '/api/join', { code: cohort.cohort.joinCode, name: 'bob', password: 'bob-password-12' })).json()) as { token: string };
      const started = (await (await post(a.url, '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, joined.token)).json()) as { view: { id: string } };
      // b has the session cached from a read before a's step: it must check the stored sequence, not trust its cache.
      expect((await fetch(`${b.url}/api/sessions/${started.view.id}`, { headers: { authorization: `Bearer ${joined.token}` } })).status).toBe(200);
      const step = (eventId: string) => ({ event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId, expectedSeq: 0 });
      const first = await post(a.url, `/api/sessions/${started.view.id}/events`, step('from-a'), joined.token);
      const second = await post(b.url, `/api/sessions/${started.view.id}/events`, step('from-b'), joined.token);
      expect([first.status, second.status]).toEqual([200, 409]);
    });
  },
  'postgresql',
);
