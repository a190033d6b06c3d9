import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAutoDriver } from '../../src/engine/index.js';
import { StoreConflictError, StoreIntegrityError } from '../../src/store/event-store.js';
import { createStoredSession, persistNewRecords, rebuildSession } from '../../src/store/sessions.js';
import { openDatabase } from '../../src/store/sqlite-database.js';
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

describe('SQLite event store', () => {
  it('keeps a session and its log across a reopen, and replay rebuilds the same snapshot', async () => {
    const store = new SqliteEventStore(file);
    const { session } = await createStoredSession(engine, store, cgnatTip(), { sessionId: 's1', createdAt: CREATED, owner: 'trainee-a', exerciseId: 'cgnat' });
    runAutoDriver(engine, session);
    engine.send(session, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor' });
    engine.advance(session, 100 * DAY);
    expect(await persistNewRecords(store, session, 0)).toEqual({ ok: true, lastSeq: session.log.length - 1 });
    await store.close();

    const reopened = new SqliteEventStore(file);
    expect(await reopened.readLog('s1')).toEqual(session.log);
    const rebuilt = await rebuildSession(engine, reopened, 's1');
    expect(rebuilt?.actor.getPersistedSnapshot()).toEqual(session.actor.getPersistedSnapshot());
    expect(await reopened.getSession('s1')).toMatchObject({ id: 's1', owner: 'trainee-a', exerciseId: 'cgnat', lastSeq: session.log.length - 1, createdAt: CREATED });
    await reopened.close();
  });

  it('keeps a clock moved past no timer, never moves it back, and tells subscribers', async () => {
    const store = new SqliteEventStore(file);
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'c1', createdAt: CREATED });
    const heard: unknown[] = [];
    store.subscribe((e) => heard.push(e));
    expect(engine.advance(session, 60_000)).toEqual([]);
    expect(await persistNewRecords(store, session, 0)).toEqual({ ok: true, lastSeq: 0 });
    expect(heard).toEqual([{ sessionId: 'c1', records: [], clockAt: session.now }]);
    expect(await store.append('c1', 0, [], '2000-01-01T00:00:00.000Z')).toEqual({ ok: true, lastSeq: 0 });
    expect(heard).toHaveLength(1);
    await store.close();
    const reopened = new SqliteEventStore(file);
    expect((await reopened.getSession('c1'))?.clockAt).toBe(session.now);
    expect((await rebuildSession(engine, reopened, 'c1'))?.now).toBe(session.now);
    await reopened.close();
  });

  it('keeps messages once per inject, in order, append-only, and refuses one for an unknown session', async () => {
    const store = new SqliteEventStore(file);
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'm1', createdAt: CREATED });
    const heard: unknown[] = [];
    store.subscribe((e) => heard.push(e));
    const first = { injectId: 'nudge-b', at: '2019-06-01T10:00:00.000Z', sentBy: 'u1' };
    const second = { injectId: 'nudge-a', at: '2019-06-01T10:00:00.000Z', sentBy: 'u1' };
    expect(await store.addMessage('m1', first)).toBe(true);
    expect(await store.addMessage('m1', second)).toBe(true);
    expect(await store.addMessage('m1', { ...first, sentBy: 'u2' })).toBe(false);
    expect(await store.addMessage('nope', first)).toBe(false);
    expect(await store.readMessages('m1')).toEqual([first, second]);
    expect(await store.readMessages('nope')).toBeNull();
    expect(heard).toEqual([{ sessionId: 'm1', records: [], message: first }, { sessionId: 'm1', records: [], message: second }]);
    await store.close();
    const db = new Database(file);
    expect(() => db.prepare("DELETE FROM messages WHERE session_id = 'm1'").run()).toThrow(/append-only/);
    db.close();
  });

  it('commits with synchronous FULL by default, NORMAL when asked', () => {
    expect(openDatabase(file).pragma('synchronous', { simple: true })).toBe(2);
    expect(openDatabase(join(dir, 'normal.db'), 'normal').pragma('synchronous', { simple: true })).toBe(1);
    expect(openDatabase(file).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('refuses a stale append with the current sequence, so exactly one of two writers wins', async () => {
    const a = new SqliteEventStore(file);
    const b = new SqliteEventStore(file);
    const { session } = await createStoredSession(engine, a, houstonTip(), { sessionId: 's2', createdAt: CREATED });
    const twin = await rebuildSession(engine, b, 's2');
    if (twin === null) throw new Error('not found');
    engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    engine.send(twin, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' });
    const first = await persistNewRecords(a, session, 0);
    const second = await persistNewRecords(b, twin, 0);
    expect(first).toEqual({ ok: true, lastSeq: 1 });
    expect(second).toEqual({ ok: false, reason: 'stale', lastSeq: 1 });
    expect((await b.readLog('s2'))?.map((r) => r.event)).toEqual([{ type: 'xstate.init' }, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }]);
    await a.close();
    await b.close();
  });

  it('is append-only: the database refuses to change or delete a record', async () => {
    const store = new SqliteEventStore(file);
    await createStoredSession(engine, store, houstonTip(), { sessionId: 's3', createdAt: CREATED });
    await store.close();
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE events SET actor = 'trainee'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    raw.close();
  });

  it('refuses a second session with the same id, and appends to unknown sessions', async () => {
    const store = new SqliteEventStore(':memory:');
    await createStoredSession(engine, store, houstonTip(), { sessionId: 's4', createdAt: CREATED });
    await expect(createStoredSession(engine, store, houstonTip(), { sessionId: 's4', createdAt: CREATED })).rejects.toThrow(StoreConflictError);
    expect(await store.append('nope', 0, [])).toEqual({ ok: false, reason: 'unknown-session' });
    expect(await store.readLog('nope')).toBeNull();
    await store.close();
  });

  it('writes all of an append or nothing', async () => {
    const store = new SqliteEventStore(':memory:');
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 's5', createdAt: CREATED });
    runAutoDriver(engine, session);
    const [first, second] = session.log.slice(1);
    if (first === undefined || second === undefined) throw new Error('the auto run made fewer than two records');
    const broken = [first, { ...second, seq: 99 }];
    await expect(store.append('s5', 0, broken)).rejects.toThrow(/does not follow/);
    expect(await store.readLog('s5')).toHaveLength(1);
    await store.close();
  });

  it('tells subscribers about every append, and lists sessions by owner and exercise', async () => {
    const store = new SqliteEventStore(':memory:');
    const seen: string[] = [];
    const unsubscribe = store.subscribe((e) => seen.push(`${e.sessionId}:${e.records.map((r) => r.seq).join(',')}`));
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'a1', createdAt: CREATED, owner: 'alice', exerciseId: 'x' });
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'b1', createdAt: CREATED, owner: 'bob', exerciseId: 'x' });
    runAutoDriver(engine, session);
    await persistNewRecords(store, session, 0);
    unsubscribe();
    await persistNewRecords(store, session, (await store.getSession('a1'))?.lastSeq ?? 0);
    expect(seen).toEqual(['a1:0', 'b1:0', 'a1:1,2,3']);
    expect((await store.listSessions({ owner: 'alice' })).map((s) => s.id)).toEqual(['a1']);
    expect((await store.listSessions({ exerciseId: 'x' })).map((s) => s.id)).toEqual(['a1', 'b1']);
    await store.close();
  });

  it('reads a session\'s last sequence and clock afresh each time, also when another connection wrote them', async () => {
    const writer = new SqliteEventStore(file);
    const reader = new SqliteEventStore(file);
    const { session } = await createStoredSession(engine, writer, houstonTip(), { sessionId: 'r1', createdAt: CREATED, owner: 'alice' });
    expect(await reader.getSession('r1')).toMatchObject({ lastSeq: 0, clockAt: null, owner: 'alice' });
    runAutoDriver(engine, session);
    const later = new Date(Date.parse(session.now) + DAY).toISOString();
    expect((await writer.append('r1', 0, session.log.slice(1), later)).ok).toBe(true);
    expect(await reader.getSession('r1')).toMatchObject({ lastSeq: session.log.length - 1, clockAt: later, owner: 'alice' });
    expect(await reader.getSession('nope')).toBeNull();
    await writer.close();
    await reader.close();
  });

  it('writes a group of appends in one transaction: each checked in order, a stale one refused alone, listeners told after the commit', async () => {
    const store = new SqliteEventStore(':memory:');
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'g1', createdAt: CREATED })).session;
    const b = (await createStoredSession(engine, store, cgnatTip(), { sessionId: 'g2', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    runAutoDriver(engine, b);
    // Each listener call reads the session's last sequence as it is told (the read starts then; awaited below).
    const heard: Promise<string>[] = [];
    store.subscribe((e) => heard.push(store.getSession(e.sessionId).then((s) => `${e.sessionId}:${e.records.map((r) => r.seq).join(',')}:${s?.lastSeq}`)));
    const results = store.appendMany([
      { sessionId: 'g1', expectedLastSeq: 0, records: a.log.slice(1, 2) },
      // The same session again, following the append before it in the group.
      { sessionId: 'g1', expectedLastSeq: 1, records: a.log.slice(2), clockAt: a.now },
      { sessionId: 'g2', expectedLastSeq: 3, records: b.log.slice(4) }, // stale: g2 is at #0
      { sessionId: 'nope', expectedLastSeq: 0, records: [] },
      { sessionId: 'g2', expectedLastSeq: 0, records: b.log.slice(1) },
    ]);
    expect(results).toEqual([
      { ok: true, lastSeq: 1 },
      { ok: true, lastSeq: a.log.length - 1 },
      { ok: false, reason: 'stale', lastSeq: 0 },
      { ok: false, reason: 'unknown-session' },
      { ok: true, lastSeq: b.log.length - 1 },
    ]);
    expect(await store.readLog('g1')).toEqual(a.log);
    expect(await store.readLog('g2')).toEqual(b.log);
    // Every listener call saw the whole group committed (the last sequence after all of it).
    expect(await Promise.all(heard)).toEqual([`g1:1:${a.log.length - 1}`, `g1:${a.log.slice(2).map((r) => r.seq).join(',')}:${a.log.length - 1}`, `g2:${b.log.slice(1).map((r) => r.seq).join(',')}:${b.log.length - 1}`]);
    await store.close();
  });

  it('writes nothing of a group whose transaction fails', async () => {
    const store = new SqliteEventStore(':memory:');
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'h1', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    const broken = a.log.slice(1).map((r, i) => ({ ...r, seq: i === 1 ? 99 : r.seq }));
    const heard: string[] = [];
    store.subscribe((e) => heard.push(e.sessionId));
    expect(() =>
      store.appendMany([
        { sessionId: 'h1', expectedLastSeq: 0, records: a.log.slice(1, 2) },
        { sessionId: 'h1', expectedLastSeq: 1, records: broken.slice(1) },
      ]),
    ).toThrow(/does not follow/);
    expect(await store.readLog('h1')).toHaveLength(1);
    expect(heard).toEqual([]);
    await store.close();
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

  it('refuses the appends a dying writer thread had not answered, and starts a new thread for the next group', async () => {
    const store = new SqliteEventStore(file, 'full', { writerThread: true });
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'd1', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    await expect(store.commitGroup([{ sessionId: 'd1', expectedLastSeq: 0, records: a.log.slice(1, 2) }])).resolves.toEqual([{ ok: true, lastSeq: 1 }]);
    // Reach the thread to stop it as a crash would (the store gives no way to, on purpose).
    const writer = (store as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer;
    const inFlight = store.commitGroup([{ sessionId: 'd1', expectedLastSeq: 1, records: a.log.slice(2) }]);
    await writer.worker.terminate();
    const outcome = await inFlight.then(
      (results) => ({ committed: results }),
      (error: Error) => ({ refused: error.message }),
    );
    // Either it was committed before the thread stopped, or refused: never acknowledged and lost.
    if ('committed' in outcome) expect(await store.readLog('d1')).toEqual(a.log);
    else {
      expect(outcome.refused).toMatch(/writer thread stopped/);
      expect(await store.readLog('d1')).toHaveLength(2);
    }
    // The stopped thread is replaced: the next group goes through on a new one.
    const seq = (await store.getSession('d1'))?.lastSeq ?? -1;
    const more = engine.advance(a, 400 * DAY);
    expect(more.length).toBeGreaterThan(0);
    await expect(store.commitGroup([{ sessionId: 'd1', expectedLastSeq: seq, records: a.log.slice(seq + 1) }])).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
    expect(await store.readLog('d1')).toEqual(a.log);
    await store.close();
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
    await expect(first).rejects.toThrow(/writer thread stopped/);
    expect(await store.readLog('m1')).toHaveLength(1);
    await expect(store.commitGroup([{ sessionId: 'm1', expectedLastSeq: 0, records: a.log.slice(1) }])).resolves.toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
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
