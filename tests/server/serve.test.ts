import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userAddCommand } from '../../src/cli/commands/serve.js';
import { createLogger } from '../../src/server/logger.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';

let dir: string;
let running: RunningServer | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-serve-'));
});
afterEach(async () => {
  await running?.close();
  running = null;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const silent = createLogger({ level: 'silent' });
const post = (url: string, path: string, body: unknown, token?: string) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });

describe('tipflow serve', () => {
  it('creates the first instructor once with a one-time password, keeps data across a restart, and shuts down with a stream open', async () => {
    vi.stubEnv('TIPFLOW_ADMIN_PASSWORD', undefined);
    const db = join(dir, 'tipflow.db');
    const printed: string[] = [];
    running = await startServer({ port: 0, host: '127.0.0.1', db, logger: silent, print: (l) => printed.push(l), handleSignals: false });
    const password = /one-time password (\S+)/.exec(printed.join('\n'))?.[1];
    expect(password).toBeDefined();
    const login = await post(running.url, '/api/login', { name: 'instructor', password });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const cohort = (await (await post(running.url, '/api/cohorts', { name: 'Class' }, token)).json()) as { cohort: { id: string; joinCode: string } };
    const joined = (await (await post(running.url, '/api/join', { code: cohort.cohort.joinCode, name: 'alice', password: 'alice-password-1' })).json()) as { token: string };
    const started = (await (await post(running.url, '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, joined.token)).json()) as { view: { id: string } };
    const sent = await post(running.url, `/api/sessions/${started.view.id}/events`, { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'k1', expectedSeq: 0 }, joined.token);
    expect(sent.status).toBe(200);
    const stream = await fetch(`${running.url}/api/sessions/${started.view.id}/stream`, { headers: { authorization: `Bearer ${joined.token}` } });
    expect(stream.status).toBe(200);
    await running.close();
    running = null;
    await stream.body?.cancel().catch(() => undefined);

    const again: string[] = [];
    running = await startServer({ port: 0, host: '127.0.0.1', db, logger: silent, print: (l) => again.push(l), handleSignals: false });
    expect(again).toEqual([]);
    const relogin = (await (await post(running.url, '/api/login', { name: 'alice', password: 'alice-password-1' })).json()) as { token: string };
    const view = await fetch(`${running.url}/api/sessions/${started.view.id}`, { headers: { authorization: `Bearer ${relogin.token}` } });
    expect(view.status).toBe(200);
    expect(((await view.json()) as { view: { lastSeq: number; state: string } }).view).toMatchObject({ lastSeq: 1, state: 'geolocation.tagging' });
  });

  it('takes the first password from TIPFLOW_ADMIN_PASSWORD without printing it', async () => {
    vi.stubEnv('TIPFLOW_ADMIN_PASSWORD', 'from-the-environment');
    const printed: string[] = [];
    running = await startServer({ port: 0, host: '127.0.0.1', db: join(dir, 'env.db'), logger: silent, print: (l) => printed.push(l), handleSignals: false });
    expect(printed.join('\n')).not.toContain('from-the-environment');
    expect((await post(running.url, '/api/login', { name: 'instructor', password: 'from-the-environment' })).status).toBe(200);
  });
});

describe('tipflow user add', () => {
  it('adds an account with a password from TIPFLOW_USER_PASSWORD and refuses a taken name or a bad role', async () => {
    const db = join(dir, 'users.db');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      vi.stubEnv('TIPFLOW_USER_PASSWORD', 'a-long-password');
      expect(await userAddCommand('trainer2', { role: 'instructor', db })).toBe(0);
      expect(await userAddCommand('trainer2', { role: 'instructor', db })).toBe(1);
      expect(await userAddCommand('x', { role: 'admin', db })).toBe(2);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const accounts = new SqliteAccountStore(db);
    expect(await accounts.findUserByName('trainer2')).toMatchObject({ role: 'instructor' });
    await accounts.close();
  });
});
