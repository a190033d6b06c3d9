// `npm run bench:web`: prints numbers, asserts nothing (issue 18, item 5). Starts `tipflow serve` in a child
// process on 127.0.0.1 over a temp SQLite database, sets up a class through the API (an instructor, a
// cohort, a trainee who joined with its code and started a practice session), then loads two pages in
// Debian's Chromium (playwright-core, the browser tests' flags) BENCH_RUNS times each:
// - the sign-in page, interactive when its "Sign in" button is visible and enabled;
// - the trainee's session page (#/session/<id>), interactive when the decision panel's heading shows.
// "cold" is a fresh browser context (empty cache), "warm" a second load in the same context (cached files).
// Time to interactive is measured from the navigation's start (performance.timeOrigin) to the moment the
// page's own MutationObserver sees the element, so the harness's round trips are not counted. Requests and
// bytes (headers and bodies as received) count everything the page asked for until it was interactive,
// API calls included. Targets: sign-in < 500 ms, session page < 800 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BIN = fileURLToPath(new URL('../../bin/tipflow.js', import.meta.url));
const ADMIN_PASSWORD = 'bench-web-admin-password';
const TRAINEE_PASSWORD = 'bench-web-trainee-password';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

interface Served {
  url: string;
  child: ChildProcess;
}

async function serve(dir: string): Promise<Served> {
  let output = '';
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(dir, 'bench.db'), '--log', join(dir, 'requests.log')], {
    env: { ...process.env, TIPFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 400; i += 1) {
    const match = /tipflow serves (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match?.[1] !== undefined) return { url: match[1], child };
    await delay(25);
  }
  child.kill('SIGTERM');
  throw new Error(`the server did not start:\n${output}`);
}

async function call<T>(url: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/** A trainee with a practice session of a bundled exercise, set up through the API as the web app would. */
async function traineeSession(url: string): Promise<{ token: string; sessionId: string }> {
  const { token: instructor } = await call<{ token: string }>(url, 'POST', '/api/login', null, { name: 'instructor', password: ADMIN_PASSWORD });
  const { cohort } = await call<{ cohort: { id: string; joinCode: string } }>(url, 'POST', '/api/cohorts', instructor, { name: 'Bench class' });
  await call(url, 'POST', `/api/cohorts/${cohort.id}/assignments`, instructor, { exerciseId: 'webmail-houston' });
  const { token } = await call<{ token: string }>(url, 'POST', '/api/join', null, { code: cohort.joinCode, name: 'bench-trainee', password: TRAINEE_PASSWORD });
  const { view } = await call<{ view: { id: string } }>(url, 'POST', '/api/sessions', token, { exerciseId: 'webmail-houston', mode: 'practice' });
  return { token, sessionId: view.id };
}

interface Load {
  ms: number;
  requests: number;
  bytes: number;
}

/** Loads `url` in a page of `context` and measures until `selector` is on the page (and enabled, for a button). */
async function load(context: BrowserContext, url: string, selector: string): Promise<Load> {
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  // Runs before the page's scripts (CDP injects it, so the page's CSP does not apply to it). Browser code
  // as text: this file is type-checked against Node's globals, not the DOM's.
  await page.addInitScript(`(() => {
    const wanted = ${JSON.stringify(selector)};
    const done = () => {
      const element = document.querySelector(wanted);
      if (element === null || element.disabled === true) return false;
      globalThis.__interactiveAt = performance.now();
      return true;
    };
    const observer = new MutationObserver(() => { if (done()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  })();`);
  await page.goto(url);
  const handle = await page.waitForFunction(() => (globalThis as unknown as { __interactiveAt?: number }).__interactiveAt, undefined, { timeout: 30_000 });
  const ms = (await handle.jsonValue()) as number;
  // Only what was asked for before the page was interactive: the page's own later polling is not its load.
  const origin = await page.evaluate(() => performance.timeOrigin);
  const before = requests.filter((r) => r.timing().startTime <= origin + ms);
  let bytes = 0;
  for (const request of before) {
    const response = await request.response();
    if (response === null) continue;
    // An event stream never ends: its headers are what it cost the load.
    const streaming = (response.headers()['content-type'] ?? '').startsWith('text/event-stream');
    const sizes = streaming ? { responseHeadersSize: (await response.headersArray()).reduce((n, h) => n + h.name.length + h.value.length + 4, 0), responseBodySize: 0 } : await request.sizes();
    bytes += sizes.responseHeadersSize + sizes.responseBodySize;
  }
  await page.close();
  return { ms, requests: before.length, bytes };
}

/** An init script that signs the tab in as the web app would after a sign-in (the token in sessionStorage). */
const signedIn = (token: string): string => `if (sessionStorage.getItem('tipflow.token') === null) sessionStorage.setItem('tipflow.token', ${JSON.stringify(token)});`;

interface Row {
  page: string;
  cache: 'cold' | 'warm';
  loads: Load[];
  target: number;
}

async function measure(browser: Browser, name: string, url: string, selector: string, target: number, token: string | null): Promise<Row[]> {
  const cold: Load[] = [];
  const warm: Load[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext();
    if (token !== null) {
      await context.addInitScript(signedIn(token));
    }
    cold.push(await load(context, url, selector));
    warm.push(await load(context, url, selector));
    await context.close();
  }
  return [
    { page: name, cache: 'cold', loads: cold, target },
    { page: name, cache: 'warm', loads: warm, target },
  ];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const max = (values: number[]): number => Math.max(...values);

function printTable(rows: Row[]): void {
  const header = ['page', 'cache', 'median ms', 'max ms', 'target ms', 'requests', 'kB'];
  const lines = rows.map((r) => [
    r.page,
    r.cache,
    median(r.loads.map((l) => l.ms)).toFixed(0),
    max(r.loads.map((l) => l.ms)).toFixed(0),
    `< ${r.target}`,
    median(r.loads.map((l) => l.requests)).toFixed(0),
    (median(r.loads.map((l) => l.bytes)) / 1024).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tipflow-bench-web-'));
  const served = await serve(dir);
  let browser: Browser | null = null;
  try {
    const { token, sessionId } = await traineeSession(served.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const signIn = { url: served.url, selector: 'form[aria-labelledby="signin-title"] button[type="submit"]' };
    const session = { url: `${served.url}/#/session/${encodeURIComponent(sessionId)}`, selector: '#decision-title' };
    // One load of each first, so the server's first-request work (JIT, SQLite pages) is not in run one.
    const warmUp = await browser.newContext();
    await warmUp.addInitScript(signedIn(token));
    await load(warmUp, session.url, session.selector);
    await warmUp.close();
    const rows = [
      ...(await measure(browser, 'sign-in', signIn.url, signIn.selector, 500, null)),
      ...(await measure(browser, 'trainee session', session.url, session.selector, 800, token)),
    ];
    console.log(`web page loads, ${RUNS} runs each (Chromium ${browser.version()}, ${served.url})\n`);
    printTable(rows);
  } finally {
    await browser?.close();
    served.child.kill('SIGTERM');
    await new Promise((resolve) => served.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
