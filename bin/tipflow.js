#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` through the `prepare` script), so no TypeScript
// compile is paid on start.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('tipflow is not built yet: run `npm install` (or `npm run build`) in the project folder.\n');
  process.exit(2);
}
await import(entry.href);
