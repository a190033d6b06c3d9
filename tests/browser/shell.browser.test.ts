// The web app's shell in a real browser: served offline with a strict CSP, sign in and out, accessible.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, INSTRUCTOR_PASSWORD, launchBrowser, screenshot, signIn, startWebServer, watchErrors, type WebServer } from './harness.js';

describe.skipIf(!chromiumAvailable())('web app shell (Chromium)', () => {
  let web: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('serves the sign-in page with every asset from the server, under a CSP, with no errors and no serious accessibility violation', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(web.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const response = await page.goto(web.url);
    // The bundled page has no inline script (no import map), so scripts come from this origin only.
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    await expect(page.getByRole('heading', { name: 'Join a class' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'sign-in page');
    await screenshot(page, 'sign-in');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('signs the instructor in and out, and says so plainly when the password is wrong', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(web.url);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Sign in' }) });
    await form.getByLabel('Name').fill('instructor');
    await form.getByLabel('Password').fill('not-the-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('do not match');
    await signIn(page, web.url, 'instructor', INSTRUCTOR_PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });
});
