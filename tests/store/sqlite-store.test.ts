import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAutoDriver } from '../../src/engine/index.js';
import { StoreIntegrityError } from '../../src/store/event-store.js';
import { createStoredSession } from '../../src/store/sessions.js';
import { openDatabase } from '../../src/store/sqlite-database.js';
import { applyGroup, appendStatements } from '../../src/store/sqlite-append.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite-migrations.js';
import { cgnatTip, DAY, engine, houstonTip } from '../engine/helpers.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-store-'));
  file = join(dir, 'tipflow.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CREATED = '2026-11-29T09:00:00.000Z';

// What only the SQLite store has: its durability setting, its writer thread, its file's schema version. The
// cases every store shares are in the contract suite (tests/store/contract).
describe('SQLite event store', () => {
  it('commits with synchronous FULL by default, NORMAL when asked', () => {
    expect(openDatabase(file).pragma('synchronous', { simple: true })).toBe(2);
    expect(openDatabase(join(dir, 'normal.db'), 'normal').pragma('synchronous', { simple: true })).toBe(1);
    expect(openDatabase(file).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('commits groups on its writer thread: the same results and checks as appendMany, listeners told after the commit, nothing of a broken group written', async () => {
    const store = new SqliteEventStore(file, 'full', { writerThread: true });
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'w1', createdAt: CREATED })).session;
    const b = (await createStoredSession(engine, store, cgnatTip(), { sessionId: 'w2', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    runAutoDriver(engine, b);
    const heard: Promise<string>[] = [];
    store.subscribe((e) => heard.push(store.getSession(e.sessionId).then((s) => `${e.sessionId}@${s?.lastSeq}`)));
    const pending = store.commitGroup([
      { sessionId: 'w1', expectedLastSeq: 0, records: a.log.slice(1), clockAt: a.now },
      { sessionId: 'w2', expectedLastSeq: 5, records: b.log.slice(6) },
      { sessionId: 'nope', expectedLastSeq: 0, records: [] },
    ]);
    expect(heard).toEqual([]); // nothing heard before the commit
    await expect(pending).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }, { ok: false, reason: 'stale', lastSeq: 0 }, { ok: false, reason: 'unknown-session' }]);
    expect(await Promise.all(heard)).toEqual([`w1@${a.log.length - 1}`]);
    expect(await store.readLog('w1')).toEqual(a.log);
    expect((await store.getSession('w1'))?.clockAt).toBe(a.now);
    const broken = b.log.slice(1).map((r, i) => ({ ...r, seq: i === 1 ? 99 : r.seq }));
    await expect(store.commitGroup([{ sessionId: 'w2', expectedLastSeq: 0, records: broken }])).rejects.toThrow(StoreIntegrityError);
    expect(await store.readLog('w2')).toHaveLength(1);
    await expect(store.commitGroup([{ sessionId: 'w2', expectedLastSeq: 0, records: b.log.slice(1) }])).resolves.toEqual([{ ok: true, lastSeq: b.log.length - 1 }]);
    await store.close();
    // What the thread committed is in the file.
    const reopened = new SqliteEventStore(file);
    expect(await reopened.readLog('w2')).toEqual(b.log);
    await reopened.close();
    await expect(store.commitGroup([])).rejects.toThrow(/closed/);
  });

  it('answers the appends a dying writer thread had not answered from what the file holds, and starts a new thread for the next group', async () => {
    const store = new SqliteEventStore(file, 'full', { writerThread: true });
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'd1', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    await expect(store.commitGroup([{ sessionId: 'd1', expectedLastSeq: 0, records: a.log.slice(1, 2) }])).resolves.toEqual([{ ok: true, lastSeq: 1 }]);
    // Reach the thread to stop it as a crash would (the store gives no way to, on purpose).
    const writer = (store as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer;
    const heard: string[] = [];
    store.subscribe((e) => heard.push(`${e.sessionId}:${e.records.map((r) => r.seq).join(',')}`));
    const inFlight = store.commitGroup([{ sessionId: 'd1', expectedLastSeq: 1, records: a.log.slice(2) }]);
    await writer.worker.terminate();
    // Whether the thread committed it before it stopped or not, the group is committed once and answered so
    // (never refused though stored, never acknowledged and lost), and its listeners hear it once.
    await expect(inFlight).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
    expect(await store.readLog('d1')).toEqual(a.log);
    expect(heard).toEqual([`d1:${a.log.slice(2).map((r) => r.seq).join(',')}`]);
    // The stopped thread is replaced: the next group goes through on a new one.
    const seq = (await store.getSession('d1'))?.lastSeq ?? -1;
    const more = engine.advance(a, 400 * DAY);
    expect(more.length).toBeGreaterThan(0);
    await expect(store.commitGroup([{ sessionId: 'd1', expectedLastSeq: seq, records: a.log.slice(seq + 1) }])).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
    expect(await store.readLog('d1')).toEqual(a.log);
    await store.close();
  });

  it('settles a group a stopped thread may have committed: what is stored is answered committed, the rest applied', async () => {
    const store = new SqliteEventStore(file);
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 's1', createdAt: CREATED })).session;
    const b = (await createStoredSession(engine, store, cgnatTip(), { sessionId: 's2', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    runAutoDriver(engine, b);
    await store.close();
    const db = openDatabase(file);
    const statements = appendStatements(db);
    const group = [
      { sessionId: 's1', expectedLastSeq: 0, records: a.log.slice(1) },
      { sessionId: 's2', expectedLastSeq: 0, records: b.log.slice(1) },
    ];
    // As the thread did before it stopped: the first append only.
    applyGroup(db, statements, group.slice(0, 1));
    expect(applyGroup(db, statements, group, true)).toEqual({
      results: [
        { ok: true, lastSeq: a.log.length - 1 },
        { ok: true, lastSeq: b.log.length - 1 },
      ],
      heard: [true, true],
    });
    const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE session_id = ?');
    expect(count.get('s1')?.n).toBe(a.log.length);
    expect(count.get('s2')?.n).toBe(b.log.length);
    // Not settling, the same group is stale: its records are not taken for someone else's.
    expect(applyGroup(db, statements, group).results).toEqual([
      { ok: false, reason: 'stale', lastSeq: a.log.length - 1 },
      { ok: false, reason: 'stale', lastSeq: b.log.length - 1 },
    ]);
    // Records of another append at those sequences are not this append's: stale, settling or not.
    const other = a.log.slice(1).map((r) => ({ ...r, eventId: `${r.eventId}-other` }));
    expect(applyGroup(db, statements, [{ sessionId: 's1', expectedLastSeq: 0, records: other }], true).results).toEqual([{ ok: false, reason: 'stale', lastSeq: a.log.length - 1 }]);
    db.close();
  });

  it('commits on the main thread from then on when its writer thread stops before committing anything', async () => {
    const store = new SqliteEventStore(file, 'full', { writerThread: true });
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'm1', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    const first = store.commitGroup([{ sessionId: 'm1', expectedLastSeq: 0, records: a.log.slice(1) }]);
    // Stopped while it is still starting (as a thread that cannot start would): it has answered nothing.
    const internals = store as unknown as { writer: { worker: { terminate(): Promise<number> } } };
    const starting = internals.writer;
    await starting.worker.terminate();
    // The group it never answered is committed here.
    await expect(first).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
    expect(await store.readLog('m1')).toEqual(a.log);
    const more = engine.advance(a, 400 * DAY);
    expect(more.length).toBeGreaterThan(0);
    const seq = more[0] === undefined ? -1 : more[0].seq - 1;
    await expect(store.commitGroup([{ sessionId: 'm1', expectedLastSeq: seq, records: a.log.slice(seq + 1) }])).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
    expect(internals.writer).toBe(starting); // no new thread was started
    expect(await store.readLog('m1')).toEqual(a.log);
    await store.close();
  });

  it('migrates a new file once and opens it again without migrating twice', async () => {
    await new SqliteEventStore(file).close();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await expect(new SqliteEventStore(file).close()).resolves.toBeUndefined();
  });
});
