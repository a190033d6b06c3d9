// Crash safety (issue 6): the real server in its own process, N acknowledged events, kill -9, a restart
// on the same database: all N events are there and the session view is identical. Loopback only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ADMIN = 'crash-test-password';
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'tipflow-crash-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts dist/src/server/serve.js on a free loopback port; resolves with its URL once it listens. */
function spawnServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  const script = `import(${JSON.stringify(join(ROOT, 'dist', 'src', 'server', 'serve.js'))}).then((m) => m.startServer({ port: 0, host: '127.0.0.1', db: ${JSON.stringify(db)}, print: () => {} }))`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, TIPFLOW_ADMIN_PASSWORD: ADMIN }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (const line of buffer.split('\n')) {
        const url = /"msg":"listening"/.test(line) ? (JSON.parse(line) as { url: string }).url : null;
        if (url !== null) resolve({ child, url });
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

async function api(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('crash safety', () => {
  it('keeps every acknowledged event across kill -9 and shows the same view after a restart', async () => {
    const db = join(dir, 'tipflow.db');
    const first = await spawnServer(db);
    const admin = (await api(first.url, 'POST', '/api/login', { name: 'instructor', password: ADMIN })).json.token as string;
    const cohort = (await api(first.url, 'POST', '/api/cohorts', { name: 'Class' }, admin)).json.cohort as { joinCode: string };
    const trainee = (await api(first.url, 'POST', '/api/join', { code: cohort.joinCode, name: 'alice', password: 'alice-password' })).json.token as string;
    const view = (await api(first.url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, trainee)).json.view as { id: string; lastSeq: number };
    let seq = view.lastSeq;
    const send = async (event: unknown, eventId: string) => {
      const reply = await api(first.url, 'POST', `/api/sessions/${view.id}/events`, { event, eventId, expectedSeq: seq }, trainee);
      expect(reply.status, JSON.stringify(reply.json)).toBe(200);
      seq = (reply.json.view as { lastSeq: number }).lastSeq;
    };
    await send({ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'n0');
    const N = 60;
    for (let i = 1; i < N; i += 1) {
      const type = i % 2 === 1 ? 'GEO.TAG' : 'GEO.UNTAG';
      await send({ type, indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' }, `n${i}`);
    }
    const before = (await api(first.url, 'GET', `/api/sessions/${view.id}`, undefined, trainee)).json.view;
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await spawnServer(db);
    const relogin = (await api(second.url, 'POST', '/api/login', { name: 'alice', password: 'alice-password' })).json.token as string;
    const after = (await api(second.url, 'GET', `/api/sessions/${view.id}`, undefined, relogin)).json.view as { lastSeq: number };
    expect(after.lastSeq).toBe(N + view.lastSeq);
    expect(after).toEqual(before);
    second.child.kill('SIGTERM');
    const code = await new Promise((resolve) => second.child.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
  });
});
