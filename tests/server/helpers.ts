// A test server on 127.0.0.1 (port 0), in-memory stores, logs captured in memory.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApp, type AppOptions, type TipflowApp } from '../../src/server/app.js';
import { loadServerExercises, type ServerExercise } from '../../src/server/exercises.js';
import { createLogger } from '../../src/server/logger.js';
import { hashPassword } from '../../src/server/passwords.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { engine } from '../engine/helpers.js';

let exercises: ServerExercise[] | null = null;

export interface TestServer {
  url: string;
  app: TipflowApp;
  events: SqliteEventStore;
  accounts: SqliteAccountStore;
  logs: string[];
  close(): Promise<void>;
}

export const PASSWORD = 'correct-horse-battery';

export async function startTestServer(overrides: Partial<AppOptions> = {}): Promise<TestServer> {
  exercises ??= loadServerExercises();
  const events = new SqliteEventStore(':memory:');
  const accounts = new SqliteAccountStore(':memory:');
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const app = createApp({ engine, events, accounts, exercises, logger, ...overrides });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    events,
    accounts,
    logs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        app.closeStreams();
        server.closeAllConnections();
        server.close(() => {
          Promise.all([events.close(), accounts.close()]).then(() => resolve(), reject);
        });
      }),
  };
}

export async function addInstructor(t: TestServer, name: string): Promise<void> {
  await t.accounts.createUser({ id: `id-${name}`, name, role: 'instructor', passwordHash: await hashPassword(PASSWORD), createdAt: new Date().toISOString() });
}

export interface Reply {
  status: number;
  body: Record<string, unknown> & { [key: string]: unknown };
  text: string;
}

export async function call(t: TestServer, method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${t.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = {};
  }
  return { status: response.status, body: parsed, text };
}

export async function login(t: TestServer, name: string, password = PASSWORD): Promise<string> {
  const reply = await call(t, 'POST', '/api/login', { body: { name, password } });
  if (reply.status !== 200) throw new Error(`login ${name}: ${reply.status} ${reply.text}`);
  return reply.body.token as string;
}

export async function createCohort(t: TestServer, token: string, name = 'Morning class'): Promise<{ id: string; joinCode: string }> {
  const reply = await call(t, 'POST', '/api/cohorts', { token, body: { name } });
  if (reply.status !== 201) throw new Error(`cohort: ${reply.status} ${reply.text}`);
  return reply.body.cohort as { id: string; joinCode: string };
}

export async function join(t: TestServer, code: string, name: string): Promise<string> {
  const reply = await call(t, 'POST', '/api/join', { body: { code, name, password: PASSWORD } });
  if (reply.status !== 201) throw new Error(`join ${name}: ${reply.status} ${reply.text}`);
  return reply.body.token as string;
}

export async function startSession(t: TestServer, token: string, exerciseId = 'webmail-houston', mode = 'practice'): Promise<{ id: string; lastSeq: number; [key: string]: unknown }> {
  const reply = await call(t, 'POST', '/api/sessions', { token, body: { exerciseId, mode } });
  if (reply.status !== 201) throw new Error(`start: ${reply.status} ${reply.text}`);
  return reply.body.view as { id: string; lastSeq: number };
}

/** A test server with two instructors (`teacher`, `other`), the teacher's cohort "Morning class", and trainees who joined it. */
export interface Classroom<Name extends string> {
  t: TestServer;
  teacher: string;
  other: string;
  cohort: { id: string; joinCode: string };
  /** Bearer tokens of the trainees, by name. */
  trainees: Record<Name, string>;
}

export async function startClassroom<const Name extends string>(trainees: readonly Name[]): Promise<Classroom<Name>> {
  const t = await startTestServer();
  await addInstructor(t, 'teacher');
  await addInstructor(t, 'other');
  const teacher = await login(t, 'teacher');
  const other = await login(t, 'other');
  const cohort = await createCohort(t, teacher);
  const tokens = {} as Record<Name, string>;
  for (const name of trainees) tokens[name] = await join(t, cohort.joinCode, name);
  return { t, teacher, other, cohort, trainees: tokens };
}

/** POST /api/sessions/:id/events as `token`. */
export const sendEvent = (t: TestServer, token: string, id: string, event: unknown, eventId: string, expectedSeq: number): Promise<Reply> =>
  call(t, 'POST', `/api/sessions/${id}/events`, { token, body: { event, eventId, expectedSeq } });
