// PostgreSQL for the store contract tests: TIPFLOW_TEST_PG when set; otherwise, outside CI, a throwaway cluster
// of this test run started on first use (one per run, shared by every file; tests/pg-global-setup.ts stops
// it); otherwise the tests are skipped with a note on how to run them. In CI they fail without PostgreSQL.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inject } from 'vitest';

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
  const initdb = findInitdb();
  if (process.env.CI !== undefined && process.env.CI !== '' && initdb === null) return { fail: `the PostgreSQL store tests need a server in CI: ${HOW_TO_RUN}` };
  if (process.env.CI !== undefined && process.env.CI !== '') return { fail: `TIPFLOW_TEST_PG is not set (.ci/run starts a cluster and sets it): ${HOW_TO_RUN}` };
  if (initdb === null) return { skip: `PostgreSQL store tests skipped: ${HOW_TO_RUN}` };
  return { url: await throwawayCluster(initdb) };
}

function findInitdb(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const initdb = join(root, version, 'bin', 'initdb');
    if (existsSync(initdb)) return initdb;
  }
  return null;
}

const asRoot = process.getuid?.() === 0;
const run = (command: string, args: readonly string[]) => (asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' }) : execFileSync(command, args, { stdio: 'pipe' }));

/** The first file to get here starts the run's cluster; the others wait for its address. */
async function throwawayCluster(initdb: string): Promise<string> {
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
    const bin = join(initdb, '..');
    const base = mkdtempSync(join(tmpdir(), 'tipflow-pg-'));
    if (asRoot) chownSync(base, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
    const data = join(base, 'data');
    const port = await freePort();
    run(initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    // Written before the start, so the teardown stops a cluster that started but whose start did not answer.
    writeFileSync(join(runDir, 'cluster.json'), JSON.stringify({ pgCtl: join(bin, 'pg_ctl'), base, data, asPostgres: asRoot }));
    const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    const started = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-l', join(base, 'log'), '-o', options, '-w', 'start'], { stdio: 'pipe' })
      : spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-l', join(base, 'log'), '-o', options, '-w', 'start'], { stdio: 'pipe' });
    if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.stderr.toString()}${existsSync(join(base, 'log')) ? readFileSync(join(base, 'log'), 'utf8') : ''}`);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    writeFileSync(`${urlFile}.tmp`, url);
    renameSync(`${urlFile}.tmp`, urlFile);
    return url;
  } catch (error) {
    writeFileSync(join(runDir, 'failed'), (error as Error).message);
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
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
