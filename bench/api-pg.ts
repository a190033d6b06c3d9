// The PostgreSQL rows of `npm run bench:api` (issue 19): the step endpoint of `tipflow serve --db postgres://…`
// as one instance, and as two instances on one database with the bench client going round-robin (two
// autocannon runs at once, half the connections each, on one instance each), then sessions/s rebuilt from
// PostgreSQL by replay. The server is TIPFLOW_BENCH_PG (a role that may CREATE DATABASE), else TIPFLOW_TEST_PG,
// else a throwaway cluster started here when Debian's postgresql is installed (stopped at the end); otherwise
// a line says so and the rows are skipped.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import pg from 'pg';
import { Engine } from '../src/engine/index.js';
import { bundledReference } from '../src/io/bundled-reference.js';
import { openStores } from '../src/store/open.js';
import { rebuildSession } from '../src/store/sessions.js';

export interface BenchSession {
  id: string;
  token: string;
  seq: number;
}

export interface PgBenchTools {
  connections: number;
  password: string;
  bareAverage: number;
  prepareSessions(url: string, count: number): Promise<BenchSession[]>;
  benchStep(url: string, sessions: BenchSession[], connections: number): Promise<{ result: autocannon.Result; refused: Map<number, number> }>;
  report(name: string, result: autocannon.Result): void;
}

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');

export async function benchPostgres(tools: PgBenchTools): Promise<void> {
  const server = await findServer();
  if ('skip' in server) {
    console.log(`\n(4) PostgreSQL rows skipped: ${server.skip}`);
    return;
  }
  const databases: string[] = [];
  const children: ChildProcess[] = [];
  try {
    const one = await createDatabase(server.url, databases);
    const a = await spawnServe(one, tools.password, children);
    console.log(`\n(4) PostgreSQL (${server.how}), tipflow serve --db postgres://… in its own process, ${tools.connections} connections`);
    const oneSessions = await tools.prepareSessions(a, tools.connections);
    const single = await tools.benchStep(a, oneSessions, tools.connections);
    tools.report('(4a) POST /api/sessions/:id/events, one instance', single.result);
    refusedLine(single.refused);

    const two = await createDatabase(server.url, databases);
    const [b1, b2] = await Promise.all([spawnServe(two, tools.password, children), spawnServe(two, tools.password, children)]);
    const twoSessions = await tools.prepareSessions(b1, tools.connections);
    const half = Math.max(1, Math.floor(tools.connections / 2));
    // Round-robin by connection: the first half of the trainees on one instance, the other half on the other.
    const [r1, r2] = await Promise.all([tools.benchStep(b1, twoSessions.slice(0, half), half), tools.benchStep(b2, twoSessions.slice(half), tools.connections - half)]);
    const steps = r1.result.requests.average + r2.result.requests.average;
    console.log(
      `${'(4b) the same, two instances round-robin'.padEnd(44)} ${steps.toFixed(0).padStart(7)} steps/s  p50 ${Math.max(r1.result.latency.p50, r2.result.latency.p50)} ms  p99 ${Math.max(r1.result.latency.p99, r2.result.latency.p99)} ms  (per instance: ${r1.result.requests.average.toFixed(0)} + ${r2.result.requests.average.toFixed(0)}; errors ${r1.result.errors + r2.result.errors}, non-2xx ${r1.result.non2xx + r2.result.non2xx})`,
    );
    refusedLine(new Map([...r1.refused, ...r2.refused].reduce((m, [s, n]) => m.set(s, (m.get(s) ?? 0) + n), new Map<number, number>())));
    console.log(`PostgreSQL step vs bare express: one instance ${(single.result.requests.average / tools.bareAverage).toFixed(2)}×, two instances ${(steps / tools.bareAverage).toFixed(2)}× req/s`);
    for (const child of children.splice(0)) await stop(child);
    await benchPgReplay(one, oneSessions.map((s) => s.id));
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await dropDatabases(server.url, databases);
    server.stop();
  }
}

function refusedLine(refused: Map<number, number>): void {
  if (refused.size > 0) console.log(`    refused steps: ${[...refused].map(([s, n]) => `${s}×${n}`).join(', ')}`);
}

/** The bench sessions rebuilt from PostgreSQL (each a read of its row and its records, then the replay). */
async function benchPgReplay(url: string, ids: readonly string[]): Promise<void> {
  const engine = new Engine(bundledReference());
  const stores = await openStores(url);
  try {
    let records = 0;
    const start = performance.now();
    for (const id of ids) {
      const session = await rebuildSession(engine, stores.events, id);
      if (session === null) throw new Error(`session ${id} did not rebuild`);
      records += session.log.length;
    }
    const ms = performance.now() - start;
    console.log(`(4c) replay from PostgreSQL: the ${ids.length} bench sessions (${(records / Math.max(1, ids.length)).toFixed(0)} records each) in ${ms.toFixed(0)} ms = ${Math.round(ids.length / (ms / 1000))} sessions/s, ${Math.round(records / (ms / 1000))} records/s`);
  } finally {
    await stores.close();
  }
}

type Found = { url: string; how: string; stop: () => void } | { skip: string };

async function findServer(): Promise<Found> {
  for (const name of ['TIPFLOW_BENCH_PG', 'TIPFLOW_TEST_PG'] as const) {
    const given = process.env[name];
    if (given !== undefined && given !== '') return { url: given, how: name, stop: () => undefined };
  }
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((x, y) => Number(y) - Number(x)).find((v) => existsSync(join(root, v, 'bin', 'initdb'))) : undefined;
  if (version === undefined) return { skip: 'no PostgreSQL: set TIPFLOW_BENCH_PG=postgres://user@host:port/db (a role that may CREATE DATABASE), or install postgresql for a throwaway cluster' };
  const bin = join(root, version, 'bin');
  const asRoot = process.getuid?.() === 0;
  const base = mkdtempSync(join(tmpdir(), 'tipflow-bench-pg-'));
  if (asRoot) chownSync(base, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const run = (command: string, args: readonly string[]) => (asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' }) : spawnSync(command, args, { stdio: 'pipe' }));
  const data = join(base, 'data');
  const port = await freePort();
  const init = run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C']);
  if (init.status !== 0) return { skip: `initdb failed: ${init.stderr.toString().trim()}` };
  // Durable commits, as a production server would have them (the test cluster turns fsync off; this one does not).
  const started = run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(base, 'log'), '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=200`, '-w', 'start']);
  if (started.status !== 0) return { skip: `pg_ctl start failed: ${started.stderr.toString().trim()}` };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    how: `throwaway cluster, PostgreSQL ${version}, fsync on`,
    stop: () => {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function createDatabase(adminUrl: string, made: string[]): Promise<string> {
  const name = `tipflow_bench_${process.pid}_${made.length}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  made.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect().catch(() => undefined);
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `tipflow serve --db <url>` on a free loopback port; resolves with its address once it listens. */
function spawnServe(db: string, password: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], { env: { ...process.env, TIPFLOW_ADMIN_PASSWORD: password, TIPFLOW_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const url = /tipflow serves (http:\/\/\S+)/.exec(buffer)?.[1];
      if (url !== undefined) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`tipflow serve exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
