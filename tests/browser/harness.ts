// Browser tests (issue 7): a real tipflow server on 127.0.0.1 with a temp database, and Debian's Chromium
// driven by playwright-core. In CI a missing Chromium fails the tests (.ci/run installs it); on a
// developer's machine without it they are skipped with a message saying how to get it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { createLogger } from '../../src/server/logger.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTRUCTOR_PASSWORD = 'instructor-password-for-tests';
export const TRAINEE_PASSWORD = 'trainee-password-1';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Whether the browser tests can run here; in CI a missing Chromium is an error, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH. .ci/run installs it.`;
  if (process.env.CI !== undefined) throw new Error(message);
  console.warn(`browser tests skipped: ${message}`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface WebServer {
  url: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** The real server (API and web app) on a random port over a fresh database file. */
export async function startWebServer(): Promise<WebServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tipflow-web-'));
  const previous = process.env.TIPFLOW_ADMIN_PASSWORD;
  process.env.TIPFLOW_ADMIN_PASSWORD = INSTRUCTOR_PASSWORD;
  try {
    const server = await startServer({ port: 0, host: '127.0.0.1', db: join(dir, 'tipflow.db'), handleSignals: false, print: () => undefined, logger: createLogger({ level: 'warn' }) });
    return {
      url: server.url,
      server,
      close: async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } finally {
    if (previous === undefined) delete process.env.TIPFLOW_ADMIN_PASSWORD;
    else process.env.TIPFLOW_ADMIN_PASSWORD = previous;
  }
}

/**
 * Saves a screenshot as a test artifact: test-results/screenshots/<name>.png, of the whole page, or with
 * `{ fullPage: false }` of the viewport alone (what shows without scrolling).
 */
export async function screenshot(page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core on the page (WCAG 2.x A and AA rules) and fails on any serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** Collects console errors and failed requests of a page, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}

/** Signs in through the login form. */
export async function signIn(page: Page, url: string, name: string, password: string): Promise<void> {
  await page.goto(url);
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Sign in' }) });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
