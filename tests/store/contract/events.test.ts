// The event store contract (DESIGN §13), on every store: sessions and their logs, the clock, messages,
// optimistic appends, group commits, idempotent event ids, conflicts, and what listeners hear.
import { expect, it } from 'vitest';
import { runAutoDriver } from '../../../src/engine/index.js';
import { StoreConflictError, StoreIntegrityError, StoreStaleError, type AppendedEvent } from '../../../src/store/event-store.js';
import { createStoredSession, persistNewRecords, rebuildSession } from '../../../src/store/sessions.js';
import { cgnatTip, DAY, engine, houstonTip } from '../../engine/helpers.js';
import { describeContract } from './stores.js';

const CREATED = '2026-11-29T09:00:00.000Z';

describeContract('event store: sessions, logs, clocks', (db) => {
  it('keeps a session and its log across a reopen, and replay rebuilds the same snapshot', async () => {
    const { events: store } = await db().open();
    const { session } = await createStoredSession(engine, store, cgnatTip(), { sessionId: 's1', createdAt: CREATED, owner: 'trainee-a', exerciseId: 'cgnat' });
    runAutoDriver(engine, session);
    engine.send(session, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor' });
    engine.advance(session, 100 * DAY);
    expect(await persistNewRecords(store, session, 0)).toEqual({ ok: true, lastSeq: session.log.length - 1 });

    const { events: reopened } = await db().open();
    expect(await reopened.readLog('s1')).toEqual(session.log);
    const rebuilt = await rebuildSession(engine, reopened, 's1');
    expect(rebuilt?.actor.getPersistedSnapshot()).toEqual(session.actor.getPersistedSnapshot());
    expect(await reopened.getSession('s1')).toMatchObject({ id: 's1', owner: 'trainee-a', exerciseId: 'cgnat', lastSeq: session.log.length - 1, createdAt: CREATED, mode: 'practice', meta: {} });
  });

  it('keeps a clock moved past no timer, never moves it back, and tells subscribers', async () => {
    const { events: store } = await db().open();
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'c1', createdAt: CREATED });
    const heard: AppendedEvent[] = [];
    store.subscribe((e) => heard.push(e));
    expect(engine.advance(session, 60_000)).toEqual([]);
    expect(await persistNewRecords(store, session, 0)).toEqual({ ok: true, lastSeq: 0 });
    expect(heard).toEqual([{ sessionId: 'c1', records: [], clockAt: session.now }]);
    expect(await store.append('c1', 0, [], '2000-01-01T00:00:00.000Z')).toEqual({ ok: true, lastSeq: 0 });
    expect(heard).toHaveLength(1);
    const { events: reopened } = await db().open();
    expect((await reopened.getSession('c1'))?.clockAt).toBe(session.now);
    expect((await rebuildSession(engine, reopened, 'c1'))?.now).toBe(session.now);
  });

  it('compares clocks as instants, not as text: a year past 9999 is later', async () => {
    const { events: store } = await db().open();
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'y1', createdAt: CREATED });
    expect((await store.append('y1', 0, [], '9999-12-31T00:00:00.000Z')).ok).toBe(true);
    expect((await store.append('y1', 0, [], '+010000-01-01T00:00:00.000Z')).ok).toBe(true);
    expect((await store.getSession('y1'))?.clockAt).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('keeps an exercise text once by its SHA-256', async () => {
    const { events: store } = await db().open();
    const text = 'format: tipflow.exercise/1\nid: mine\n';
    const sha = await store.putExerciseText(text);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.putExerciseText(text)).toBe(sha);
    expect(await store.exerciseText(sha)).toBe(text);
    expect(await store.exerciseText('0'.repeat(64))).toBeNull();
  });

  it('lists sessions by owner and exercise, oldest first', async () => {
    const { events: store } = await db().open();
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'b1', createdAt: '2026-11-29T10:00:00.000Z', owner: 'bob', exerciseId: 'x' });
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'a1', createdAt: CREATED, owner: 'alice', exerciseId: 'x', mode: 'assessment', meta: { cohortId: 'c1' } });
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'a2', createdAt: CREATED, owner: 'alice', exerciseId: 'y' });
    expect((await store.listSessions({ owner: 'alice' })).map((s) => s.id)).toEqual(['a1', 'a2']);
    expect((await store.listSessions({ exerciseId: 'x' })).map((s) => s.id)).toEqual(['a1', 'b1']);
    expect((await store.listSessions({ owner: 'alice', exerciseId: 'y' })).map((s) => s.id)).toEqual(['a2']);
    expect((await store.listSessions()).map((s) => s.id)).toEqual(['a1', 'a2', 'b1']);
    expect((await store.listSessions({ owner: 'alice' }))[0]).toMatchObject({ mode: 'assessment', meta: { cohortId: 'c1' }, lastSeq: 0, clockAt: null });
  });

  it("reads a session's last sequence and clock afresh each time, also when another instance wrote them", async () => {
    const { events: writer } = await db().open();
    const { events: reader } = await db().open();
    const { session } = await createStoredSession(engine, writer, houstonTip(), { sessionId: 'r1', createdAt: CREATED, owner: 'alice' });
    expect(await reader.getSession('r1')).toMatchObject({ lastSeq: 0, clockAt: null, owner: 'alice' });
    runAutoDriver(engine, session);
    const later = new Date(Date.parse(session.now) + DAY).toISOString();
    expect((await writer.append('r1', 0, session.log.slice(1), later)).ok).toBe(true);
    expect(await reader.getSession('r1')).toMatchObject({ lastSeq: session.log.length - 1, clockAt: later, owner: 'alice' });
    expect(await reader.getSession('nope')).toBeNull();
  });
});

describeContract('event store: messages', (db) => {
  it('keeps messages once per inject, in order, append-only, and refuses one for an unknown session', async () => {
    const { events: store } = await db().open();
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'm1', createdAt: CREATED });
    const heard: AppendedEvent[] = [];
    store.subscribe((e) => heard.push(e));
    const first = { injectId: 'nudge-b', at: '2019-06-01T10:00:00.000Z', sentBy: 'u1' };
    const second = { injectId: 'nudge-a', at: '2019-06-01T10:00:00.000Z', sentBy: 'u1' };
    expect(await store.addMessage('m1', first)).toBe(true);
    expect(await store.addMessage('m1', second)).toBe(true);
    expect(await store.addMessage('m1', { ...first, sentBy: 'u2' })).toBe(false);
    expect(await store.addMessage('nope', first)).toBe(false);
    expect(await store.readMessages('m1')).toEqual([first, second]);
    expect(await store.readMessages('nope')).toBeNull();
    expect(heard).toEqual([
      { sessionId: 'm1', records: [], message: first },
      { sessionId: 'm1', records: [], message: second },
    ]);
    await expect(db().exec("DELETE FROM messages WHERE session_id = 'm1'")).rejects.toThrow(/append-only/);
    await expect(db().exec("UPDATE messages SET sent_by = 'u3'")).rejects.toThrow(/append-only/);
  });
});

describeContract('event store: appends', (db) => {
  it('refuses a stale append with the current sequence, so exactly one of two instances wins', async () => {
    const { events: a } = await db().open();
    const { events: b } = await db().open();
    const { session } = await createStoredSession(engine, a, houstonTip(), { sessionId: 's2', createdAt: CREATED });
    const twin = await rebuildSession(engine, b, 's2');
    if (twin === null) throw new Error('not found');
    engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    engine.send(twin, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' });
    expect(await persistNewRecords(a, session, 0)).toEqual({ ok: true, lastSeq: 1 });
    expect(await persistNewRecords(b, twin, 0)).toEqual({ ok: false, reason: 'stale', lastSeq: 1 });
    expect((await b.readLog('s2'))?.map((r) => r.event)).toEqual([{ type: 'xstate.init' }, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }]);
  });

  it('lets exactly one of many appends on the same sequence through, at the same moment', async () => {
    const instances = [(await db().open()).events, (await db().open()).events] as const;
    const { session } = await createStoredSession(engine, instances[0], houstonTip(), { sessionId: 'race', createdAt: CREATED });
    engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    const record = session.log[1];
    if (record === undefined) throw new Error('the step made no record');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => instances[i % 2 === 0 ? 0 : 1].append('race', 0, [{ ...record, eventId: `e-${i}` }])));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 7 }, () => ({ ok: false, reason: 'stale', lastSeq: 1 })));
    expect(await instances[1].readLog('race')).toHaveLength(2);
  });

  it('is append-only: the database refuses to change or delete a record', async () => {
    const { events: store } = await db().open();
    await createStoredSession(engine, store, houstonTip(), { sessionId: 's3', createdAt: CREATED });
    await expect(db().exec("UPDATE events SET actor = 'trainee'")).rejects.toThrow(/append-only/);
    await expect(db().exec('DELETE FROM events')).rejects.toThrow(/append-only/);
    expect(await store.readLog('s3')).toHaveLength(1);
  });

  it('refuses a second session with the same id, and appends to unknown sessions', async () => {
    const { events: store } = await db().open();
    await createStoredSession(engine, store, houstonTip(), { sessionId: 's4', createdAt: CREATED });
    await expect(createStoredSession(engine, store, houstonTip(), { sessionId: 's4', createdAt: CREATED })).rejects.toThrow(StoreConflictError);
    expect(await store.append('nope', 0, [])).toEqual({ ok: false, reason: 'unknown-session' });
    expect(await store.readLog('nope')).toBeNull();
    expect(await store.getSession('nope')).toBeNull();
  });

  it('refuses every append to a session a fork replaced (meta.forkOf), naming the fork, also in a group and after a reopen; the fork takes appends', async () => {
    const { events: store } = await db().open();
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'old', createdAt: CREATED, mode: 'practice' });
    engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    expect(await persistNewRecords(store, session, 0)).toEqual({ ok: true, lastSeq: 1 });
    const { session: fork } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'old-fork', createdAt: CREATED, mode: 'practice', meta: { forkOf: 'old' } });
    const next = engine.advance(session, 400 * DAY);
    expect(next.length).toBeGreaterThan(0);
    expect(await persistNewRecords(store, session, 1)).toEqual({ ok: false, reason: 'replaced', replacedBy: 'old-fork' });
    // Refused before its sequence is looked at, so a caller with a stale view learns the same.
    expect(await store.append('old', 0, [])).toEqual({ ok: false, reason: 'replaced', replacedBy: 'old-fork' });
    engine.send(fork, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    const results = await store.commitGroup([
      { sessionId: 'old', expectedLastSeq: 1, records: next },
      { sessionId: 'old-fork', expectedLastSeq: 0, records: fork.log.slice(1) },
    ]);
    expect(results).toEqual([
      { ok: false, reason: 'replaced', replacedBy: 'old-fork' },
      { ok: true, lastSeq: 1 },
    ]);
    expect((await store.readLog('old'))?.map((r) => r.seq)).toEqual([0, 1]);
    const { events: reopened } = await db().open();
    expect(await reopened.append('old', 1, next)).toEqual({ ok: false, reason: 'replaced', replacedBy: 'old-fork' });
  });

  it('refuses, with nothing written, a fork made from a session that has moved on since (forkedAtSeq)', async () => {
    const { events: store } = await db().open();
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'moved', createdAt: CREATED, mode: 'practice' });
    engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    expect(await persistNewRecords(store, session, 0)).toEqual({ ok: true, lastSeq: 1 });
    const first = session.log[0];
    if (first === undefined) throw new Error('no first record');
    const fork = { id: 'moved-fork', input: session.input, first, createdAt: CREATED, mode: 'practice', meta: { forkOf: 'moved' } };
    const refused = store.createSession({ ...fork, forkedAtSeq: 0 });
    await expect(refused).rejects.toBeInstanceOf(StoreStaleError);
    await expect(refused).rejects.toMatchObject({ lastSeq: 1 });
    expect(await store.getSession('moved-fork')).toBeNull();
    expect(await store.append('moved', 1, [])).toEqual({ ok: true, lastSeq: 1 });
    await store.createSession({ ...fork, forkedAtSeq: 1 });
    expect(await store.append('moved', 1, [])).toEqual({ ok: false, reason: 'replaced', replacedBy: 'moved-fork' });
  });

  it('marks, when it migrates, the sessions forked before it kept the mark', async () => {
    const opened = await db().open();
    await createStoredSession(engine, opened.events, houstonTip(), { sessionId: 'early', createdAt: CREATED, mode: 'practice' });
    await createStoredSession(engine, opened.events, houstonTip(), { sessionId: 'early-fork', createdAt: CREATED, mode: 'practice', meta: { forkOf: 'early' } });
    await opened.close();
    // The database as the version before the mark left it.
    await db().exec('ALTER TABLE sessions DROP COLUMN replaced_by');
    await db().exec(db().kind === 'sqlite' ? 'PRAGMA user_version = 11' : 'UPDATE schema_version SET version = 3');
    const { events: migrated } = await db().open();
    expect(await migrated.append('early', 0, [])).toEqual({ ok: false, reason: 'replaced', replacedBy: 'early-fork' });
    expect(await migrated.append('early-fork', 0, [])).toEqual({ ok: true, lastSeq: 0 });
  });

  it('refuses a session that does not start with record #0', async () => {
    const { events: store } = await db().open();
    const session = engine.start(houstonTip(), { sessionId: 'z1' });
    const first = session.log[0];
    if (first === undefined) throw new Error('a started session has no first record');
    await expect(store.createSession({ id: 'z1', input: session.input, first: { ...first, seq: 1 }, createdAt: CREATED })).rejects.toThrow(StoreIntegrityError);
    expect(await store.getSession('z1')).toBeNull();
  });

  it('writes all of an append or nothing', async () => {
    const { events: store } = await db().open();
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 's5', createdAt: CREATED });
    runAutoDriver(engine, session);
    const [first, second] = session.log.slice(1);
    if (first === undefined || second === undefined) throw new Error('the auto run made fewer than two records');
    await expect(store.append('s5', 0, [first, { ...second, seq: 99 }])).rejects.toThrow(/does not follow/);
    expect(await store.readLog('s5')).toHaveLength(1);
    expect((await store.getSession('s5'))?.lastSeq).toBe(0);
  });

  it('keeps event ids unique per session: an id used twice is refused with nothing written, another session may use it', async () => {
    const { events: store } = await db().open();
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'i1', createdAt: CREATED })).session;
    const b = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'i2', createdAt: CREATED })).session;
    engine.send(a, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { eventId: 'step-1' });
    expect(await persistNewRecords(store, a, 0)).toEqual({ ok: true, lastSeq: 1 });
    const step = a.log[1];
    if (step === undefined) throw new Error('the step made no record');
    const again = { ...step, seq: 2 };
    await expect(store.append('i1', 1, [again])).rejects.toThrow();
    expect(await store.readLog('i1')).toEqual(a.log);
    engine.send(b, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { eventId: 'step-1' });
    expect(await persistNewRecords(store, b, 0)).toEqual({ ok: true, lastSeq: 1 });
  });
});

describeContract('event store: group commits', (db) => {
  it('writes a group of appends in one transaction: each checked in order, a stale one refused alone, listeners told after the commit', async () => {
    const { events: store } = await db().open();
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'g1', createdAt: CREATED })).session;
    const b = (await createStoredSession(engine, store, cgnatTip(), { sessionId: 'g2', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    runAutoDriver(engine, b);
    const heard: string[] = [];
    store.subscribe((e) => heard.push(`${e.sessionId}:${e.records.map((r) => r.seq).join(',')}`));
    const pending = store.commitGroup([
      { sessionId: 'g1', expectedLastSeq: 0, records: a.log.slice(1, 2) },
      // The same session again, following the append before it in the group.
      { sessionId: 'g1', expectedLastSeq: 1, records: a.log.slice(2), clockAt: a.now },
      { sessionId: 'g2', expectedLastSeq: 3, records: b.log.slice(4) }, // stale: g2 is at #0
      { sessionId: 'nope', expectedLastSeq: 0, records: [] },
      { sessionId: 'g2', expectedLastSeq: 0, records: b.log.slice(1) },
    ]);
    expect(await pending).toEqual([
      { ok: true, lastSeq: 1 },
      { ok: true, lastSeq: a.log.length - 1 },
      { ok: false, reason: 'stale', lastSeq: 0 },
      { ok: false, reason: 'unknown-session' },
      { ok: true, lastSeq: b.log.length - 1 },
    ]);
    expect(await store.readLog('g1')).toEqual(a.log);
    expect(await store.readLog('g2')).toEqual(b.log);
    expect((await store.getSession('g1'))?.clockAt).toBe(a.now);
    expect(heard).toEqual(['g1:1', `g1:${a.log.slice(2).map((r) => r.seq).join(',')}`, `g2:${b.log.slice(1).map((r) => r.seq).join(',')}`]);
    expect(await store.commitGroup([])).toEqual([]);
  });

  it('writes nothing of a group whose transaction fails', async () => {
    const { events: store } = await db().open();
    const a = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'h1', createdAt: CREATED })).session;
    const b = (await createStoredSession(engine, store, cgnatTip(), { sessionId: 'h2', createdAt: CREATED })).session;
    runAutoDriver(engine, a);
    runAutoDriver(engine, b);
    const broken = a.log.slice(1).map((r, i) => ({ ...r, seq: i === 1 ? 99 : r.seq }));
    const heard: string[] = [];
    store.subscribe((e) => heard.push(e.sessionId));
    await expect(
      store.commitGroup([
        { sessionId: 'h2', expectedLastSeq: 0, records: b.log.slice(1) },
        { sessionId: 'h1', expectedLastSeq: 0, records: a.log.slice(1, 2) },
        { sessionId: 'h1', expectedLastSeq: 1, records: broken.slice(1) },
      ]),
    ).rejects.toThrow(StoreIntegrityError);
    expect(await store.readLog('h1')).toHaveLength(1);
    expect(await store.readLog('h2')).toHaveLength(1);
    expect(heard).toEqual([]);
    // The sessions take appends again from where they were.
    expect(await store.commitGroup([{ sessionId: 'h1', expectedLastSeq: 0, records: a.log.slice(1) }])).toEqual([{ ok: true, lastSeq: a.log.length - 1 }]);
  });

  it('refuses every write once closed', async () => {
    const stores = await db().open();
    await stores.close();
    await expect(stores.events.commitGroup([])).rejects.toThrow(/closed/);
  });
});

describeContract('event store: listeners', (db) => {
  it('tells subscribers about every append in sequence order, and no more once unsubscribed', async () => {
    const { events: store } = await db().open();
    const seen: string[] = [];
    const unsubscribe = store.subscribe((e) => seen.push(`${e.sessionId}:${e.records.map((r) => r.seq).join(',')}`));
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'a1', createdAt: CREATED, owner: 'alice', exerciseId: 'x' });
    await createStoredSession(engine, store, houstonTip(), { sessionId: 'b1', createdAt: CREATED, owner: 'bob', exerciseId: 'x' });
    runAutoDriver(engine, session);
    await persistNewRecords(store, session, 0);
    const firstBatch = session.log.slice(1).map((r) => r.seq).join(',');
    unsubscribe();
    const lastSeq = session.log.length - 1;
    expect(engine.advance(session, 400 * DAY).length).toBeGreaterThan(0);
    expect((await persistNewRecords(store, session, lastSeq)).ok).toBe(true);
    expect(seen).toEqual(['a1:0', 'b1:0', `a1:${firstBatch}`]);
  });
});
