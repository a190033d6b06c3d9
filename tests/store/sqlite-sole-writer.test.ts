// The SQLite file's one writer (`tipflow serve`, `db copy`'s target): it holds the file's writer lock, so a
// second one is refused, and its event store keeps each session's last sequence, clock and replacement mark
// in memory instead of reading them at every request. What it answers must be what the rows say.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAutoDriver } from '../../src/engine/index.js';
import type { EventStore, StoredSession } from '../../src/store/event-store.js';
import { openStores, StoreOpenError } from '../../src/store/open.js';
import { createStoredSession } from '../../src/store/sessions.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { DAY, engine, houstonTip } from '../engine/helpers.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-sole-'));
  file = join(dir, 'tipflow.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CREATED = '2026-11-29T09:00:00.000Z';

/** What a store that reads every row answers for a session: the truth the sole writer must match. */
async function rowsSay(sessionId: string): Promise<StoredSession | null> {
  const reader = new SqliteEventStore(file);
  try {
    return await reader.getSession(sessionId);
  } finally {
    await reader.close();
  }
}

describe('the SQLite writer lock', () => {
  it('refuses a second sole writer of the same file with a plain message, and lets readers and the next writer in', async () => {
    const first = await openStores(file, { soleWriter: true });
    const error = await openStores(file, { soleWriter: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(`${file} is in use by another tipflow serve (or db copy): one server per SQLite file; stop the other one, or run several instances on PostgreSQL (--db postgres://…)`);
    // `tipflow user add` and the like open the file as it is, beside the server.
    const beside = await openStores(file);
    await beside.accounts.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'scrypt$x', createdAt: CREATED });
    await beside.close();
    await first.close();
    const next = await openStores(file, { soleWriter: true });
    expect(await next.accounts.countUsers()).toBe(1);
    await next.close();
  });
});

describe('the sole writer keeps each session’s changing part', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore(file, 'full', { writerThread: true, soleWriter: true });
  });
  afterEach(() => store.close());

  const expectAsRows = async (events: EventStore, id: string) => expect(await events.getSession(id)).toEqual(await rowsSay(id));

  it('answers what the rows say after its own appends, groups, clock moves and refusals', async () => {
    const session = (await createStoredSession(engine, store, houstonTip(), { sessionId: 's1', createdAt: CREATED })).session;
    await expectAsRows(store, 's1');
    runAutoDriver(engine, session);
    const records = session.log.slice(1);
    expect(await store.append('s1', 0, records.slice(0, 2))).toEqual({ ok: true, lastSeq: 2 });
    await expectAsRows(store, 's1');
    expect(await store.commitGroup([{ sessionId: 's1', expectedLastSeq: 2, records: records.slice(2) }])).toEqual([{ ok: true, lastSeq: session.log.length - 1 }]);
    expect((await store.getSession('s1'))?.lastSeq).toBe(session.log.length - 1);
    await expectAsRows(store, 's1');
    // A clock moved with no record, then an earlier one: the row keeps the later, and so does the answer.
    const later = new Date(Date.parse(session.now) + DAY).toISOString();
    await store.commitGroup([{ sessionId: 's1', expectedLastSeq: session.log.length - 1, records: [], clockAt: later }]);
    await store.commitGroup([{ sessionId: 's1', expectedLastSeq: session.log.length - 1, records: [], clockAt: session.now }]);
    expect((await store.getSession('s1'))?.clockAt).toBe(later);
    await expectAsRows(store, 's1');
    expect(await store.append('s1', 1, [])).toEqual({ ok: false, reason: 'stale', lastSeq: session.log.length - 1 });
    await expectAsRows(store, 's1');
  });

  it('answers the replacement mark once an undo’s fork is created', async () => {
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'old', createdAt: CREATED });
    expect((await store.getSession('old'))?.replacedBy).toBeNull();
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'new', createdAt: CREATED, meta: { forkOf: 'old' } });
    expect((await store.getSession('old'))?.replacedBy).toBe('new');
    await expectAsRows(store, 'old');
    expect(await store.append('old', 0, [])).toEqual({ ok: false, reason: 'replaced', replacedBy: 'new' });
  });

  it('is caught up by its next append when something wrote the file behind its back (no lock taken), and answers the rows from then on', async () => {
    const session = (await createStoredSession(engine, store, houstonTip(), { sessionId: 's2', createdAt: CREATED })).session;
    runAutoDriver(engine, session);
    expect((await store.getSession('s2'))?.lastSeq).toBe(0);
    const intruder = new SqliteEventStore(file);
    expect(await intruder.append('s2', 0, session.log.slice(1, 2))).toEqual({ ok: true, lastSeq: 1 });
    await intruder.close();
    // The append checks the row in its own transaction: the sender is told it is behind, never overwrites.
    expect(await store.append('s2', 0, session.log.slice(1, 2))).toEqual({ ok: false, reason: 'stale', lastSeq: 1 });
    await expectAsRows(store, 's2');
    expect(await store.readLog('s2')).toHaveLength(2);
  });
});
