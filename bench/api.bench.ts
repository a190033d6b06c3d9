// `npm run bench:api`: prints numbers, asserts nothing. On 127.0.0.1 only, bounded (BENCH_SECONDS each,
// BENCH_CONNECTIONS connections): (1) a bare express 5 route returning a small JSON (the reference), (1b) the
// framework's floor of a step (a POST through express.json and helmet answered at once with a fixed answer),
// (2) the real step endpoint POST /api/sessions/:id/events?view=changes (as the web app sends it; (2w) the
// same answering whole views) over the SQLite store (a temp file) and the engine,
// with synchronous FULL (the default) and NORMAL (--durability normal), steps grouped into one commit per
// event-loop turn (the default), and (2c) FULL with a commit per step (as before group commit),
// (3) sessions/s rebuilt from the store by replay, (4) the same over PostgreSQL, one and two instances
// (bench/api-pg.ts). The servers run in a child process so that autocannon
// does not share their event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { Engine, runAutoDriver } from '../src/engine/index.js';
import { benchPostgres } from './api-pg.js';
import { bundledReference } from '../src/io/bundled-reference.js';
import { fixturePath } from '../src/io/project-files.js';
import { readJsonFile } from '../src/io/read-json.js';
import { createApp } from '../src/server/app.js';
import { loadServerExercises } from '../src/server/exercises.js';
import { createLogger } from '../src/server/logger.js';
import { hashPassword } from '../src/server/passwords.js';
import { createStoredSession, persistNewRecords, rebuildSession } from '../src/store/sessions.js';
import { SqliteAccountStore } from '../src/store/sqlite-accounts.js';
import type { Durability } from '../src/store/sqlite-database.js';
import { SqliteEventStore } from '../src/store/sqlite-store.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REPLAY_SESSIONS = Number(process.env.BENCH_REPLAY_SESSIONS ?? 1_000);
const HOST = '127.0.0.1';
const PASSWORD = 'correct-horse-battery';

interface Ready {
  bareUrl: string;
  /** (1b): a POST through express's body parsing and helmet, answered at once. */
  floorUrl: string;
  /** The step endpoint over a database with synchronous FULL (the default) and NORMAL. */
  stepUrl: string;
  normalUrl: string;
  /** FULL, one commit per step. */
  eachUrl: string;
}

const listen = (app: Express): Promise<Server> =>
  new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, HOST, (error?: Error) => (error === undefined ? resolve(s) : reject(error)));
  });
const urlOf = (server: Server): string => `http://${HOST}:${(server.address() as AddressInfo).port}`;

// ---- the child: both servers ---------------------------------------------------------------------------

async function serve(db: string): Promise<void> {
  const bare = express();
  bare.get('/bare', (_req, res) => {
    res.json({ ok: true, at: 1 });
  });
  // (1b) The framework's share of a step: the same method, headers, body parsing and security headers as the
  // step endpoint, answering a fixed step-like answer at once (no token, no engine, no store).
  const floor = express();
  floor.disable('x-powered-by');
  floor.set('etag', false);
  floor.use(helmet());
  floor.use(express.json({ limit: '64kb', strict: true }));
  floor.post('/floor/:id/events', (req, res) => {
    const { eventId, expectedSeq } = req.body as { eventId: string; expectedSeq: number };
    res.setHeader('Cache-Control', 'no-store');
    res.json({ audit: { seq: expectedSeq + 1, eventId, ...FLOOR_AUDIT }, changes: { ...FLOOR_CHANGES, lastSeq: expectedSeq + 1 } });
  });
  const passwordHash = await hashPassword(PASSWORD);
  const stepApp = async (file: string, durability: Durability, commit: 'group' | 'each' = 'group') => {
    // As `tipflow serve` opens it: the file's one writer (serve holds its writer lock), the writer thread for groups.
    const events = new SqliteEventStore(file, durability, { writerThread: commit === 'group', soleWriter: true });
    const accounts = new SqliteAccountStore(file, durability);
    await accounts.createUser({ id: 'id-instructor', name: 'instructor', role: 'instructor', passwordHash, createdAt: new Date().toISOString() });
    const app = createApp({ engine: new Engine(bundledReference()), events, accounts, exercises: loadServerExercises(), logger: createLogger({ level: 'warn' }), commit });
    return { app, close: () => Promise.all([events.close(), accounts.close()]) };
  };
  const full = await stepApp(db, 'full');
  const normal = await stepApp(`${db}.normal`, 'normal');
  const each = await stepApp(`${db}.each`, 'full', 'each');
  const bareServer = await listen(bare);
  const floorServer = await listen(floor);
  const stepServer = await listen(full.app);
  const normalServer = await listen(normal.app);
  const eachServer = await listen(each.app);
  process.on('message', (message) => {
    // The server process's CPU time so far (its threads' together), in µs: the parent reads it around each run.
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
      return;
    }
    if (message !== 'close') return;
    for (const app of [full.app, normal.app, each.app]) app.closeStreams();
    const servers = [bareServer, floorServer, stepServer, normalServer, eachServer];
    for (const server of servers) server.closeAllConnections();
    void Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
      .then(() => Promise.all([full.close(), normal.close(), each.close()]))
      .then(() => process.disconnect());
  });
  process.send?.({ bareUrl: urlOf(bareServer), floorUrl: urlOf(floorServer), stepUrl: urlOf(stepServer), normalUrl: urlOf(normalServer), eachUrl: urlOf(eachServer) } satisfies Ready);
}

// ---- the parent ----------------------------------------------------------------------------------------

async function api(url: string, method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

interface BenchSession {
  id: string;
  token: string;
  seq: number;
}

/** One trainee per connection, each with a session in geolocation.tagging. */
async function prepareSessions(url: string, count: number, prefix = 'bench'): Promise<BenchSession[]> {
  const admin = (await api(url, 'POST', '/api/login', { name: 'instructor', password: PASSWORD })).token as string;
  const cohort = (await api(url, 'POST', '/api/cohorts', { name: 'Bench' }, admin)).cohort as { joinCode: string };
  const out: BenchSession[] = [];
  for (let i = 0; i < count; i += 1) {
    const token = (await api(url, 'POST', '/api/join', { code: cohort.joinCode, name: `${prefix}-${i}`, password: PASSWORD })).token as string;
    const view = (await api(url, 'POST', '/api/sessions', { exerciseId: 'webmail-houston', mode: 'practice' }, token)).view as { id: string; lastSeq: number };
    const stepped = (await api(url, 'POST', `/api/sessions/${view.id}/events`, { event: { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, eventId: 'triage', expectedSeq: view.lastSeq }, token)).view as { lastSeq: number; state: string };
    if (stepped.state !== 'geolocation.tagging') throw new Error(`session ${view.id} is in ${stepped.state}, not geolocation.tagging`);
    out.push({ id: view.id, token, seq: stepped.lastSeq });
  }
  return out;
}

/** The server child's CPU time so far, in µs. */
function serverCpu(server: ChildProcess): Promise<number> {
  return new Promise<number>((resolve) => {
    const heard = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('cpu' in m)) return;
      server.off('message', heard);
      resolve(Number(m.cpu));
    };
    server.on('message', heard);
    server.send('cpu');
  });
}

/**
 * Runs one bench and says how much of the server's CPU each request took: on a machine other work loads,
 * req/s moves with that load, CPU time per request much less.
 */
async function measured<T extends { result: autocannon.Result }>(server: ChildProcess, run: () => Promise<T>): Promise<T & { cpuMs: number; clientCpuMs: number }> {
  const before = await serverCpu(server);
  const client = process.cpuUsage();
  const out = await run();
  const clientUsed = process.cpuUsage(client);
  const cpuMs = (await serverCpu(server)) - before;
  const requests = Math.max(1, out.result.requests.total);
  return { ...out, cpuMs: cpuMs / 1000 / requests, clientCpuMs: (clientUsed.user + clientUsed.system) / 1000 / requests };
}

function report(name: string, result: autocannon.Result, cpuMs?: number): void {
  const codes = Object.entries(result.statusCodeStats ?? {})
    .map(([code, s]) => `${code}×${s.count ?? 0}`)
    .join(' ');
  console.log(
    `${name.padEnd(36)} ${Math.round(result.requests.average).toString().padStart(7)} req/s  p50 ${result.latency.p50.toFixed(1).padStart(5)} ms  p99 ${result.latency.p99.toFixed(1).padStart(5)} ms  ` +
      `${cpuMs === undefined ? '' : `server CPU ${cpuMs.toFixed(2)} ms/req  `}${result.requests.total} requests, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}  [${codes}]`,
  );
}

async function benchBare(url: string): Promise<autocannon.Result> {
  return autocannon({ url: `${url}/bare`, connections: CONNECTIONS, duration: SECONDS });
}

/** A step's answer without its sequence numbers and id (a TAG's audit record and its changes, as the step endpoint answers). */
const FLOOR_AUDIT = {
  at: '2026-01-05T09:00:00.000Z',
  actor: 'trainee',
  event: { type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' },
  from: { routing: { geolocation: 'tagging' }, clock: 'running' },
  to: { routing: { geolocation: 'tagging' }, clock: 'running' },
};
const FLOOR_CHANGES = {
  state: 'routing.geolocation.tagging',
  phase: 'geolocation',
  closed: false,
  allowed: ['GEO.TAG', 'GEO.UNTAG', 'GEO.CONFIRM', 'TRIAGE.DECLINE'],
  clock: { now: '2026-01-05T09:00:00.000Z', pace: 'paced', paused: false, timers: [{ due: '2026-01-06T09:00:00.000Z', event: 'xstate.after.SLA', name: 'triage SLA' }] },
  readOnly: null,
  replacedBy: null,
  debriefReleased: false,
  tags: [{ indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' }],
};

/** (1b) The step's requests (method, headers, a body of the same shape) to the framework-only route. */
async function benchFloor(url: string): Promise<autocannon.Result> {
  let unique = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/floor/s1/events?view=changes',
        headers: { 'content-type': 'application/json', authorization: 'Bearer floor-token-not-checked-here' },
        setupRequest: (request) => {
          unique += 1;
          return { ...request, body: JSON.stringify({ event: FLOOR_AUDIT.event, eventId: `f${unique}`, expectedSeq: unique }) };
        },
      },
    ],
  });
}

/** `changes`: the answer carries the changes to the sender's view, as the web app asks; `full`: the whole view. */
async function benchStep(url: string, sessions: BenchSession[], answer: 'changes' | 'full' = 'changes', seconds = SECONDS, connections = CONNECTIONS): Promise<{ result: autocannon.Result; refused: Map<number, number> }> {
  let next = 0;
  let unique = 0;
  const refused = new Map<number, number>();
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    setupClient: (client) => {
      const session = sessions[next % sessions.length];
      next += 1;
      if (session === undefined) throw new Error('no session for a connection');
      let tagged = false;
      client.setRequests([
        {
          method: 'POST',
          // As the web app sends it: the answer carries the changes to the view, not the whole view.
          path: `/api/sessions/${session.id}/events?view=${answer}`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
          setupRequest: (request) => {
            unique += 1;
            const event = { type: tagged ? 'GEO.UNTAG' : 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat: 'STALE_IP_EVENT' };
            return { ...request, body: JSON.stringify({ event, eventId: `b${unique}`, expectedSeq: session.seq }) };
          },
          onResponse: (status, body) => {
            if (status === 200) {
              const answer = JSON.parse(body) as { view: { lastSeq: number } } | { changes: { lastSeq: number } };
              session.seq = 'changes' in answer ? answer.changes.lastSeq : answer.view.lastSeq;
              tagged = !tagged;
            } else {
              refused.set(status, (refused.get(status) ?? 0) + 1);
            }
          },
        },
      ]);
    },
  });
  return { result, refused };
}

/** N typical sessions (the fixture tips run to the end by the auto driver) written to `db`, then rebuilt. */
async function benchReplay(db: string, benchSessionIds: readonly string[]): Promise<void> {
  const engine = new Engine(bundledReference());
  const store = new SqliteEventStore(db);
  try {
    const tipDir = fixturePath('tips');
    const tips = readdirSync(tipDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readJsonFile(join(tipDir, f)));
    const ids: string[] = [];
    for (let i = 0; ids.length < REPLAY_SESSIONS && i < REPLAY_SESSIONS * 2; i += 1) {
      const tip = tips[i % tips.length];
      let created;
      try {
        created = await createStoredSession(engine, store, tip, { sessionId: `replay-${i}`, createdAt: new Date().toISOString() });
      } catch {
        continue; // a fixture tip that does not start a session
      }
      runAutoDriver(engine, created.session);
      if (!(await persistNewRecords(store, created.session, 0)).ok) throw new Error(`could not persist replay-${i}`);
      ids.push(created.session.id);
    }
    const time = async (list: readonly string[]): Promise<{ ms: number; records: number }> => {
      let records = 0;
      const start = performance.now();
      for (const id of list) {
        const session = await rebuildSession(engine, store, id);
        if (session === null) throw new Error(`session ${id} did not rebuild`);
        records += session.log.length;
      }
      return { ms: performance.now() - start, records };
    };
    await time(ids.slice(0, 50)); // warm-up
    const typical = await time(ids);
    console.log(
      `\n(3) replay from store: ${ids.length} typical sessions (${(typical.records / ids.length).toFixed(1)} records each) in ${typical.ms.toFixed(0)} ms = ` +
        `${Math.round(ids.length / (typical.ms / 1000))} sessions/s, ${Math.round(typical.records / (typical.ms / 1000))} records/s`,
    );
    const long = await time(benchSessionIds);
    console.log(
      `    the ${benchSessionIds.length} bench sessions (${(long.records / Math.max(1, benchSessionIds.length)).toFixed(0)} records each) in ${long.ms.toFixed(0)} ms = ` +
        `${Math.round(benchSessionIds.length / (long.ms / 1000))} sessions/s, ${Math.round(long.records / (long.ms / 1000))} records/s`,
    );
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tipflow-bench-'));
  const db = join(dir, 'bench.db');
  let child: ChildProcess | null = null;
  try {
    // BENCH_PROFILE=dir writes the server's CPU profile there (node --cpu-prof), to see where a step's time goes.
    const profile = process.env.BENCH_PROFILE;
    child = fork(fileURLToPath(import.meta.url), ['--serve', db], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...(profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`])] });
    const server = child;
    const ready = await new Promise<Ready>((resolve, reject) => {
      server.once('message', (m) => resolve(m as Ready));
      server.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
    });
    console.log(`tipflow api bench: ${CONNECTIONS} connections, ${SECONDS} s each, ${HOST}, SQLite file store (node ${process.version})\n`);
    const sessions = await prepareSessions(ready.stepUrl, CONNECTIONS);
    const normalSessions = await prepareSessions(ready.normalUrl, CONNECTIONS);
    const eachSessions = await prepareSessions(ready.eachUrl, CONNECTIONS);
    const wholeSessions = await prepareSessions(ready.stepUrl, CONNECTIONS, 'whole');

    // A second of steps first, so that neither way of answering is measured while the engine's code warms up.
    // Sessions of their own: a request the warm-up's end cuts off leaves its session's seq unknown to the client.
    await benchStep(ready.stepUrl, await prepareSessions(ready.stepUrl, CONNECTIONS, 'warm'), 'changes', 1);
    const { result: bare, cpuMs: bareCpu, clientCpuMs: bareClient } = await measured(server, async () => ({ result: await benchBare(ready.bareUrl) }));
    report('(1) bare express GET (reference)', bare, bareCpu);
    const { result: floorResult, cpuMs: floorCpu } = await measured(server, async () => ({ result: await benchFloor(ready.floorUrl) }));
    report('(1b) express floor of a step (POST, JSON body, helmet; fixed answer)', floorResult, floorCpu);
    const { result: step, refused, cpuMs: stepCpu, clientCpuMs: stepClient } = await measured(server, () => benchStep(ready.stepUrl, sessions));
    report('(2) POST /api/sessions/:id/events', step, stepCpu);
    if (refused.size > 0) console.log(`    refused steps: ${[...refused].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    const ratio = step.requests.average / bare.requests.average;
    // BENCH_ONLY=step stops here (with BENCH_PROFILE, a profile of the steps alone).
    if (process.env.BENCH_ONLY === 'step') {
      console.log(`\nstep endpoint vs bare express: ${ratio.toFixed(2)}× req/s; p99 ${step.latency.p99} ms; server CPU per request: step ${stepCpu.toFixed(2)} ms, floor ${floorCpu.toFixed(2)} ms, bare ${bareCpu.toFixed(2)} ms`);
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.send('close');
      });
      child = null;
      return;
    }
    const { result: whole, refused: wholeRefused, cpuMs: wholeCpu } = await measured(server, () => benchStep(ready.stepUrl, wholeSessions, 'full'));
    report('(2w) the same, whole views (?view=full)', whole, wholeCpu);
    if (wholeRefused.size > 0) console.log(`    refused steps: ${[...wholeRefused].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    const { result: normal, refused: normalRefused, cpuMs: normalCpu } = await measured(server, () => benchStep(ready.normalUrl, normalSessions));
    report('(2b) the same, --durability normal', normal, normalCpu);
    if (normalRefused.size > 0) console.log(`    refused steps: ${[...normalRefused].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    const { result: each, refused: eachRefused, cpuMs: eachCpu } = await measured(server, () => benchStep(ready.eachUrl, eachSessions));
    report('(2c) full, one commit per step', each, eachCpu);
    if (eachRefused.size > 0) console.log(`    refused steps: ${[...eachRefused].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    console.log(`\nstep endpoint vs bare express: ${ratio.toFixed(2)}× req/s (target ≥ 0.50×); p99 ${step.latency.p99} ms (target < 25 ms)`);
    console.log(`  server CPU per request: step ${stepCpu.toFixed(2)} ms, ${(stepCpu / bareCpu).toFixed(1)}× the bare route's ${bareCpu.toFixed(2)} ms (whole views: ${wholeCpu.toFixed(2)} ms)`);
    console.log(
      `  the framework's floor of a step (1b): ${(floorResult.requests.average / bare.requests.average).toFixed(2)}× bare req/s, ${floorCpu.toFixed(2)} ms CPU; tipflow's own work is the rest of the step's ${stepCpu.toFixed(2)} ms` +
        ` (answers: step ${Math.round(step.throughput.total / Math.max(1, step.requests.total))} B, floor ${Math.round(floorResult.throughput.total / Math.max(1, floorResult.requests.total))} B with headers)`,
    );
    // The load generator shares this machine's cores: what it spends per request is not the server's to spend.
    console.log(`  load generator (autocannon) CPU per request: step ${stepClient.toFixed(2)} ms, bare ${bareClient.toFixed(2)} ms`);
    console.log(`  answering whole views instead of the changes (?view=full): ${(whole.requests.average / bare.requests.average).toFixed(2)}× req/s; p99 ${whole.latency.p99} ms`);
    console.log(`  with --durability normal (no fsync per commit): ${(normal.requests.average / bare.requests.average).toFixed(2)}× req/s; p99 ${normal.latency.p99} ms`);
    console.log(`  full with one commit per step (no grouping): ${(each.requests.average / bare.requests.average).toFixed(2)}× req/s; p99 ${each.latency.p99} ms`);

    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.send('close');
    });
    child = null;
    await benchReplay(db, sessions.map((s) => s.id));
    await benchPostgres({ connections: CONNECTIONS, password: PASSWORD, bareAverage: bare.requests.average, prepareSessions, benchStep: (url, sessions, connections) => benchStep(url, sessions, 'changes', SECONDS, connections), report });
  } finally {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  const db = process.argv[3];
  if (db === undefined) throw new Error('--serve needs a database file');
  await serve(db);
} else {
  await main();
}
