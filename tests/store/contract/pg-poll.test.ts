// The PostgreSQL feed's safety poll (src/store/pg-feed.ts): what a notification did not wake it for is found
// by reading only the sessions changed since the last poll, however many sessions the database holds, and a
// change whose transaction began before, but committed after, one the poll already saw is still told.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { AppendedEvent } from '../../../src/store/event-store.js';
import { openPgPool } from '../../../src/store/pg-database.js';
import { PgAppendFeed, POLL_SQL } from '../../../src/store/pg-feed.js';
import { recordValues } from '../../../src/store/pg-rows.js';
import { createStoredSession, persistNewRecords } from '../../../src/store/sessions.js';
import { engine, houstonTip } from '../../engine/helpers.js';
import { describeContract } from './stores.js';

const CREATED = '2026-11-29T09:00:00.000Z';
/** Where no PostgreSQL listens: a feed given it hears no notification, so the poll alone tells. */
const NOWHERE = 'postgres://tipflow@127.0.0.1:1/nowhere';

async function until(done: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  for (let waited = 0; !(await done()); waited += 20) {
    if (waited > ms) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

const describe = (event: AppendedEvent): string => `${event.sessionId}:${event.records.map((r) => r.seq).join(',')}`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describeContract(
  'the feed’s poll',
  (db) => {
    it('tells a change whose transaction began before, and committed after, one the poll had already read (no notification heard)', async () => {
      const a = await db().open();
      const late = (await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'late', createdAt: CREATED })).session;
      const other = (await createStoredSession(engine, a.events, houstonTip(), { sessionId: 'other', createdAt: CREATED })).session;
      const pool = await openPgPool(db().location);
      const heard: string[] = [];
      const feed = new PgAppendFeed(pool, NOWHERE, 30, (e) => heard.push(describe(e)));
      // Another writer (any tipflow instance, or a tool) whose transaction takes its id first and commits last.
      const writer = await connect(db().location);
      try {
        feed.start();
        await feed.ready();
        await writer.query('BEGIN');
        const lateXid = (await writer.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]?.xid ?? '';
        // A later transaction (a higher id) commits first, and the poll reads it.
        engine.send(other, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
        await persistNewRecords(a.events, other, 0);
        const otherXid = (await writer.query<{ xid: string }>("SELECT changed_xid::text AS xid FROM sessions WHERE id = 'other'")).rows[0]?.xid ?? '';
        expect(BigInt(otherXid)).toBeGreaterThan(BigInt(lateXid));
        await until(() => heard.includes('other:1'));
        await sleep(150); // several polls past it
        // Now the earlier transaction appends to 'late', as the store does, and commits: with the lower id.
        engine.send(late, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
        const record = late.log[1];
        if (record === undefined) throw new Error('the step made no record');
        await writer.query('INSERT INTO events (session_id, seq, at, event_id, actor, event_json, from_json, to_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', recordValues('late', record));
        await writer.query("UPDATE sessions SET last_seq = 1, version = version + 1 WHERE id = 'late'");
        expect((await writer.query<{ xid: string }>("SELECT changed_xid::text AS xid FROM sessions WHERE id = 'late'")).rows[0]?.xid).toBe(lateXid);
        await writer.query('COMMIT');
        await until(() => heard.includes('late:1'));
        expect(heard).toEqual(['other:1', 'late:1']);
      } finally {
        await writer.end();
        await feed.close();
        await pool.end();
      }
    });

    it('reads, through the index, only the sessions changed since the last poll, not the thousands left untouched', async () => {
      const a = await db().open();
      const admin = await connect(db().location);
      try {
        await admin.query('BEGIN');
        await admin.query(
          "INSERT INTO sessions (id, mode, created_at, input_json, meta_json, last_seq) SELECT 'untouched-' || g, 'practice', '2026-11-01T09:00:00.000Z', '{}', '{}', 0 FROM generate_series(1, 5000) AS g",
        );
        const inserted = (await admin.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]?.xid ?? '';
        await admin.query('COMMIT');
        // The horizon of a poll that came after them (had it been taken from the snapshot, a transaction of
        // another test file running on the same server could hold it back: the poll would read more, rightly).
        const horizon = String(BigInt(inserted) + 1n);
        for (const id of ['t1', 't2', 't3']) await createStoredSession(engine, a.events, houstonTip(), { sessionId: id, createdAt: CREATED });
        await admin.query('ANALYZE sessions');
        const plan = (await admin.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${POLL_SQL}`, [horizon])).rows[0]?.['QUERY PLAN'];
        const scans: { 'Node Type': string; 'Index Name'?: string; 'Actual Rows': number }[] = [];
        const walk = (node: Record<string, unknown>): void => {
          if (node['Relation Name'] === 'sessions' || typeof node['Index Name'] === 'string') scans.push(node as (typeof scans)[number]);
          for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
        };
        walk((plan as { Plan: Record<string, unknown> }[])[0]?.Plan ?? {});
        expect(scans.map((s) => s['Node Type'])).not.toContain('Seq Scan');
        expect(scans.some((s) => s['Index Name'] === 'sessions_changed')).toBe(true);
        // Three sessions read, of 5,003.
        expect(Math.max(...scans.map((s) => s['Actual Rows']))).toBe(3);
        const told = (await admin.query<{ id: string }>(POLL_SQL, [horizon])).rows.map((r) => r.id).sort();
        expect(told).toEqual(['t1', 't2', 't3']);
      } finally {
        await admin.end();
      }
    });
  },
  'postgresql',
);
