// Fair assessments in Chromium (issue 14): an assessment-only assignment offers no practice button and no
// hint, a retake needs the instructor (who grants it from the cohort page), and a session replaced by an
// undo, reopened with Back, is read-only and points to the one that goes on.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, INSTRUCTOR_PASSWORD, launchBrowser, screenshot, signIn, startWebServer, TRAINEE_PASSWORD, watchErrors, type WebServer } from './harness.js';

async function call<T>(web: WebServer, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${web.url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

const SEXTORTION = 'Sextortion of a child, against the one-hour triage clock';
const HOUSTON = 'Webmail report to the Houston task force';

async function join(page: Page, web: WebServer, code: string, name: string): Promise<void> {
  await page.goto(web.url);
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Join a class' }) });
  await form.getByLabel('Join code').fill(code);
  await form.getByLabel('Choose a name').fill(name);
  await form.getByLabel('Choose a password').fill(TRAINEE_PASSWORD);
  await form.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('heading', { name: 'Your exercises', level: 1 }).waitFor();
}

const card = (page: Page, title: string) => page.locator('li.exercise', { has: page.getByRole('heading', { name: title }) });
const sessionIdOf = (page: Page): string => decodeURIComponent(new URL(page.url()).hash.replace('#/session/', ''));

describe.skipIf(!chromiumAvailable())('fair assessments (Chromium)', () => {
  let web: WebServer;
  let browser: Browser;
  let cohort: { id: string; joinCode: string };
  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchBrowser();
    const { token } = await call<{ token: string }>(web, 'POST', '/api/login', null, { name: 'instructor', password: INSTRUCTOR_PASSWORD });
    ({ cohort } = await call<{ cohort: { id: string; joinCode: string } }>(web, 'POST', '/api/cohorts', token, { name: 'Assessed class' }));
    await call(web, 'POST', `/api/cohorts/${cohort.id}/assignments`, token, { exerciseId: 'sextortion-p1-wichita', mode: 'assessment', attempts: 1 });
    await call(web, 'POST', `/api/cohorts/${cohort.id}/assignments`, token, { exerciseId: 'webmail-houston' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('offers no practice and no hint for an assessment-only exercise, and a retake only once the instructor grants it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await join(page, web, cohort.joinCode, 'dana');

    const assessed = card(page, SEXTORTION);
    await expect(assessed.getByRole('button', { name: 'Start practice' }).count()).resolves.toBe(0);
    await expect(assessed.textContent()).resolves.toContain('Assessment only: no practice, no hints. Assessment attempts: 0 of 1 used.');
    // The trainee reads the brief; never the summary or the lesson code.
    await expect(assessed.textContent()).resolves.toContain('A messaging provider reports an adult threatening a child');
    await expect(assessed.textContent()).resolves.not.toMatch(/exigent|Lesson/);
    await expectAccessible(page, 'home with an assessment-only exercise');
    await screenshot(page, 'fair-home-assessment-only');

    await assessed.getByRole('button', { name: 'Start assessment' }).click();
    await page.getByRole('heading', { name: SEXTORTION, level: 1 }).waitFor();
    for (const name of ['Hint', 'Undo my last decision', 'Wait 1 hour']) await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);

    // Back home: the one attempt is used, so no assessment can start.
    await page.getByRole('link', { name: '← Your exercises' }).click();
    await page.getByRole('heading', { name: 'Your exercises', level: 1 }).waitFor();
    await card(page, SEXTORTION).getByText('You have used your assessment attempt: a retake needs your instructor.').waitFor();
    await expect(card(page, SEXTORTION).getByRole('button').count()).resolves.toBe(0);

    // The instructor sees the attempt on the grid and grants one more.
    const teacher = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const teacherErrors = watchErrors(teacher);
    await signIn(teacher, web.url, 'instructor', INSTRUCTOR_PASSWORD);
    await teacher.getByRole('link', { name: 'Assessed class' }).click();
    // The grid has a row per session of the trainee, grouped under their name (the attempts in the group's head).
    const row = teacher.locator('tbody[data-owner="dana"]');
    await row.locator('tr', { hasText: 'Assessment #1' }).getByRole('link', { name: new RegExp(`^${SEXTORTION}`) }).waitFor();
    await row.getByText(/^Attempts \(1\)/).click();
    await row.getByText(/· assessment #1 ·/).waitFor();
    await row.getByText(`${SEXTORTION}: 1 of 1 assessment attempt used.`).waitFor();
    // Houston is assigned for both modes: its assessment attempt is not used, so there is nothing to grant.
    await row.getByText(`${HOUSTON}: 0 of 1 assessment attempt used.`).waitFor();
    await expect(row.getByRole('button', { name: `Grant dana another attempt at ${HOUSTON}` }).count()).resolves.toBe(0);
    await expectAccessible(teacher, 'cohort page, attempts of a trainee');
    await screenshot(teacher, 'fair-instructor-attempts');
    await row.getByRole('button', { name: `Grant dana another attempt at ${SEXTORTION}` }).click();
    await row.getByText(`dana may take ${SEXTORTION} once more (1 of 2 attempts used).`).waitFor();

    // The instructor assigns another exercise for assessment only, with two attempts, from the page.
    await teacher.getByLabel('Exercise to assign').selectOption('direct-london');
    await teacher.getByLabel('Mode').selectOption('assessment');
    await teacher.getByLabel('Assessment attempts').fill('2');
    await teacher.getByRole('button', { name: 'Assign', exact: true }).click();
    await teacher.getByText(/^Assigned Obscene material .* \(assessment only, 2 assessment attempts\)\.$/).waitFor();

    await page.reload();
    await card(page, SEXTORTION).getByText('Assessment attempts: 1 of 2 used.').waitFor();
    await expect(card(page, 'Obscene material sent to a child from a London home line').textContent()).resolves.toContain('Assessment only: no practice, no hints. Assessment attempts: 0 of 2 used.');
    await card(page, SEXTORTION).getByRole('button', { name: 'Start assessment' }).click();
    await page.getByRole('heading', { name: SEXTORTION, level: 1 }).waitFor();
    await row.getByText(/^Attempts \(2\)/).waitFor({ timeout: 10_000 });

    expect(errors.filter((e) => !/\/stream net::ERR_ABORTED/.test(e))).toEqual([]);
    expect(teacherErrors.filter((e) => !/\/stream net::ERR_ABORTED/.test(e))).toEqual([]);
    await teacher.close();
    await page.close();
  }, 90_000);

  it('shows a session replaced by an undo read-only when Back reopens it, and points to the one that goes on', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await join(page, web, cohort.joinCode, 'eli');
    await card(page, HOUSTON).getByRole('button', { name: 'Start practice' }).click();
    await page.getByRole('heading', { name: HOUSTON, level: 1 }).waitFor();
    const first = sessionIdOf(page);
    const form = page.getByRole('form', { name: 'Triage' });
    await form.getByRole('radio', { name: /^P3\b/ }).check();
    await form.getByRole('radio', { name: /^referral\b/ }).check();
    await form.getByRole('button', { name: 'Assign priority and track' }).click();
    await page.locator('#decision-title', { hasText: /^Decide: geolocation caveats$/ }).waitFor();
    await page.getByRole('button', { name: 'Undo my last decision' }).click();
    await page.waitForFunction((before) => !location.hash.endsWith(before), first);
    const second = sessionIdOf(page);

    await page.goBack();
    await page.waitForFunction((before) => location.hash.endsWith(before), first);
    const alert = page.getByRole('alert').filter({ hasText: 'This session was replaced by an undo and is read-only' });
    await alert.waitFor();
    for (const name of ['Hint', 'Undo my last decision', 'Wait 1 hour', 'Confirm the geolocation']) await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    await expect(page.locator('#decision-title').count()).resolves.toBe(0);
    await expectAccessible(page, 'a replaced session, read-only');
    await screenshot(page, 'fair-replaced-session');
    await alert.getByRole('link', { name: 'Go on in the new session' }).click();
    await page.waitForFunction((want) => location.hash.endsWith(want), second);
    await page.locator('#decision-title', { hasText: /^Decide: triage$/ }).waitFor();

    // An undo taken elsewhere (another tab) moves the open page to the new session, and it says why.
    const form2 = page.getByRole('form', { name: 'Triage' });
    await form2.getByRole('radio', { name: /^P3\b/ }).check();
    await form2.getByRole('radio', { name: /^referral\b/ }).check();
    await form2.getByRole('button', { name: 'Assign priority and track' }).click();
    await page.locator('#decision-title', { hasText: /^Decide: geolocation caveats$/ }).waitFor();
    const { token } = await call<{ token: string }>(web, 'POST', '/api/login', null, { name: 'eli', password: TRAINEE_PASSWORD });
    const { view } = await call<{ view: { lastSeq: number } }>(web, 'GET', `/api/sessions/${second}`, token);
    const undone = await call<{ view: { id: string } }>(web, 'POST', `/api/sessions/${second}/undo`, token, { expectedSeq: view.lastSeq });
    await page.waitForFunction((want) => location.hash.endsWith(want), undone.view.id, { timeout: 10_000 });
    await page.getByRole('status').filter({ hasText: 'Your previous session was replaced by an undo, so this page moved to the session that goes on' }).waitFor();
    expect(errors.filter((e) => !/\/stream net::ERR_ABORTED/.test(e))).toEqual([]);
    await page.close();
  }, 60_000);
});
