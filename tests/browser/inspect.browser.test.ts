// The inspector page in a real browser (issue 8, item 2): a free simulation of a sample tip with its active
// state highlighted on the chart, stepped by the allowed events, taken back to an earlier step and
// continued from there; a trainee's session followed live without a reload; accessible, no console errors.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, INSTRUCTOR_PASSWORD, launchBrowser, screenshot, signIn, startWebServer, TRAINEE_PASSWORD, watchErrors, type WebServer } from './harness.js';

const state = (page: Page, path: string) => page.locator(`[data-state-id$=".${path}"]`).first();
const isActive = async (page: Page, path: string) => ((await state(page, path).getAttribute('class')) ?? '').split(/\s+/).includes('active');
const waitActive = (page: Page, path: string) => page.locator(`[data-state-id$=".${path}"].active`).first().waitFor({ state: 'attached' });
const logEntries = (page: Page) => page.locator('.event-log button.log-entry');
const waitLogLength = (page: Page, n: number) => page.waitForFunction((count) => document.querySelectorAll('.event-log button.log-entry').length === count, n);

describe.skipIf(!chromiumAvailable())('inspector page (Chromium)', () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  /** A JSON call to the API as someone (the trainee's steps go this way, not through the page). */
  const call = async <T,>(method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown): Promise<T> => {
    const r = await fetch(`${web.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const json = (await r.json()) as T;
    expect(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`).toBe(true);
    return json;
  };

  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    errors = watchErrors(page);
    await signIn(page, web.url, 'instructor', INSTRUCTOR_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('starts a free simulation of a sample tip and highlights its active state on the chart', async () => {
    await page.getByRole('link', { name: 'Inspector' }).click();
    await page.getByRole('heading', { name: 'Inspector', level: 1 }).waitFor();
    await page.getByLabel('Sample tip').selectOption('webmail-houston');
    await page.getByRole('button', { name: 'Start free simulation' }).click();
    await waitActive(page, 'routing.triage');
    expect(page.url()).toMatch(/\/inspect#\/sandbox\//);
    await expect(isActive(page, 'routing.geolocation')).resolves.toBe(false);
    await expect(logEntries(page).count()).resolves.toBe(1);
    await expect(page.locator('.chart-active').textContent()).resolves.toContain('routing › triage');
    // Transitions leaving the active state are marked too.
    await expect(page.locator('.transition.from-active[data-event="TRIAGE.ASSIGN"]').count()).resolves.toBeGreaterThan(0);
  });

  it('steps the machine with an allowed event: the highlight moves, the log grows, the context shows what changed', async () => {
    await page.getByRole('button', { name: /^TRIAGE\.ASSIGN P3 referral/ }).click();
    await waitActive(page, 'routing.geolocation.tagging');
    await expect(isActive(page, 'routing.triage')).resolves.toBe(false);
    await waitLogLength(page, 2);
    const priority = page.locator('.context-diff tr[data-field="priority"]');
    await expect(priority.getAttribute('class')).resolves.toContain('changed');
    await expect(priority.textContent()).resolves.toMatch(/null\s*→\s*P3/);

    // An event the machine refuses: its reason, as the server words it.
    await page.getByText('Edit and send…').click();
    await page.getByLabel('Event type').selectOption('GEO.TAG');
    await page.getByLabel('Event (JSON)').fill('{ "type": "GEO.TAG" }');
    await page.getByRole('button', { name: 'Send event' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/caveat/);
    await expect(logEntries(page).count()).resolves.toBe(2);

    await page.getByRole('button', { name: /^GEO\.CONFIRM/ }).click();
    await waitActive(page, 'routing.referral.selecting');
    await waitLogLength(page, 3);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    // Drawn at full size, the chart scrolls to the active state.
    await page.getByRole('button', { name: '100 %' }).click();
    await page.waitForFunction(() => {
      const box = document.querySelector('.chart-scroll')?.getBoundingClientRect();
      const target = document.querySelector('[data-state-id$=".routing.referral.selecting"] > rect')?.getBoundingClientRect();
      return box !== undefined && target !== undefined && target.left >= box.left && target.right <= box.right && target.top >= box.top && target.bottom <= box.bottom;
    });
    await screenshot(page, 'inspector-full-size');
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
  });

  it('shows an earlier state again when an earlier log entry is chosen, and continues from there', async () => {
    await logEntries(page).nth(1).click();
    await waitActive(page, 'routing.geolocation.tagging');
    await expect(isActive(page, 'routing.referral.selecting')).resolves.toBe(false);
    await expect(logEntries(page).nth(1).getAttribute('aria-current')).resolves.toBe('step');
    await page.getByRole('heading', { name: 'Step #1', exact: true }).waitFor();

    await logEntries(page).nth(0).click();
    await waitActive(page, 'routing.triage');
    await expect(isActive(page, 'routing.geolocation.tagging')).resolves.toBe(false);
    // The arrow keys move through the log too.
    await page.keyboard.press('ArrowDown');
    await waitActive(page, 'routing.geolocation.tagging');

    await page.getByRole('button', { name: 'Continue from here' }).click();
    await waitLogLength(page, 2);
    await page.waitForFunction(() => document.activeElement?.matches('.event-log button[aria-current="step"]') === true);
    await expect(page.getByRole('button', { name: 'Continue from here' }).count()).resolves.toBe(0);
    await waitActive(page, 'routing.geolocation.tagging');
    // New events branch from there, and the newest step is followed again.
    await page.getByRole('button', { name: /^GEO\.TAG / }).first().click();
    await waitLogLength(page, 3);
    await expect(logEntries(page).nth(2).getAttribute('aria-current')).resolves.toBe('step');
    await expect(page.locator('.context-diff tr[data-field="tags"]').textContent()).resolves.toMatch(/\+\s*subjects\[0\]/);
  });

  it("follows a trainee's session live, read only, without a reload", async () => {
    const { token: instructor } = await call<{ token: string }>('POST', '/api/login', undefined, { name: 'instructor', password: INSTRUCTOR_PASSWORD });
    const { cohort } = await call<{ cohort: { joinCode: string } }>('POST', '/api/cohorts', instructor, { name: 'Inspector class' });
    const { token: alice } = await call<{ token: string }>('POST', '/api/join', undefined, { code: cohort.joinCode, name: 'alice', password: TRAINEE_PASSWORD });
    const { view } = await call<{ view: { id: string; lastSeq: number } }>('POST', '/api/sessions', alice, { exerciseId: 'webmail-houston', mode: 'practice' });

    await page.getByRole('button', { name: 'Refresh list' }).click();
    const select = page.getByLabel('Trainee session (read only, live)');
    await page.waitForFunction((id) => [...document.querySelectorAll('option')].some((o) => o.value === id), view.id);
    await select.selectOption(view.id);
    await page.getByRole('button', { name: 'Inspect session' }).click();
    await page.getByText('Live, read only').waitFor();
    await page.getByText("alice's session of webmail-houston (practice, cohort Inspector class)").waitFor();
    await waitActive(page, 'routing.triage');
    await waitLogLength(page, view.lastSeq + 1);
    await expect(page.getByRole('button', { name: /^TRIAGE\.ASSIGN/ }).count()).resolves.toBe(0);

    const url = page.url();
    await call('POST', `/api/sessions/${view.id}/events`, alice, { event: { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, eventId: 'alice-1', expectedSeq: view.lastSeq });
    await waitActive(page, 'routing.geolocation.tagging');
    await waitLogLength(page, view.lastSeq + 2);
    await expect(page.locator('.context-diff tr[data-field="priority"]').textContent()).resolves.toMatch(/null\s*→\s*P2/);
    expect(page.url()).toBe(url);
    await expectAccessible(page, "inspector on a trainee's session");
    await screenshot(page, 'inspector-session');

    // The trainee takes the triage back (a practice undo starts a new session): the inspector follows it.
    const { view: after } = await call<{ view: { lastSeq: number } }>('GET', `/api/sessions/${view.id}`, alice);
    const { view: fork } = await call<{ view: { id: string } }>('POST', `/api/sessions/${view.id}/undo`, alice, { expectedSeq: after.lastSeq });
    await page.getByText('The trainee took their last decision back').waitFor();
    await page.getByText("alice's session of webmail-houston (practice, cohort Inspector class)").waitFor();
    await page.waitForFunction((id) => location.hash === `#/session/${encodeURIComponent(id)}`, fork.id);
    await waitActive(page, 'routing.triage');
    await waitLogLength(page, view.lastSeq + 1);
  });

  it('says plainly when a free simulation is gone (they live in memory only)', async () => {
    await page.goto(`${web.url}/inspect#/sandbox/no-such-sandbox`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This free simulation is gone');
  });

  it('is accessible and error free, and looks right (screenshot "inspector")', async () => {
    await page.getByLabel('Sample tip').selectOption('mobile-cgnat-no-port');
    await page.getByRole('button', { name: 'Start free simulation' }).click();
    await page.waitForURL(/#\/sandbox\//);
    await waitLogLength(page, 1);
    for (let i = 0; i < 3; i += 1) {
      await page.locator('.event-buttons button').first().click();
      await waitLogLength(page, i + 2);
    }
    await logEntries(page).nth(2).click();
    await page.getByRole('heading', { name: 'Step #2', exact: true }).waitFor();
    await expectAccessible(page, 'inspector');
    // The chart card is sticky: from the top, the full-page picture shows it where a reader first sees it.
    await page.setViewportSize({ width: 1600, height: 1200 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'inspector');
    // On a narrow window the panels stack and nothing runs off the side.
    await page.setViewportSize({ width: 800, height: 1000 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await screenshot(page, 'inspector-narrow');
    // Refused events (422) and the gone sandbox (404) are part of the test, and leaving the session ends its stream on purpose.
    expect(errors.filter((e) => !/\b(422|404)\b/.test(e) && !/\/stream net::ERR_ABORTED/.test(e))).toEqual([]);
  });
});
