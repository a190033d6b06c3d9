// The web app's files (issues 7 and 18), served by the classroom server with no internet: the page and the
// bundle `npm run build` makes with Vite (dist/web: index.html, and under app/ one script, one stylesheet
// and the icon, Preact inside the script). Bundled names carry a content hash, so the browser keeps them a
// year and never asks again; the page itself is revalidated each time so a rebuild shows at once. The page
// has no inline script, so the Content-Security-Policy allows scripts from this origin only.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { PROJECT_ROOT } from '../io/project-files.js';

/** Pages of the single-page app: each path answers with the same index.html. */
export const APP_PATHS = ['/', '/trainee', '/instructor', '/inspect'] as const;

/** Where the bundle's files are served; the page names them as /app/<name>-<hash>.<ext>. */
export const BUNDLE_PATH = '/app';

export interface WebAssets {
  router: Router;
  /** script-src sources for the CSP: 'self' only (the bundled page has no inline script). */
  scriptSources: string[];
}

const HASHED_NAME = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\.map)?$/;
const YEAR_SECONDS = 365 * 24 * 60 * 60;

export function webAssets(root = PROJECT_ROOT): WebAssets {
  const bundleDir = join(root, 'dist', 'web');
  const indexFile = join(bundleDir, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
  const router = express.Router();
  const page: express.RequestHandler = (_req, res) => {
    if (index === null) {
      res.status(503).type('text/plain').send('The web app is not built: run `npm run build` (npm install does it) and restart the server.\n');
      return;
    }
    res.set('Cache-Control', 'no-cache').type('html').send(index);
  };
  for (const path of APP_PATHS) router.get(path, page);
  router.use(
    BUNDLE_PATH,
    express.static(join(bundleDir, 'app'), {
      fallthrough: false,
      index: false,
      redirect: false,
      dotfiles: 'deny',
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', HASHED_NAME.test(file) ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache');
      },
    }),
  );
  return { router, scriptSources: ["'self'"] };
}
