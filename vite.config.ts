// The web app's bundle (issue 18, item 5): src/web/index.html and everything it imports, Preact included,
// become one script and one stylesheet with hashed names in dist/web/app/, so a page loads a handful of
// files instead of 55-70 modules. `npm run build` runs it after tsc, which still type-checks src/web.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('src/web/', import.meta.url));

export default defineConfig({
  root: webRoot,
  // src/web/public holds the stylesheets the page links: they are bundled, not copied as they are.
  publicDir: false,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('dist/web/', import.meta.url)),
    emptyOutDir: true,
    // Served under /app/ with a year's cache: the names change when the content does.
    assetsDir: 'app',
    target: 'es2022',
    sourcemap: true,
    // The page's CSP forbids inline script; the browsers a classroom uses all support modulepreload.
    modulePreload: { polyfill: false },
    // Icons stay files: a data: URL in the page would need img-src data: for the favicon alone.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
