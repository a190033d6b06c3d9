// A paced assessment read on two server instances at once (one store, two apps, each its own caches and
// locks, over stores that answer a turn late, as two processes on one PostgreSQL would be): both find the clock behind and tick it; one tick is
// stored, the other instance shows the session as that tick left it instead of answering a read with 409.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { createApp } from '../../src/server/app.js';
import { loadServerExercises } from '../../src/server/exercises.js';
import { createLogger } from '../../src/server/logger.js';
import { addInstructor, call, createCohort, join, login, startTestServer, type TestServer } from './helpers.js';
import { slowed } from './slow-stores.js';

let realNow = Date.parse('2026-12-03T09:00:00Z');
let a: TestServer;
let b: TestServer;

/** An instance on `base`'s stores (its own caches and locks), answering a turn late as a database server would. */
async function second(base: TestServer): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp({ engine: new Engine(bundledReference()), events: slowed(base.events), accounts: slowed(base.accounts), exercises: loadServerExercises(), logger: createLogger({ level: 'silent' }), now: () => realNow, web: false });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      app.closeStreams();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let base: TestServer;
const instances: { url: string; close: () => Promise<void> }[] = [];

beforeAll(async () => {
  base = await startTestServer({ now: () => realNow });
  const [first, other] = [await second(base), await second(base)];
  instances.push(first, other);
  a = { ...base, url: first.url };
  b = { ...base, url: other.url };
});
afterAll(async () => {
  for (const instance of instances) await instance.close();
  await base.close();
});

it('answers both of two reads of a paced assessment sent to two instances at once, with one tick stored', async () => {
  await addInstructor(a, 'teacher');
  const teacher = await login(a, 'teacher');
  const cohort = await createCohort(a, teacher);
  const alice = await join(a, cohort.joinCode, 'alice');
  const started = await call(a, 'POST', '/api/sessions', { token: alice, body: { exerciseId: 'sextortion-p1-wichita', mode: 'assessment' } });
  expect(started.status, started.text).toBe(201);
  const id = (started.body.view as { id: string }).id;
  // Both instances have the session cached.
  expect((await call(a, 'GET', `/api/sessions/${id}`, { token: alice })).status).toBe(200);
  expect((await call(b, 'GET', `/api/sessions/${id}`, { token: alice })).status).toBe(200);
  for (let round = 0; round < 5; round += 1) {
    realNow += 10 * 60 * 1000;
    const [fromA, fromB] = await Promise.all([call(a, 'GET', `/api/sessions/${id}`, { token: alice }), call(b, 'GET', `/api/sessions/${id}`, { token: alice })]);
    expect([fromA.status, fromB.status], `${fromA.text} ${fromB.text}`).toEqual([200, 200]);
    const clockOf = (r: typeof fromA) => (r.body.view as { clock: { now: string } }).clock.now;
    expect(clockOf(fromA)).toBe(clockOf(fromB));
  }
  const ticks = ((await a.events.readLog(id)) ?? []).filter((r) => r.event.type === 'CLOCK.ADVANCE' && (r.event as { cause?: string }).cause === 'pace');
  expect(ticks).toHaveLength(5);
});
