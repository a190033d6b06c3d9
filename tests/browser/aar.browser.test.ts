// The after-action report in a real browser (issue 18, item 1): the cohort's report opened from the server
// under its own Content-Security-Policy (no violation, nothing requested but the page), checked with axe,
// printed to PDF; and the instructor's improvement plan editor: a suggested row added, completed, saved,
// and found in the downloaded Markdown report.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, INSTRUCTOR_PASSWORD, launchBrowser, screenshot, signIn, startWebServer, TRAINEE_PASSWORD, watchErrors, type WebServer } from './harness.js';

describe.skipIf(!chromiumAvailable())('after-action report (Chromium)', () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let teacher = '';
  let cohort = { id: '', name: 'Morning class', joinCode: '' };

  const api = async <T>(path: string, token: string | undefined, body?: unknown): Promise<T> => {
    const r = await fetch(`${web.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };

  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchBrowser();
    ({ token: teacher } = await api<{ token: string }>('/api/login', undefined, { name: 'instructor', password: INSTRUCTOR_PASSWORD }));
    ({ cohort } = await api<{ cohort: typeof cohort }>('/api/cohorts', teacher, { name: 'Morning class' }));
    // One trainee refers Houston's tip to the state's task force: a wrong unit, so the plan has a suggestion.
    const { token } = await api<{ token: string }>('/api/join', undefined, { code: cohort.joinCode, name: 'bob', password: TRAINEE_PASSWORD });
    const { view } = await api<{ view: { id: string; lastSeq: number } }>('/api/sessions', token, { exerciseId: 'webmail-houston', mode: 'practice' });
    let seq = view.lastSeq;
    for (const [i, event] of [{ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { type: 'GEO.CONFIRM' }, { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC' }].entries()) {
      seq = (await api<{ view: { lastSeq: number } }>(`/api/sessions/${view.id}/events`, token, { event, eventId: `e${i}`, expectedSeq: seq })).view.lastSeq;
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('opens under its own policy with no violation and no request but the page, passes axe, and prints to PDF', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${teacher}` } });
    page = await context.newPage();
    const errors = watchErrors(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const response = await page.goto(`${web.url}/api/cohorts/${cohort.id}/aar`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'After-action report: Morning class' }).waitFor();
    // The stylesheet applied (allowed by its hash): the report's font is not the browser's default serif.
    await expect(page.evaluate(() => getComputedStyle(document.body).fontFamily)).resolves.toContain('system-ui');
    expect(errors).toEqual([]);
    expect(requests).toEqual([`${web.url}/api/cohorts/${cohort.id}/aar`]);
    await expectAccessible(page, 'after-action report');
    await screenshot(page, 'aar-report');
    // Printed, each of the six sections starts a page, on A4 as on Letter.
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0, format).toBeGreaterThanOrEqual(6);
    }
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'aar-report-print');
    await context.close();
  });

  it('lets the instructor add a suggested corrective action, complete it, save it, and find it in the report', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, web.url, 'instructor', INSTRUCTOR_PASSWORD);
    await page.goto(`${web.url}/#/cohort/${cohort.id}`);
    await page.getByRole('heading', { name: 'After-action report' }).waitFor();
    await page.getByRole('button', { name: /^Add to the plan: Walk through the referral rules/ }).click();
    const row = page.getByRole('group', { name: 'Corrective action 1' });
    await expect(row.getByLabel('Corrective action').inputValue()).resolves.toMatch(/^Walk through the referral rules/);
    await row.getByLabel('Owner').fill('Training unit');
    await row.getByLabel('Due date').fill('2027-01-15');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText('Improvement plan saved (1 row).').waitFor();
    await expectAccessible(page, 'cohort page with the improvement plan');
    await screenshot(page, 'aar-plan-editor');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download AAR (Markdown)' }).click()]);
    expect(download.suggestedFilename()).toBe('aar-Morning-class.md');
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    expect(text).toMatch(/\| Walk through the referral rules[^|]*\| referral \| Training unit \| 2027-01-15 \| {2}\|/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
