// PostgreSQL for the store contract tests: TIPFLOW_TEST_PG when set; otherwise, outside CI, a throwaway cluster
// of this test run started on first use (one per run, shared by every file; tests/pg-global-setup.ts stops
// it); otherwise the tests are skipped with a note on how to run them. In CI they fail without PostgreSQL.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { findPostgresBin, startThrowawayPostgres } from '../../../src/io/throwaway-postgres.js';

export const HOW_TO_RUN = 'set TIPFLOW_TEST_PG=postgres://user@host:port/db (a role that may CREATE DATABASE), or install PostgreSQL (Debian: apt-get install postgresql) for a throwaway cluster';

export type PgAvailability = { url: string } | { skip: string } | { fail: string };

let admin: Promise<PgAvailability> | null = null;

/** Where the tests' PostgreSQL server is, started here if need be (once per process). */
export function pgAvailability(): Promise<PgAvailability> {
  admin ??= findServer();
  return admin;
}

async function findServer(): Promise<PgAvailability> {
  const given = process.env.TIPFLOW_TEST_PG;
  if (given !== undefined && given !== '') return { url: given };
  const installed = findPostgresBin();
  if (process.env.CI !== undefined && process.env.CI !== '' && installed === null) return { fail: `the PostgreSQL store tests need a server in CI: ${HOW_TO_RUN}` };
  if (process.env.CI !== undefined && process.env.CI !== '') return { fail: `TIPFLOW_TEST_PG is not set (.ci/run starts a cluster and sets it): ${HOW_TO_RUN}` };
  if (installed === null) return { skip: `PostgreSQL store tests skipped: ${HOW_TO_RUN}` };
  return { url: await throwawayCluster(installed.bin) };
}

/** The first file to get here starts the run's cluster; the others wait for its address. */
async function throwawayCluster(bin: string): Promise<string> {
  const runDir = inject('pgRunDir');
  const urlFile = join(runDir, 'url');
  let starter = true;
  try {
    mkdirSync(join(runDir, 'starting'));
  } catch {
    starter = false;
  }
  if (!starter) {
    for (let waited = 0; waited < 60_000; waited += 100) {
      if (existsSync(urlFile)) return readFileSync(urlFile, 'utf8');
      if (existsSync(join(runDir, 'failed'))) throw new Error(`the throwaway PostgreSQL cluster did not start: ${readFileSync(join(runDir, 'failed'), 'utf8')}`);
      await sleep(100);
    }
    throw new Error('the throwaway PostgreSQL cluster did not start within a minute');
  }
  try {
    const { url } = await startThrowawayPostgres(bin, {
      prefix: 'tipflow-pg-',
      durable: false,
      // Written before the start, so the teardown (tests/pg-global-setup.ts) stops a cluster that started but whose start did not answer.
      beforeStart: (files) => writeFileSync(join(runDir, 'cluster.json'), JSON.stringify(files)),
    });
    writeFileSync(`${urlFile}.tmp`, url);
    renameSync(`${urlFile}.tmp`, urlFile);
    return url;
  } catch (error) {
    writeFileSync(join(runDir, 'failed'), (error as Error).message);
    throw error;
  }
}

/** A fresh, empty database on the server for one test file; its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `tipflow_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database createTestDatabase made (a TIPFLOW_TEST_PG server keeps no leftovers of a run). */
export async function dropTestDatabase(adminUrl: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^tipflow_test_\w+$/.test(name)) throw new Error(`not a test database: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Empties every table of a tipflow database (the schema stays), so each test starts on nothing. */
export async function emptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'schema_version'")).rows.map((r) => r.tablename);
    if (tables.length > 0) await client.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}
