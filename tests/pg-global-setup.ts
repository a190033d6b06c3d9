// vitest globalSetup: a place for the throwaway PostgreSQL cluster of the store contract tests, and its end.
// Nothing starts here: the first test file that needs PostgreSQL starts the cluster (tests/store/contract/
// pg-harness.ts), so a run without PostgreSQL tests costs nothing. The run's teardown stops what was started.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopThrowawayPostgres, type ClusterFiles } from '../src/io/throwaway-postgres.js';

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
  if (existsSync(started)) stopThrowawayPostgres(JSON.parse(readFileSync(started, 'utf8')) as ClusterFiles);
  rmSync(runDir, { recursive: true, force: true });
}
