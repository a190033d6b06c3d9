// Several instances on one PostgreSQL database (DESIGN §13): each hears the others' commits (a notification
// wakes it, the store is read for the truth), once each and in order; a dropped LISTEN connection catches up;
// two instances that open a new database at once migrate it once.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { expect, it } from 'vitest';
import { runAutoDriver } from '../../../src/engine/index.js';
import type { AppendedEvent, EventStore } from '../../../src/store/event-store.js';
import { openStores } from '../../../src/store/open.js';
import { PG_MIGRATIONS } from '../../../src/store/pg-migrations.js';
import { createStoredSession, persistNewRecords } from '../../../src/store/sessions.js';
import { DAY, engine, houstonTip } from '../../engine/helpers.js';
import { createTestDatabase, dropTestDatabase, pgAvailability } from './pg-harness.js';
import { describeContract } from './stores.js';

const CREATED = '2026-11-29T09:00:00.000Z';

/**
 * Resolves once `done()` holds, checking every 10 ms, or fails after `ms`. No case here is about speed (the
 * two-instance server tests hold the second): the wait is long enough for a loaded machine running the whole
 * suite, and shorter than the 60 s poll of the instances that must hear by notification alone.
 */
async function until(done: () => boolean, ms = 10_000): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > ms) throw new Error(`not within ${ms} ms`);
    await sleep(10);
  }
}

/** Resolves once the store's feed has its baseline (a write waits for it; an empty group writes nothing). */
const listening = async (store: EventStore): Promise<void> => {
  await store.commitGroup([]);
};

const describe = (event: AppendedEvent): string => `${event.sessionId}:${event.message === undefined ? event.records.map((r) => r.seq).join(',') : `message ${event.message.injectId}`}`;

describeContract(
  'several instances',
  (db) => {
    it("tells each instance's listeners the other's sessions, appends and messages, in order, once each", async () => {
      const a = await db().open();
      const b = await db().open({ pollMs: 60_000 }); // the notification alone, no poll
      const heard: string[] = [];
      b.events.subscribe((e) => heard.push(describe(e)));
      await listening(b.events);
      const { session } = await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'x1', createdAt: CREATED });
      runAutoDriver(engine, session);
      await persistNewRecords(a.events, session, 0);
      await a.events.addMessage('x1', { injectId: 'nudge', at: session.now, sentBy: 'u1' });
      const all = session.log.slice(1).map((r) => r.seq).join(',');
      await until(() => heard.length >= 3);
      await sleep(100);
      expect(heard).toEqual(['x1:0', `x1:${all}`, 'x1:message nudge']);
    });

    it('tells its own appends once, though its own notification comes back to it', async () => {
      const a = await db().open();
      const heard: string[] = [];
      a.events.subscribe((e) => heard.push(describe(e)));
      const { session } = await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'o1', createdAt: CREATED });
      runAutoDriver(engine, session);
      await persistNewRecords(a.events, session, 0);
      await sleep(200); // the notifications and a few polls
      expect(heard).toEqual(['o1:0', `o1:${session.log.slice(1).map((r) => r.seq).join(',')}`]);
    });

    it("reads back another instance's change before telling its own append that followed it", async () => {
      const a = await db().open({ pollMs: 60_000 });
      const b = await db().open({ pollMs: 60_000 });
      const heard: string[] = [];
      a.events.subscribe((e) => heard.push(describe(e)));
      await listening(a.events);
      const { session } = await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'f1', createdAt: CREATED });
      engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
      // b appends #1 and a, at once, #2: whatever the notification's timing, a's listeners hear #1 before #2.
      await persistNewRecords(b.events, session, 0);
      expect(engine.advance(session, 400 * DAY).length).toBeGreaterThan(0);
      await persistNewRecords(a.events, session, 1);
      await until(() => heard.length >= 2 && heard.join(' ').includes(`${session.log.length - 1}`));
      await sleep(100);
      const told = heard.flatMap((h) => (h.split(':')[1] ?? '').split(',')).map(Number);
      expect(told).toEqual(session.log.map((r) => r.seq));
    });

    it('catches up on what was committed while its LISTEN connection was down', async () => {
      const a = await db().open();
      const b = await db().open({ pollMs: 60_000 });
      const heard: string[] = [];
      b.events.subscribe((e) => heard.push(describe(e)));
      await listening(b.events);
      const { session } = await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'd1', createdAt: CREATED });
      await until(() => heard.length === 1);
      const admin = new pg.Client({ connectionString: db().location });
      await admin.connect();
      try {
        const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid != pg_backend_pid()");
        expect(cut.rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      runAutoDriver(engine, session);
      await persistNewRecords(a.events, session, 0);
      await until(() => heard.length >= 2);
      await sleep(100);
      expect(heard).toEqual(['d1:0', `d1:${session.log.slice(1).map((r) => r.seq).join(',')}`]);
    });

    it("refuses another instance's append that waited for the session while an undo's fork replaced it", async () => {
      const a = await db().open();
      const b = await db().open();
      const { session } = await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'u1', createdAt: CREATED, mode: 'practice' });
      engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
      expect(await persistNewRecords(a.events, session, 0)).toEqual({ ok: true, lastSeq: 1 });
      const admin = new pg.Client({ connectionString: db().location });
      await admin.connect();
      try {
        // The session's row held a moment, so the fork (a) and the append (b) queue for it, the fork first.
        await admin.query('BEGIN');
        await admin.query("SELECT 1 FROM sessions WHERE id = 'u1' FOR UPDATE");
        const waiting = async (n: number) => {
          for (let waited = 0; Number((await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows[0]?.n) < n; waited += 10) {
            if (waited > 5_000) throw new Error(`fewer than ${n} writers waited for the row`);
            await sleep(10);
          }
        };
        const first = session.log[0];
        if (first === undefined) throw new Error('a session without its first record');
        const forked = a.events.createSession({ id: 'u1-fork', input: session.input, first, createdAt: CREATED, mode: 'practice', meta: { forkOf: 'u1' } });
        await waiting(1);
        expect(engine.advance(session, 400 * DAY).length).toBeGreaterThan(0);
        const appended = b.events.append('u1', 1, session.log.slice(2));
        await waiting(2);
        await admin.query('COMMIT');
        await forked;
        expect(await appended).toEqual({ ok: false, reason: 'replaced', replacedBy: 'u1-fork' });
        expect((await b.events.readLog('u1'))?.map((r) => r.seq)).toEqual([0, 1]);
      } finally {
        await admin.end();
      }
    });
  },
  'postgresql',
);

describeContract(
  'migrations',
  () => {
    it('migrates a new database once when two instances open it at the same moment, and opens it again without migrating', async () => {
      const server = await pgAvailability();
      if (!('url' in server)) throw new Error('unreachable: the harness skips or fails before');
      const url = await createTestDatabase(server.url);
      const opened = await Promise.all([openStores(url), openStores(url), openStores(url)]);
      await Promise.all(opened.map((s) => s.close()));
      const again = await openStores(url);
      await again.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        expect((await client.query('SELECT version FROM schema_version')).rows).toEqual([{ version: PG_MIGRATIONS.length }]);
      } finally {
        await client.end();
        await dropTestDatabase(server.url, url);
      }
    });
  },
  'postgresql',
);
