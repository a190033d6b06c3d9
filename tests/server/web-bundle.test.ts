// The web app as the server hands it out after `npm run build` (issue 18, item 5): one page naming only
// bundled files (a script and a stylesheet with hashed names, the icon) plus the diagram's stylesheet, each
// cached for a year; no inline script, no import map, no file from elsewhere; a CSP that allows scripts
// from this origin only. Needs `npm run build` first (npm test runs it through pretest).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/io/project-files.js';
import { webAssets } from '../../src/server/web-static.js';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  if (!existsSync(join(PROJECT_ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web/index.html is missing: run `npm run build` before this test');
  t = await startTestServer();
});
afterAll(() => t.close());

/** Every URL the page names in src= or href=, and the page's script elements. */
function referencesOf(html: string): { urls: string[]; scripts: string[] } {
  const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
  const scripts = [...html.matchAll(/<script\b[^>]*>[\s\S]*?<\/script>/g)].map((m) => m[0]);
  return { urls, scripts };
}

describe('the bundled web app', () => {
  it('names only bundled files with hashed names (and the diagram stylesheet), a handful in all', async () => {
    for (const path of ['/', '/trainee', '/instructor', '/inspect']) {
      const reply = await fetch(`${t.url}${path}`);
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-cache');
      const html = await reply.text();
      const { urls } = referencesOf(html);
      const bundled = urls.filter((u) => u !== '/assets/diagram.css');
      expect(bundled.length).toBeGreaterThanOrEqual(2);
      expect(urls.length).toBeLessThanOrEqual(5);
      for (const url of bundled) expect(url, `${path} names ${url}`).toMatch(/^\/app\/[\w.]+-[\w-]{8,}\.(js|css|svg)$/);
      expect(bundled.filter((u) => u.endsWith('.js'))).toHaveLength(1);
      expect(bundled.filter((u) => u.endsWith('.css'))).toHaveLength(1);
      expect(html).not.toMatch(/importmap|\/vendor\/|https?:\/\/|src="\/\//);
    }
  });

  it('serves each bundled file with a year-long immutable cache, and the script imports no other module', async () => {
    const { urls } = referencesOf(await (await fetch(t.url)).text());
    for (const url of urls.filter((u) => u.startsWith('/app/'))) {
      const reply = await fetch(`${t.url}${url}`);
      expect(reply.status, url).toBe(200);
      expect(reply.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
      const body = await reply.text();
      if (url.endsWith('.js')) {
        expect(reply.headers.get('content-type')).toMatch(/javascript/);
        // Preact and every page are inside: no static or dynamic import left for the browser to fetch.
        expect(body).not.toMatch(/\bimport\s*["'(]|\bfrom\s*["']/);
        expect(body).toContain('Sign in');
      }
      if (url.endsWith('.css')) expect(reply.headers.get('content-type')).toMatch(/text\/css/);
    }
    expect((await fetch(`${t.url}/app/../package.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/app/main.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/vendor/preact/preact.mjs`)).status).toBe(404);
  });

  it('has no inline script, and a CSP whose script-src is this origin only', async () => {
    const reply = await fetch(t.url);
    const { scripts } = referencesOf(await reply.text());
    expect(scripts).toHaveLength(1);
    for (const script of scripts) expect(script).toMatch(/^<script type="module" crossorigin src="\/app\/[^"]+"><\/script>$/);
    const csp = reply.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("style-src 'self'");
  });

  it('says how to build when the bundle is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tipflow-unbuilt-'));
    const unbuilt = await startTestServer({ web: webAssets(empty) });
    try {
      const reply = await fetch(unbuilt.url);
      expect(reply.status).toBe(503);
      expect(await reply.text()).toContain('npm run build');
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
