// The PostgreSQL rows of `npm run bench:api` (issue 19): the step endpoint of `tipflow serve --db postgres://…`
// as one instance, and as two instances on one database with the bench client going round-robin (two
// autocannon runs at once, half the connections each, on one instance each), then sessions/s rebuilt from
// PostgreSQL by replay. The server is TIPFLOW_BENCH_PG (a role that may CREATE DATABASE), else TIPFLOW_TEST_PG,
// else a throwaway cluster started here when Debian's postgresql is installed (stopped at the end); otherwise
// a line says so and the rows are skipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import pg from 'pg';
import { Engine } from '../src/engine/index.js';
import { bundledReference } from '../src/io/bundled-reference.js';
import { findPostgresBin, startThrowawayPostgres, stopThrowawayPostgres } from '../src/io/throwaway-postgres.js';
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
  const installed = findPostgresBin();
  if (installed === null) return { skip: 'no PostgreSQL: set TIPFLOW_BENCH_PG=postgres://user@host:port/db (a role that may CREATE DATABASE), or install postgresql for a throwaway cluster' };
  try {
    // Durable commits, as a production server would have them (the test cluster turns fsync off; this one does not).
    const cluster = await startThrowawayPostgres(installed.bin, { prefix: 'tipflow-bench-pg-', durable: true });
    return { url: cluster.url, how: `throwaway cluster, PostgreSQL ${installed.version}, fsync on`, stop: () => stopThrowawayPostgres(cluster) };
  } catch (error) {
    return { skip: (error as Error).message };
  }
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
