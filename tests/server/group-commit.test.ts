// Group commit (issue 6's benchmark): the steps of one event-loop turn share one transaction, a step is
// answered only once it is stored, and the steps of one session never build on records not yet stored.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAutoDriver } from '../../src/engine/index.js';
import { GroupCommit } from '../../src/server/group-commit.js';
import { TokenCache } from '../../src/server/token-cache.js';
import type { User } from '../../src/store/account-store.js';
import { createStoredSession } from '../../src/store/sessions.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { engine, houstonTip } from '../engine/helpers.js';
import { call, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

const CREATED = '2026-11-29T09:00:00.000Z';
const TRIAGE = { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' };
const tag = (caveat: string) => ({ type: 'GEO.TAG', indicatorId: 'subjects[0].ipEvents[0]', caveat });

describe('GroupCommit', () => {
  it('writes everything queued before a flush in one transaction, and resolves each append with its own result', async () => {
    const store = new SqliteEventStore(':memory:');
    const sessions = [];
    for (const id of ['a', 'b', 'c']) sessions.push((await createStoredSession(engine, store, houstonTip(), { sessionId: id, createdAt: CREATED })).session);
    for (const s of sessions) runAutoDriver(engine, s);
    const appendMany = vi.spyOn(store, 'appendMany');
    const flushes: (() => void)[] = [];
    const group = new GroupCommit(store, (flush) => flushes.push(flush));
    const results = sessions.map((s) => group.append({ sessionId: s.id, expectedLastSeq: 0, records: s.log.slice(1) }));
    const stale = group.append({ sessionId: 'a', expectedLastSeq: 0, records: [] });
    expect(group.queued).toBe(4);
    expect(flushes).toHaveLength(1); // one flush scheduled for the whole turn
    expect(await store.readLog('a')).toHaveLength(1); // nothing written before the flush
    flushes[0]?.();
    await expect(Promise.all(results)).resolves.toEqual(sessions.map((s) => ({ ok: true, lastSeq: s.log.length - 1 })));
    await expect(stale).resolves.toEqual({ ok: false, reason: 'stale', lastSeq: sessions[0]?.log.length === undefined ? -1 : sessions[0].log.length - 1 });
    expect(appendMany).toHaveBeenCalledTimes(1);
    for (const s of sessions) expect(await store.readLog(s.id)).toEqual(s.log);
    await store.close();
  });

  it('says which sessions have an append in flight until their group is committed', async () => {
    const store = new SqliteEventStore(':memory:');
    const s = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'p', createdAt: CREATED })).session;
    runAutoDriver(engine, s);
    const flushes: (() => void)[] = [];
    const group = new GroupCommit(store, (flush) => flushes.push(flush));
    expect(group.pending('p')).toBeNull();
    const done = group.append({ sessionId: 'p', expectedLastSeq: 0, records: s.log.slice(1) });
    const pending = group.pending('p');
    expect(pending).not.toBeNull();
    expect(group.pending('other')).toBeNull();
    let waited = false;
    const waiter = pending?.then(async () => {
      waited = true;
      // By the time a waiter wakes, the records are in the store.
      expect((await store.getSession('p'))?.lastSeq).toBe(s.log.length - 1);
    });
    await Promise.resolve();
    expect(waited).toBe(false);
    flushes[0]?.();
    await done;
    await waiter;
    expect(waited).toBe(true);
    await Promise.resolve();
    expect(group.pending('p')).toBeNull();
    await store.close();
  });

  it('rejects every append of a group whose transaction fails, and keeps going with the next group', async () => {
    const store = new SqliteEventStore(':memory:');
    const s = (await createStoredSession(engine, store, houstonTip(), { sessionId: 'f', createdAt: CREATED })).session;
    runAutoDriver(engine, s);
    const flushes: (() => void)[] = [];
    const group = new GroupCommit(store, (flush) => flushes.push(flush));
    const spy = vi.spyOn(store, 'appendMany').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    const first = group.append({ sessionId: 'f', expectedLastSeq: 0, records: s.log.slice(1) });
    const second = group.append({ sessionId: 'f', expectedLastSeq: 0, records: s.log.slice(1) });
    flushes[0]?.();
    await expect(first).rejects.toThrow('disk I/O error');
    await expect(second).rejects.toThrow('disk I/O error');
    expect(await store.readLog('f')).toHaveLength(1);
    const retry = group.append({ sessionId: 'f', expectedLastSeq: 0, records: s.log.slice(1) });
    flushes[1]?.();
    await expect(retry).resolves.toEqual({ ok: true, lastSeq: s.log.length - 1 });
    expect(spy).toHaveBeenCalledTimes(2);
    await store.close();
  });
});

describe('TokenCache', () => {
  const user: User = { id: 'u1', name: 'alice', role: 'trainee', createdAt: CREATED };

  it('asks the database once per token within its time, again after it, and never keeps an unknown token', async () => {
    const known = new Set(['h1']);
    const lookup = vi.fn(async (hash: string) => (known.has(hash) ? user : null));
    const cache = new TokenCache(lookup, 2_000);
    expect(await cache.userFor('h1', 10_000)).toEqual(user);
    expect(await cache.userFor('h1', 11_999)).toEqual(user);
    expect(lookup).toHaveBeenCalledTimes(1);
    known.delete('h1'); // revoked by another process
    expect(await cache.userFor('h1', 12_000)).toBeNull();
    expect(await cache.userFor('h2', 12_000)).toBeNull();
    expect(await cache.userFor('h2', 12_001)).toBeNull();
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('forgets a token at once (logout), and does not trust an entry when the clock went backwards', async () => {
    const lookup = vi.fn(async () => user);
    const cache = new TokenCache(lookup, 2_000);
    await cache.userFor('h1', 10_000);
    cache.forget('h1');
    await cache.userFor('h1', 10_001);
    await cache.userFor('h1', 9_000);
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('does not keep an answer that a forget overtook (a logout or a password change while the database was asked)', async () => {
    let answer: (u: User | null) => void = () => {};
    const lookup = vi.fn(() => new Promise<User | null>((resolve) => (answer = resolve)));
    const cache = new TokenCache(lookup, 2_000);
    const asked = cache.userFor('h1', 10_000);
    cache.forget('h1'); // the token was deleted after the lookup read it
    answer(user);
    expect(await asked).toEqual(user); // the request that asked was already under way
    lookup.mockImplementation(async () => null);
    expect(await cache.userFor('h1', 10_001)).toBeNull(); // asked again: nothing was kept
    lookup.mockImplementation(() => new Promise<User | null>((resolve) => (answer = resolve)));
    const again = cache.userFor('h2', 10_002);
    cache.forgetUser('u1'); // the password changed while h2 was looked up
    answer(user);
    expect(await again).toEqual(user);
    lookup.mockImplementation(async () => user);
    await cache.userFor('h2', 10_003);
    expect(lookup).toHaveBeenCalledTimes(4); // h2 asked again: nothing was kept
  });

  it('forgets every token at once (a resync: the other instances\' forgets may have been missed), and keeps no answer it overtook', async () => {
    let answer: (u: User | null) => void = () => {};
    const lookup = vi.fn(async (_hash: string): Promise<User | null> => user);
    const cache = new TokenCache(lookup, 2_000);
    await cache.userFor('h1', 10_000);
    await cache.userFor('h2', 10_000);
    lookup.mockImplementation(() => new Promise<User | null>((resolve) => (answer = resolve)));
    const asked = cache.userFor('h3', 10_001);
    cache.forgetAll();
    answer(user);
    expect(await asked).toEqual(user);
    lookup.mockImplementation(async () => user);
    for (const hash of ['h1', 'h2', 'h3']) await cache.userFor(hash, 10_002);
    expect(lookup.mock.calls.map(([hash]) => hash)).toEqual(['h1', 'h2', 'h3', 'h1', 'h2', 'h3']);
  });
});

describe('steps over HTTP with group commit', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('stores the concurrent steps of many trainees in fewer commits than steps, and answers each after it is stored', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `trainee${i}`);
    const room = await startClassroom(names);
    t = room.t;
    const server = room.t;
    const tokens = Object.values<string>(room.trainees);
    const sessions = await Promise.all(tokens.map((token) => startSession(server, token)));
    const appendMany = vi.spyOn(server.events, 'appendMany');
    const replies = await Promise.all(sessions.map((s, i) => sendEvent(server, tokens[i] ?? '', s.id, TRIAGE, 'triage', s.lastSeq)));
    for (const reply of replies) expect(reply.status).toBe(200);
    const steps = replies.length;
    const commits = appendMany.mock.calls.length;
    expect(appendMany.mock.calls.reduce((n, [group]) => n + group.length, 0)).toBe(steps);
    expect(commits).toBeLessThan(steps);
    // What each answer acknowledged is in the store.
    for (const [i, s] of sessions.entries()) {
      const view = replies[i]?.body.view as { lastSeq: number; state: string };
      expect((await server.events.getSession(s.id))?.lastSeq).toBe(view.lastSeq);
      expect(view.state).toBe('geolocation.tagging');
    }
  });

  it('serialises the steps of one session: a step sent on the sequence the one before it returns is accepted, a retry gets the first answer', async () => {
    const room = await startClassroom(['dana']);
    t = room.t;
    const server = room.t;
    const token = room.trainees.dana;
    const s = await startSession(server, token);
    const triaged = await sendEvent(server, token, s.id, TRIAGE, 'triage', s.lastSeq);
    const seq = (triaged.body.view as { lastSeq: number }).lastSeq;
    // Three requests in one turn: a tag, its retry, and a second tag on the sequence the first will leave.
    const [first, retry, next] = await Promise.all([
      sendEvent(server, token, s.id, tag('VPN'), 'tag-vpn', seq),
      sendEvent(server, token, s.id, tag('VPN'), 'tag-vpn', seq),
      sendEvent(server, token, s.id, tag('TOR_EXIT'), 'tag-tor', seq + 1),
    ]);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.audit).toEqual(first.body.audit);
    expect(next.status).toBe(200);
    const log = await server.events.readLog(s.id) ?? [];
    expect(log.map((r) => r.eventId).slice(-2)).toEqual(['tag-vpn', 'tag-tor']);
    expect((next.body.view as { lastSeq: number }).lastSeq).toBe(log.length - 1);
  });

  it('answers 500 and acknowledges nothing when the commit fails, then steps again from what is stored', async () => {
    const room = await startClassroom(['erin']);
    t = room.t;
    const server = room.t;
    const token = room.trainees.erin;
    const s = await startSession(server, token);
    vi.spyOn(server.events, 'appendMany').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    const failed = await sendEvent(server, token, s.id, TRIAGE, 'triage', s.lastSeq);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: 'internal error' });
    expect(await server.events.readLog(s.id)).toHaveLength(s.lastSeq + 1);
    const view = await call(server, 'GET', `/api/sessions/${s.id}`, { token });
    expect((view.body.view as { state: string }).state).toBe(s.state);
    const again = await sendEvent(server, token, s.id, TRIAGE, 'triage', s.lastSeq);
    expect(again.status).toBe(200);
    expect((again.body.view as { state: string }).state).toBe('geolocation.tagging');
  });
});
