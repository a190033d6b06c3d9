// vitest globalSetup: a place for the throwaway PostgreSQL cluster of the store contract tests, and its end.
// Nothing starts here: the first test file that needs PostgreSQL starts the cluster (tests/store/contract/
// pg-harness.ts), so a run without PostgreSQL tests costs nothing. The run's teardown stops what was started.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's throwaway cluster lives, once a test file started one. */
    pgRunDir: string;
  }
}

let runDir: string | null = null;

export function setup(project: TestProject): void {
  runDir = mkdtempSync(join(tmpdir(), 'tipflow-pg-run-'));
  project.provide('pgRunDir', runDir);
}

export function teardown(): void {
  if (runDir === null) return;
  const started = join(runDir, 'cluster.json');
  if (existsSync(started)) {
    const { pgCtl, base, data, asPostgres } = JSON.parse(readFileSync(started, 'utf8')) as { pgCtl: string; base: string; data: string; asPostgres: boolean };
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    try {
      if (asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
      else execFileSync(pgCtl, args, { stdio: 'ignore' });
    } catch {
      // Already stopped: nothing to do but remove its files.
    }
    rmSync(base, { recursive: true, force: true });
  }
  rmSync(runDir, { recursive: true, force: true });
}
