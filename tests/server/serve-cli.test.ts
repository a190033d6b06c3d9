// `tipflow serve` as a trainer runs it (`npm start`): what it prints, the web app and the API on one port,
// requests logged to a file without secrets, a clear message when the port is taken, a clean SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin', 'tipflow.js');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-serve-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, TIPFLOW_ADMIN_PASSWORD: 'serve-cli-password' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function urlOf(output: () => string): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const match = /tipflow serves (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
    if (match?.[1] !== undefined) return match[1];
    await delay(50);
  }
  throw new Error(`the server did not start:\n${output()}`);
}

describe('tipflow serve', () => {
  it('serves the web app and the API, logs requests to a file without secrets, and stops on SIGTERM', async () => {
    const log = join(dir, 'requests.log');
    const server = serve(['--port', '0', '--db', join(dir, 'a.db'), '--log', log]);
    const url = await urlOf(server.output);
    expect(server.output()).toMatch(/trainees: +open the same address and join with the code/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    const script = /<script type="module" crossorigin src="(\/app\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, 'the page names its bundled script').toBeDefined();
    expect((await fetch(`${url}${script ?? ''}`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${url}/app/../package.json`)).status).toBe(404);
    const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'instructor', password: 'serve-cli-password' }) });
    const { token } = (await login.json()) as { token: string };
    expect((await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const logged = readFileSync(log, 'utf8');
    expect(logged).toContain('"path":"/api/me"');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('serve-cli-password');
  });

  it('says plainly when the port is taken', async () => {
    const first = serve(['--port', '0', '--db', join(dir, 'b.db'), '--log', join(dir, 'b.log')]);
    const port = new URL(await urlOf(first.output)).port;
    const second = serve(['--port', port, '--db', join(dir, 'c.db'), '--log', join(dir, 'c.log')]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${port} on 127.0.0.1 is in use`);
    first.child.kill('SIGTERM');
    await first.exited;
  });

  it('refuses a second server on the same SQLite file, and takes it once the first has stopped (even by kill -9)', async () => {
    const db = join(dir, 'shared.db');
    const first = serve(['--port', '0', '--db', db, '--log', join(dir, 'd.log')]);
    const url = await urlOf(first.output);
    const second = serve(['--port', '0', '--db', db, '--log', join(dir, 'e.log')]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`${db} is in use by another tipflow serve`);
    expect(second.output()).toContain('PostgreSQL');
    expect(second.output()).not.toMatch(/\n\s+at /); // no stack trace
    expect((await fetch(`${url}/api/reference`)).status).not.toBe(500);
    first.child.kill('SIGKILL');
    await first.exited;
    const third = serve(['--port', '0', '--db', db, '--log', join(dir, 'f.log')]);
    await urlOf(third.output);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });
});
