// The inspector's fixes of issue 18 (item 6) in Chromium: the event buttons follow the chosen step, and
// sending one at an earlier step continues in a branch; "Continue from here" branches and the original
// keeps its later steps, one link away; at legalProcess.preserved a suggestion is offered and the
// SUBSCRIBER.RETURNED template has its fields; "Fit" draws the chart at a readable size around the active
// state.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, INSTRUCTOR_PASSWORD, launchBrowser, screenshot, signIn, startWebServer, watchErrors, type WebServer } from './harness.js';

const waitActive = (page: Page, path: string) => page.locator(`[data-state-id$=".${path}"].active`).first().waitFor({ state: 'attached' });
const logEntries = (page: Page) => page.locator('.event-log button.log-entry');
const waitLogLength = (page: Page, n: number) => page.waitForFunction((count) => document.querySelectorAll('.event-log button.log-entry').length === count, n);
const suggestions = (page: Page) => page.getByRole('group', { name: 'Suggested events' }).getByRole('button');
const sandboxOf = (page: Page): string => decodeURIComponent(new URL(page.url()).hash.replace('#/sandbox/', ''));

describe.skipIf(!chromiumAvailable())('inspector steps and branches (Chromium)', () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

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

  async function startSandbox(tip: string): Promise<string> {
    await page.goto(`${web.url}/inspect`);
    await page.getByLabel('Sample tip').selectOption(tip);
    await page.getByRole('button', { name: 'Start free simulation' }).click();
    await page.waitForURL(/#\/sandbox\//);
    await waitLogLength(page, 1);
    return sandboxOf(page);
  }

  it("offers the chosen step's events after jumping back, and sending one continues in a branch", async () => {
    const original = await startSandbox('webmail-houston');
    await page.getByRole('button', { name: /^TRIAGE\.ASSIGN/ }).click();
    await waitActive(page, 'routing.geolocation.tagging');
    await waitLogLength(page, 2);
    await expect(suggestions(page).first().textContent()).resolves.toMatch(/^GEO\./);

    // Back to the start: the buttons are the start's, not the newest step's.
    await logEntries(page).nth(0).click();
    await page.getByRole('heading', { name: 'Send an event at step #0' }).waitFor();
    await expect(suggestions(page).first().textContent()).resolves.toMatch(/^TRIAGE\.ASSIGN/);
    await expect(page.getByRole('button', { name: /^GEO\.CONFIRM/ }).count()).resolves.toBe(0);
    await page.getByText('Edit and send…').click();
    await expect(page.getByLabel('Event type').inputValue()).resolves.toBe('TRIAGE.ASSIGN');
    await expect(page.getByText('Sending one (or advancing the clock) continues in a new branch from step #0').count()).resolves.toBe(1);

    // Sending the other triage continues in a new branch; the original keeps its step #1.
    await suggestions(page).first().click();
    await page.waitForFunction((id) => !location.hash.endsWith(encodeURIComponent(id)), original);
    await waitLogLength(page, 2);
    await page.getByRole('heading', { name: 'Send an event', exact: true }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'A branch from step #0 of an earlier free simulation' }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Back to that simulation' }).click();
    await page.waitForFunction((id) => location.hash === `#/sandbox/${encodeURIComponent(id)}`, original);
    await waitLogLength(page, 2);
    await waitActive(page, 'routing.geolocation.tagging');
  });

  it('continues from an earlier step in a branch, and the steps after it stay one link away', async () => {
    const original = await startSandbox('webmail-houston');
    for (let i = 0; i < 3; i += 1) {
      await suggestions(page).first().click();
      await waitLogLength(page, i + 2);
    }
    await logEntries(page).nth(1).click();
    await expect(page.locator('#continue-note').textContent()).resolves.toContain('this simulation keeps its steps #2–#3');
    await page.getByRole('button', { name: 'Continue from here' }).click();
    await page.waitForFunction((id) => !location.hash.endsWith(encodeURIComponent(id)), original);
    await waitLogLength(page, 2);
    await page.waitForFunction(() => document.activeElement?.matches('.event-log button[aria-current="step"]') === true);
    await expect(page.getByRole('button', { name: 'Continue from here' }).count()).resolves.toBe(0);
    await page.getByRole('status').filter({ hasText: 'A branch from step #1' }).waitFor();
    await page.getByRole('link', { name: 'Back to that simulation' }).click();
    await waitLogLength(page, 4);
    expect(sandboxOf(page)).toBe(original);
  });

  it('suggests an event at legalProcess.preserved, and the SUBSCRIBER.RETURNED template has its fields', async () => {
    await startSandbox('mobile-cgnat-no-port');
    for (let i = 0; i < 12 && (await page.locator('[data-state-id$=".routing.legalProcess.preservationRequested"].active').count()) === 0; i += 1) {
      await suggestions(page).first().click();
      await waitLogLength(page, i + 2);
    }
    await waitActive(page, 'routing.legalProcess.preservationRequested');
    const steps = await logEntries(page).count();
    await page.getByRole('button', { name: /^PRESERVATION\.CONFIRMED/ }).click();
    await waitActive(page, 'routing.legalProcess.preserved');
    await waitLogLength(page, steps + 1);
    await expect(suggestions(page).first().textContent()).resolves.toMatch(/^SUBSCRIBER\.RETURNED subjects\[0\]\.ipEvents\[0\]/);

    await page.getByText('Edit and send…').click();
    await page.getByLabel('Event type').selectOption('SUBSCRIBER.RETURNED');
    const template = JSON.parse(await page.getByLabel('Event (JSON)').inputValue()) as Record<string, unknown>;
    expect(template).toEqual({ type: 'SUBSCRIBER.RETURNED', indicatorId: 'subjects[0].ipEvents[0]', location: { countryCode: 'US', region: 'PA', city: 'Scranton' } });
    await page.getByRole('button', { name: 'Send event' }).click();
    await waitActive(page, 'routing.geolocation');
    await waitLogLength(page, steps + 2);
  });

  it('draws "Fit" at a size whose labels can be read, with the active state in view', async () => {
    await startSandbox('webmail-houston');
    await page.getByRole('button', { name: /^TRIAGE\.ASSIGN/ }).click();
    await waitActive(page, 'routing.geolocation.tagging');
    await page.getByRole('button', { name: 'Whole chart' }).click();
    const scaleOf = () =>
      page.evaluate(() => {
        const svg = document.querySelector('.chart-scroll svg');
        const width = Number((svg?.getAttribute('viewBox') ?? '').split(/\s+/)[2]);
        return (svg?.getBoundingClientRect().width ?? 0) / width;
      });
    // The overview is the unreadable one the issue saw: the whole chart in the card.
    expect(await scaleOf()).toBeLessThan(0.6);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.chart-scroll:not(.whole) svg[width]') !== null);
    expect(await scaleOf()).toBeGreaterThanOrEqual(0.75);
    const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('.chart-scroll svg text')].map((t) => t.getBoundingClientRect().height).filter((h) => h > 0)));
    expect(smallest).toBeGreaterThanOrEqual(8);
    await page.waitForFunction(() => {
      const box = document.querySelector('.chart-scroll')?.getBoundingClientRect();
      const target = document.querySelector('[data-state-id$=".routing.geolocation.tagging"] > rect')?.getBoundingClientRect();
      return box !== undefined && target !== undefined && target.left >= box.left && target.right <= box.right && target.top >= box.top && target.bottom <= box.bottom;
    });
    await screenshot(page, 'inspector-fit');
    // On a narrow window Fit stays readable and the page does not run off the side.
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.waitForFunction(() => (document.querySelector('.chart-scroll')?.getBoundingClientRect().width ?? 9999) < 800);
    expect(await scaleOf()).toBeGreaterThanOrEqual(0.75);
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    expect(errors).toEqual([]);
  });
});
