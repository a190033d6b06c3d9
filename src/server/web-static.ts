// The web app's files (issue 7), served by the classroom server with no internet: the page, its styles,
// the compiled modules (dist/web) and Preact from node_modules, mapped by the page's import map. The
// import map is inline, so the Content-Security-Policy allows exactly its hash and nothing else inline.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import { PROJECT_ROOT } from '../io/project-files.js';

/** Pages of the single-page app: each path answers with the same index.html. */
export const APP_PATHS = ['/', '/trainee', '/instructor', '/inspect'] as const;

export interface WebAssets {
  router: Router;
  /** script-src sources for the CSP: 'self' plus the hash of the inline import map. */
  scriptSources: string[];
}

const require = createRequire(import.meta.url);

/** Files of node packages the browser loads, by URL under /vendor/. */
function vendorFiles(): Record<string, string> {
  const preact = dirname(require.resolve('preact/package.json'));
  const files: Record<string, string> = {
    'preact/preact.mjs': join(preact, 'dist', 'preact.mjs'),
    'preact/hooks.mjs': join(preact, 'hooks', 'dist', 'hooks.mjs'),
    'preact/jsx-runtime.mjs': join(preact, 'jsx-runtime', 'dist', 'jsxRuntime.mjs'),
  };
  return files;
}

export function webAssets(root = PROJECT_ROOT): WebAssets {
  const publicDir = join(root, 'src', 'web', 'public');
  const compiledDir = join(root, 'dist', 'web');
  const index = readFileSync(join(publicDir, 'index.html'), 'utf8');
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(index)?.[1];
  if (importMap === undefined) throw new Error('internal: the web page has no import map');
  const hash = createHash('sha256').update(importMap, 'utf8').digest('base64');
  const built = existsSync(join(compiledDir, 'main.js'));
  const router = express.Router();
  const page: express.RequestHandler = (_req, res) => {
    if (!built) {
      res.status(503).type('text/plain').send('The web app is not built: run `npm run build` (npm install does it) and restart the server.\n');
      return;
    }
    res.set('Cache-Control', 'no-cache').type('html').send(index);
  };
  for (const path of APP_PATHS) router.get(path, page);
  const staticOptions = { fallthrough: false, index: false, redirect: false, dotfiles: 'deny' as const, maxAge: 0 };
  router.use('/assets', express.static(publicDir, staticOptions));
  router.use('/app', express.static(compiledDir, staticOptions));
  const vendor = vendorFiles();
  router.get('/vendor/*path', (req, res) => {
    const file = vendor[(req.params as { path: string[] }).path.join('/')];
    if (file === undefined) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.sendFile(file, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
  });
  return { router, scriptSources: ["'self'", `'sha256-${hash}'`] };
}
