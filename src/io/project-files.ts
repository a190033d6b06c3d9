// Where the project's bundled files live, wherever the code runs from (sources under vitest, dist/ when built).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tipflow') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the tipflow project folder above ${start}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const FIXTURES_DIR = join(PROJECT_ROOT, 'fixtures');
export const fixturePath = (...parts: string[]): string => join(FIXTURES_DIR, ...parts);
